const EMPTY = -Infinity;
const MIN_CAPACITY = 1024;

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
 * garbage collector to trace), anything else in a Map. Entries leave in bulk (`keepFrom`).
 */
export class IdIndex {
  private words = new Uint32Array(4 * MIN_CAPACITY);
  private tags = new Float64Array(MIN_CAPACITY).fill(EMPTY);
  private used = 0;
  private readonly others = new Map<string, number>();
  private readonly scratch = new Uint32Array(4);

  get size(): number {
    return this.used + this.others.size;
  }

  has(id: string): boolean {
    if (!uuidWords(id, this.scratch)) return this.others.has(id);
    return this.tags[this.slotOf(this.scratch)] !== EMPTY;
  }

  /** Adds `id` with `tag` unless present; true when added. */
  add(id: string, tag: number): boolean {
    if (!uuidWords(id, this.scratch)) {
      if (this.others.has(id)) return false;
      this.others.set(id, tag);
      return true;
    }
    if (2 * (this.used + 1) > this.tags.length) this.rebuild(2 * this.tags.length, -Infinity);
    const slot = this.slotOf(this.scratch);
    if (this.tags[slot] !== EMPTY) return false;
    this.words.set(this.scratch, 4 * slot);
    this.tags[slot] = tag;
    this.used += 1;
    return true;
  }

  /** Forgets every id whose tag is below `tag` (and shrinks the arrays when mostly empty). */
  keepFrom(tag: number): void {
    for (const [id, t] of this.others) if (t < tag) this.others.delete(id);
    let live = 0;
    for (const t of this.tags) if (t !== EMPTY && t >= tag) live += 1;
    if (live === this.used) return;
    let capacity = this.tags.length;
    while (capacity > MIN_CAPACITY && 8 * live < capacity) capacity /= 2;
    this.rebuild(capacity, tag);
  }

  /** The slot holding these words, or the empty slot where they would go. */
  private slotOf(w: Uint32Array): number {
    const mask = this.tags.length - 1;
    let slot = ((w[0] as number) ^ (w[3] as number)) & mask;
    for (;;) {
      if (this.tags[slot] === EMPTY) return slot;
      const at = 4 * slot;
      if (this.words[at] === w[0] && this.words[at + 1] === w[1] && this.words[at + 2] === w[2] && this.words[at + 3] === w[3]) return slot;
      slot = (slot + 1) & mask;
    }
  }

  /** Re-inserts the entries tagged at least `minTag` into fresh arrays of `capacity` slots. */
  private rebuild(capacity: number, minTag: number): void {
    const [words, tags] = [this.words, this.tags];
    this.words = new Uint32Array(4 * capacity);
    this.tags = new Float64Array(capacity).fill(EMPTY);
    this.used = 0;
    for (let slot = 0; slot < tags.length; slot += 1) {
      const tag = tags[slot] as number;
      if (tag === EMPTY || tag < minTag) continue;
      const entry = words.subarray(4 * slot, 4 * slot + 4);
      const to = this.slotOf(entry);
      this.words.set(entry, 4 * to);
      this.tags[to] = tag;
      this.used += 1;
    }
  }
}
