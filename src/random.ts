/**
 * Seeded random numbers that reproduce the original Python code bit for bit.
 *
 * The original mixes two generators, both MT19937: Python's `random` module (seeded with `init_by_array`)
 * and numpy's legacy `RandomState` (seeded with `init_genrand`). tinyrnn exposes both seedings because
 * the reference fixtures (fold indices, the tutorial data set) were drawn with them.
 *
 * @module
 */

const N = 624;
const M = 397;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** The Mersenne Twister MT19937, 32-bit outputs. */
export class MT19937 {
  #mt = new Uint32Array(N);
  #index = N + 1;

  /** Knuth's linear-congruential initialisation (numpy's legacy integer seeding). */
  initGenrand(seed: number): this {
    const mt = this.#mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.#index = N;
    return this;
  }

  /** Initialisation by an array of 32-bit words (Python's `random.seed(int)`). */
  initByArray(key: readonly number[]): this {
    this.initGenrand(19650218);
    const mt = this.#mt;
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + (key[j] >>> 0) + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.#index = N;
    return this;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const mt = this.#mt;
    if (this.#index >= N) {
      if (this.#index === N + 1) this.initGenrand(5489);
      let kk = 0;
      for (; kk < N - M; kk++) {
        const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      for (; kk < N - 1; kk++) {
        const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      const y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
      mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      this.#index = 0;
    }
    let y = mt[this.#index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double in [0, 1) with 53 random bits (CPython's `random()` and numpy's `random_sample()`). */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }
}

/** The generator interface every stochastic function of tinyrnn draws from. */
export interface Rng {
  /** Uniform double in [0, 1). */
  random(): number;
  /** Standard normal draw. */
  normal(): number;
  /** Uniform integer in [0, n). */
  integer(n: number): number;
}

/** numpy's legacy `RandomState`: `init_genrand` seeding, polar Box-Muller normals, legacy shuffle. */
export class RandomState implements Rng {
  readonly #mt: MT19937;
  #gauss: number | undefined;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`seed must be an integer in [0, 2^32 - 1], got ${seed}`);
    }
    this.#mt = new MT19937().initGenrand(seed);
  }

  /** `np.random.random_sample()`. */
  random(): number {
    return this.#mt.nextDouble();
  }

  /** `np.random.standard_normal()` (legacy polar method, caches the second value). */
  normal(): number {
    if (this.#gauss !== undefined) {
      const g = this.#gauss;
      this.#gauss = undefined;
      return g;
    }
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2 * this.random() - 1;
      x2 = 2 * this.random() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt(-2 * Math.log(r2) / r2);
    this.#gauss = f * x1;
    return f * x2;
  }

  /** Uniform integer in [0, max] by masked rejection (numpy's legacy `random_interval`). */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do {
      value = (this.#mt.nextUint32() & mask) >>> 0;
    } while (value > max);
    return value;
  }

  /** Uniform integer in [0, n). */
  integer(n: number): number {
    return this.interval(n - 1);
  }

  /** In-place Fisher-Yates shuffle exactly as `RandomState.shuffle` on a 1-D array. */
  shuffle<T>(array: T[]): T[] {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.interval(i);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** `RandomState.permutation(n)`. */
  permutation(n: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }
}

/** CPython's `random.Random` for an integer seed (`init_by_array` over the seed's 32-bit words). */
export class PythonRandom implements Rng {
  readonly #mt: MT19937;
  #gauss: number | undefined;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    let n = Math.abs(seed);
    const key: number[] = [];
    do {
      key.push(n % 0x100000000);
      n = Math.floor(n / 0x100000000);
    } while (n > 0);
    this.#mt = new MT19937().initByArray(key);
  }

  /** `random.random()`. */
  random(): number {
    return this.#mt.nextDouble();
  }

  /** A standard normal (Box-Muller pair, cached like `random.gauss`). */
  normal(): number {
    if (this.#gauss !== undefined) {
      const g = this.#gauss;
      this.#gauss = undefined;
      return g;
    }
    const angle = this.random() * 2 * Math.PI;
    const radius = Math.sqrt(-2 * Math.log(1 - this.random()));
    this.#gauss = Math.sin(angle) * radius;
    return Math.cos(angle) * radius;
  }

  /** Uniform integer in [0, n) (`random.randrange(n)`, by rejection on `getrandbits`). */
  integer(n: number): number {
    if (n <= 0) throw new RangeError("n must be positive");
    const bits = Math.max(1, Math.ceil(Math.log2(n + 1)));
    let r: number;
    do {
      r = this.#mt.nextUint32() >>> (32 - Math.min(bits, 32));
    } while (r >= n);
    return r;
  }
}

/** Derive an independent 32-bit seed from a base seed and a stream label (for workers, folds, restarts). */
export function deriveSeed(seed: number, ...stream: (number | string)[]): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  const text = stream.join("/");
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
