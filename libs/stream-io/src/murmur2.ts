const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/**
 * MurmurHash2 (32 bit) of the first `length` bytes, exactly as the Java client's
 * `Utils.murmur2` computes it (signed 32-bit arithmetic, little-endian words, seed 0x9747b28c),
 * so that keys land where the Java client and kafkajs put them.
 */
export function murmur2(data: Buffer, length = data.length): number {
  let h = SEED ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data.readInt32LE(i);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const rest = length & 3;
  if (rest === 3) h ^= data.readUInt8(whole + 2) << 16;
  if (rest >= 2) h ^= data.readUInt8(whole + 1) << 8;
  if (rest >= 1) h = Math.imul(h ^ data.readUInt8(whole), M);
  h ^= h >>> 13;
  h = Math.imul(h, M);
  return h ^ (h >>> 15);
}
