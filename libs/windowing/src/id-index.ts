const EMPTY = -Infinity;
const MIN_CAPACITY = 1024;
const MIN_OTHERS = 64;
/**
 * A slot is the UUID's four words, then its tag as a double: 24 bytes side by side, so a probe
 * mostly touches one cache line (the tables outgrow the caches; separate arrays cost two misses).
 */
const SLOT_WORDS = 6;
const SLOT_DOUBLES = 3;
const TAG_AT = 2;

/** Room for `capacity` slots, all empty. */
function newSlots(capacity: number): { words: Uint32Array; tags: Float64Array } {
  const buffer = new ArrayBuffer(SLOT_WORDS * Uint32Array.BYTES_PER_ELEMENT * capacity);
  const tags = new Float64Array(buffer);
  for (let slot = 0; slot < capacity; slot += 1) tags[SLOT_DOUBLES * slot + TAG_AT] = EMPTY;
  return { words: new Uint32Array(buffer), tags };
}

/**
 * Writes the 128 bits of a canonical lowercase UUID (`8-4-4-4-12` hex digits) as four words;
 * false for anything else: only the canonical spelling maps to bits, so two different strings
 * never share an entry.
 */
export function uuidWords(id: string, out: Uint32Array): boolean {
  if (id.length !== 36) return false;
  let word = 0;
  let digits = 0;
  for (let i = 0; i < 36; i += 1) {
    const c = id.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
      continue;
    }
    const v = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (v < 0) return false;
    word = ((word << 4) | v) >>> 0;
    digits += 1;
    if (digits % 8 === 0) out[digits / 8 - 1] = word;
  }
  return true;
}

/**
 * Remembered event ids, each with a tag (its bucket). Event ids are UUIDs almost always: those
 * live in typed arrays (open addressing, linear probing; ~50 bytes an id and nothing for the
 * garbage collector to trace), anything else in a Map. Ids leave in bulk (`expireBefore`): at
 * once for `has` and `add`, and from memory lazily, when the table next fills up — so forgetting
 * a bucket costs nothing, and the table is rebuilt once per few hundred thousand ids, not once
 * per bucket.
 */
export class IdIndex {
  private capacity = MIN_CAPACITY;
  /** The slots' words and tags: two views of one buffer (see SLOT_WORDS). */
  private words: Uint32Array;
  private tags: Float64Array;
  /** Slots holding an id, expired or not. */
  private used = 0;
  private readonly others = new Map<string, number>();
  private othersCompactAt = MIN_OTHERS;
  /** Ids tagged below this are forgotten. */
  private minTag = -Infinity;
  private readonly scratch = new Uint32Array(4);

  constructor() {
    ({ words: this.words, tags: this.tags } = newSlots(MIN_CAPACITY));
  }

  /** Ids held in memory: the live ones, and expired ones until the next compaction. */
  get size(): number {
    return this.used + this.others.size;
  }

  has(id: string): boolean {
    if (!uuidWords(id, this.scratch)) return this.holdsOther(id);
    const tag = this.tags[SLOT_DOUBLES * this.slotOf(this.scratch, 0) + TAG_AT] as number;
    return tag !== EMPTY && tag >= this.minTag;
  }

  /**
   * Adds `id` with `tag` unless it is present (and not forgotten) or the tag is; true when added.
   */
  add(id: string, tag: number): boolean {
    if (tag < this.minTag) return false;
    return this.admit(id, tag);
  }

  /** `add` for a UUID already read by `uuidWords`. */
  addUuid(words: Uint32Array, tag: number): boolean {
    if (tag < this.minTag) return false;
    return this.admitUuid(words, tag);
  }

  /**
   * False when `id` is present (and not forgotten); otherwise true, and the id is added with `tag`
   * unless that is undefined. One parse and one probe: the de-duplicator's per-event call.
   */
  admit(id: string, tag: number | undefined): boolean {
    return uuidWords(id, this.scratch)
      ? this.admitUuid(this.scratch, tag)
      : this.admitOther(id, tag);
  }

  /** `admit` for a UUID already read by `uuidWords` (its four words are copied). */
  admitUuid(words: Uint32Array, tag: number | undefined): boolean {
    if (2 * (this.used + 1) > this.capacity) this.compact();
    const slot = this.slotOf(words, 0);
    const tagAt = SLOT_DOUBLES * slot + TAG_AT;
    const held = this.tags[tagAt] as number;
    if (held !== EMPTY && held >= this.minTag) return false;
    if (tag === undefined) return true;
    if (held === EMPTY) {
      for (let k = 0; k < 4; k += 1) this.words[SLOT_WORDS * slot + k] = words[k] as number;
      this.used += 1;
    }
    this.tags[tagAt] = tag;
    return true;
  }

  /** `admit` for an id that `uuidWords` does not read. */
  admitOther(id: string, tag: number | undefined): boolean {
    return tag === undefined ? !this.holdsOther(id) : this.addOther(id, tag);
  }

  /** Forgets every id tagged below `tag`. */
  expireBefore(tag: number): void {
    if (tag > this.minTag) this.minTag = tag;
  }

  private addOther(id: string, tag: number): boolean {
    if (this.holdsOther(id)) return false;
    if (this.others.size >= this.othersCompactAt) {
      for (const [other, t] of this.others) if (t < this.minTag) this.others.delete(other);
      this.othersCompactAt = Math.max(MIN_OTHERS, 2 * this.others.size);
    }
    this.others.set(id, tag);
    return true;
  }

  private holdsOther(id: string): boolean {
    const tag = this.others.get(id);
    return tag !== undefined && tag >= this.minTag;
  }

  /** The slot holding the four words at `w[from]`, or the empty slot where they would go. */
  private slotOf(w: Uint32Array, from: number): number {
    const mask = this.capacity - 1;
    const w0 = w[from] as number;
    const w1 = w[from + 1] as number;
    const w2 = w[from + 2] as number;
    const w3 = w[from + 3] as number;
    let slot = (w0 ^ w3) & mask;
    for (;;) {
      if (this.tags[SLOT_DOUBLES * slot + TAG_AT] === EMPTY) return slot;
      const at = SLOT_WORDS * slot;
      if (
        this.words[at] === w0 &&
        this.words[at + 1] === w1 &&
        this.words[at + 2] === w2 &&
        this.words[at + 3] === w3
      )
        return slot;
      slot = (slot + 1) & mask;
    }
  }

  /**
   * Drops the expired ids into arrays sized for the live ones at a third full (grown or shrunk).
   */
  private compact(): void {
    const [words, tags, slots] = [this.words, this.tags, this.capacity];
    const tagOf = (slot: number) => tags[SLOT_DOUBLES * slot + TAG_AT] as number;
    let live = 0;
    for (let slot = 0; slot < slots; slot += 1) {
      const tag = tagOf(slot);
      if (tag !== EMPTY && tag >= this.minTag) live += 1;
    }
    this.capacity = MIN_CAPACITY;
    while (this.capacity < 3 * (live + 1)) this.capacity *= 2;
    ({ words: this.words, tags: this.tags } = newSlots(this.capacity));
    this.used = 0;
    for (let slot = 0; slot < slots; slot += 1) {
      const tag = tagOf(slot);
      if (tag === EMPTY || tag < this.minTag) continue;
      const to = this.slotOf(words, SLOT_WORDS * slot);
      for (let k = 0; k < 4; k += 1)
        this.words[SLOT_WORDS * to + k] = words[SLOT_WORDS * slot + k] as number;
      this.tags[SLOT_DOUBLES * to + TAG_AT] = tag;
      this.used += 1;
    }
  }
}
