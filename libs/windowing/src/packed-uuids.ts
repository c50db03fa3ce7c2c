import { SnapshotError } from './errors';

const BYTES_PER_UUID = 16;

/**
 * UUIDs as their 16 bytes, appended one at a time (from `uuidWords`) and handed out packed: a
 * checkpoint's new ids then cost no string each, neither to keep until the checkpoint (millions
 * of strings the garbage collector would promote and trace) nor to write.
 */
export class PackedUuids {
  private words = new Uint32Array(4 * 16);
  private length = 0;

  get count(): number {
    return this.length;
  }

  /** Appends the four words of one UUID (copied). */
  push(words: Uint32Array): void {
    if (4 * (this.length + 1) > this.words.length) {
      const grown = new Uint32Array(2 * this.words.length);
      grown.set(this.words);
      this.words = grown;
    }
    for (let k = 0; k < 4; k += 1) this.words[4 * this.length + k] = words[k] as number;
    this.length += 1;
  }

  /** The UUIDs' bytes in order, 16 each, big-endian: `encode(bytes, 'hex')` spells them. */
  bytes(): Uint8Array {
    const out = new Uint8Array(BYTES_PER_UUID * this.length);
    const view = new DataView(out.buffer);
    for (let i = 0; i < 4 * this.length; i += 1) view.setUint32(4 * i, this.words[i] as number);
    return out;
  }
}

/**
 * Calls `each` with the four words of every UUID in `bytes` (as `PackedUuids.bytes` wrote them),
 * reusing one array.
 */
export function forEachPackedUuid(bytes: Uint8Array, each: (words: Uint32Array) => void): void {
  if (bytes.byteLength % BYTES_PER_UUID !== 0)
    throw new SnapshotError(
      `packed UUIDs take ${BYTES_PER_UUID} bytes each, got ${bytes.byteLength} bytes`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const words = new Uint32Array(4);
  for (let at = 0; at < bytes.byteLength; at += BYTES_PER_UUID) {
    for (let k = 0; k < 4; k += 1) words[k] = view.getUint32(at + 4 * k);
    each(words);
  }
}
