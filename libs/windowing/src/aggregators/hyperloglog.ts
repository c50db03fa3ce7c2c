import { Aggregator, checkScalar, Scalar } from './aggregator';

/**
 * HyperLogLog (Flajolet et al. 2007) with linear counting for small cardinalities.
 * Relative standard error ≈ 1.04 / √(2^precision): precision 12 → 1.6 % with 4 KiB of registers
 * per (window, key); precision 14 → 0.8 % with 16 KiB. Mergeable (register-wise max).
 * Written here because no maintained npm HyperLogLog offers merge and serialisation together.
 */
export function approxCountDistinct<E>(
  select: (event: E) => Scalar | undefined,
  options: { precision?: number } = {},
): Aggregator<E, Uint8Array, Scalar, number> {
  const precision = options.precision ?? 12;
  if (!Number.isInteger(precision) || precision < 4 || precision > 16) throw new RangeError(`HLL precision must be 4..16, got ${precision}`);
  const m = 1 << precision;
  return {
    kind: 'approxCountDistinct', select, check: checkScalar,
    init: () => new Uint8Array(m),
    add: (registers, value) => {
      const hash = hash53(String(value));
      const index = hash % m;
      const rest = Math.floor(hash / m); // the 53 - precision bits above the index
      const rank = leadingRank(rest, 53 - precision);
      if (rank > (registers[index] as number)) registers[index] = rank;
      return registers;
    },
    merge: (a, b) => {
      for (let i = 0; i < m; i += 1) if ((b[i] as number) > (a[i] as number)) a[i] = b[i] as number;
      return a;
    },
    result: (registers) => Math.round(estimate(registers, m)),
    // Registers never exceed 54, so each fits one character of a 64-symbol alphabet.
    save: (registers) => Array.from(registers, (r) => REGISTER_ALPHABET[r]).join(''),
    load: (saved) => Uint8Array.from(saved as string, (c) => REGISTER_ALPHABET.indexOf(c)),
  };
}

const REGISTER_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Position of the first 1 bit counting from the lowest of `bits` bits (1-based); bits + 1 for zero. */
function leadingRank(value: number, bits: number): number {
  let rank = 1;
  while (rank <= bits && value % 2 === 0) {
    value = Math.floor(value / 2);
    rank += 1;
  }
  return rank;
}

function estimate(registers: Uint8Array, m: number): number {
  let harmonic = 0;
  let zeros = 0;
  for (const r of registers) {
    harmonic += 2 ** -r;
    if (r === 0) zeros += 1;
  }
  const alpha = m >= 128 ? 0.7213 / (1 + 1.079 / m) : m === 64 ? 0.709 : m === 32 ? 0.697 : 0.673;
  const raw = (alpha * m * m) / harmonic;
  return raw <= 2.5 * m && zeros > 0 ? m * Math.log(m / zeros) : raw;
}

/** cyrb53: a fast, well-mixed 53-bit string hash (public domain). */
export function hash53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
