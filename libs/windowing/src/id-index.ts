const EMPTY = -Infinity;
const MIN_CAPACITY = 1024;
const MIN_OTHERS = 64;

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
  private words = new Uint32Array(4 * MIN_CAPACITY);
  private tags = new Float64Array(MIN_CAPACITY).fill(EMPTY);
  /** Slots holding an id, expired or not. */
  private used = 0;
  private readonly others = new Map<string, number>();
  private othersCompactAt = MIN_OTHERS;
  /** Ids tagged below this are forgotten. */
  private minTag = -Infinity;
  private readonly scratch = new Uint32Array(4);

  /** Ids held in memory: the live ones, and expired ones until the next compaction. */
  get size(): number {
    return this.used + this.others.size;
  }

  has(id: string): boolean {
    if (!uuidWords(id, this.scratch)) return this.holdsOther(id);
    const tag = this.tags[this.slotOf(this.scratch, 0)] as number;
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
    if (2 * (this.used + 1) > this.tags.length) this.compact();
    const slot = this.slotOf(words, 0);
    const held = this.tags[slot] as number;
    if (held !== EMPTY && held >= this.minTag) return false;
    if (tag === undefined) return true;
    if (held === EMPTY) {
      for (let k = 0; k < 4; k += 1) this.words[4 * slot + k] = words[k] as number;
      this.used += 1;
    }
    this.tags[slot] = tag;
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
    const mask = this.tags.length - 1;
    const w0 = w[from] as number;
    const w1 = w[from + 1] as number;
    const w2 = w[from + 2] as number;
    const w3 = w[from + 3] as number;
    let slot = (w0 ^ w3) & mask;
    for (;;) {
      if (this.tags[slot] === EMPTY) return slot;
      const at = 4 * slot;
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
    let live = 0;
    for (const t of this.tags) if (t !== EMPTY && t >= this.minTag) live += 1;
    let capacity = MIN_CAPACITY;
    while (capacity < 3 * (live + 1)) capacity *= 2;
    const [words, tags] = [this.words, this.tags];
    this.words = new Uint32Array(4 * capacity);
    this.tags = new Float64Array(capacity).fill(EMPTY);
    this.used = 0;
    for (let slot = 0; slot < tags.length; slot += 1) {
      const tag = tags[slot] as number;
      if (tag === EMPTY || tag < this.minTag) continue;
      const to = this.slotOf(words, 4 * slot);
      for (let k = 0; k < 4; k += 1) this.words[4 * to + k] = words[4 * slot + k] as number;
      this.tags[to] = tag;
      this.used += 1;
    }
  }
}
