// A Zipf distribution over ranks 0..n-1 (rank k drawn with weight 1/(k+1)^s), sampled from its
// cumulative table through a guide table (the first rank of each of 2n equal slices of [0, 1)),
// so a draw takes one or two steps: deterministic for a given Rng.
import type { Rng } from "./rng.ts";

export class Zipf {
  readonly n: number;
  readonly s: number;
  readonly #cdf: Float64Array;
  readonly #guide: Int32Array;

  constructor(n: number, s: number) {
    if (!(n >= 1)) throw new Error(`Zipf needs at least one rank, not ${n}`);
    this.n = n;
    this.s = s;
    this.#cdf = new Float64Array(n);
    let total = 0;
    for (let k = 0; k < n; k++) this.#cdf[k] = total += 1 / (k + 1) ** s;
    for (let k = 0; k < n; k++) this.#cdf[k] /= total;
    this.#cdf[n - 1] = 1;
    this.#guide = new Int32Array(2 * n);
    for (let j = 0, k = 0; j < this.#guide.length; j++) {
      while (this.#cdf[k] <= j / this.#guide.length) k++;
      this.#guide[j] = k;
    }
  }

  /** The probability of rank `k`. */
  p(k: number): number {
    return this.#cdf[k] - (k > 0 ? this.#cdf[k - 1] : 0);
  }

  sample(rng: Rng): number {
    const u = rng.float();
    let k = this.#guide[Math.floor(u * this.#guide.length)];
    while (this.#cdf[k] <= u) k++;
    return k;
  }
}

/** FNV-1a over a string's UTF-16 units: a stable hash for properties derived from an id. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
