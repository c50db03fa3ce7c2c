import type { KeyedMessage } from './producer';

const PER_MESSAGE_OVERHEAD_BYTES = 64; // record framing: lengths, offsets, timestamps, attributes

function sizeOf(message: KeyedMessage): number {
  const keyBytes = message.key === null ? 0 : Buffer.byteLength(message.key);
  let bytes = PER_MESSAGE_OVERHEAD_BYTES + message.value.length + keyBytes;
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
  }
  return bytes;
}

/** Consecutive runs of `batch` of at most `maxBytes` in all (at least one message each). */
export function* chunksOf(
  batch: readonly KeyedMessage[],
  maxBytes: number,
): Generator<readonly KeyedMessage[]> {
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < batch.length; i += 1) {
    const size = sizeOf(batch[i] as KeyedMessage);
    if (i > start && bytes + size > maxBytes) {
      yield batch.slice(start, i);
      start = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (start < batch.length) yield start === 0 ? batch : batch.slice(start);
}
