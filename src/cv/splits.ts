/**
 * Cross-validation splits, exactly as the original draws them.
 *
 * The original uses scikit-learn's `KFold(shuffle=True, random_state=seed)`: permute `0..n-1` with numpy's
 * legacy `RandomState(seed).shuffle`, cut the permutation into `k` contiguous chunks (the first `n % k` one
 * element longer), and return each chunk and its complement sorted. Nested folds use `random_state=1` for the
 * outer split and `random_state=<outer index>` for the inner split, which runs over *positions* within the
 * outer fold's train+validation set and is then mapped back.
 *
 * Splits are expressed over "units": block indices for block-level splits, or block-major trial indices for
 * trial-level splits (see {@link splitPart} to turn either into blocks plus per-trial masks).
 *
 * @module
 */

import { checkChoice, checkNumber, rejectUnknownKeys, TinyRnnInputError } from "../options.ts";
import { RandomState } from "../random.ts";

/** One fold of a plain k-fold split: both arrays sorted ascending. */
export interface Fold {
  /** Units used for fitting. */
  train: number[];
  /** Held-out units. */
  test: number[];
}

/** Options of {@link kFold}. */
export interface KFoldOptions {
  /** Permute before cutting into folds (default `true`). Without shuffling, fold j is the j-th contiguous range. */
  shuffle?: boolean;
  /** Seed of numpy's `RandomState` for the permutation (default `0`); ignored without shuffling. */
  seed?: number;
}

/**
 * scikit-learn's `KFold(n_splits=k, shuffle, random_state=seed).split(range(n))`, bit for bit.
 *
 * @example
 * ```ts
 * const folds = kFold(500, 3, { seed: 1 }); // the tutorial's outer folds
 * folds[0].test.length; // 167
 * ```
 */
export function kFold(n: number, k: number, options: KFoldOptions = {}): Fold[] {
  const where = "kFold";
  rejectUnknownKeys(where, options, ["shuffle", "seed"]);
  checkNumber(where, "n", n, { min: 0, integer: true });
  checkNumber(where, "k", k, { min: 2, integer: true });
  if (k > n) {
    throw new TinyRnnInputError(`${where}: cannot split ${n} units into ${k} folds (k must be <= n)`);
  }
  const shuffle = options.shuffle ?? true;
  const seed = checkNumber(where, "seed", options.seed ?? 0, { min: 0, max: 0xffffffff, integer: true });
  const order = Array.from({ length: n }, (_, i) => i);
  if (shuffle) new RandomState(seed).shuffle(order);
  const folds: Fold[] = [];
  const base = Math.floor(n / k);
  let start = 0;
  for (let j = 0; j < k; j++) {
    const size = base + (j < n % k ? 1 : 0);
    const inTest = new Uint8Array(n);
    for (let p = start; p < start + size; p++) inTest[order[p]] = 1;
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (inTest[i] ? test : train).push(i);
    folds.push({ train, test });
    start += size;
  }
  return folds;
}

/** One inner fold of a nested split (unit indices, sorted). */
export interface InnerFold {
  /** 0-based inner fold index. */
  inner: number;
  /** Units the model is trained on. */
  train: number[];
  /** Units used for early stopping and for choosing among seeds and L1 strengths. */
  val: number[];
}

/** One outer fold of a nested split (unit indices, sorted). */
export interface OuterFold {
  /** 0-based outer fold index. */
  outer: number;
  /** Held-out units, scored only once models are selected. */
  test: number[];
  /** All other units, split again by the inner folds. */
  trainval: number[];
  /** The inner folds. */
  inner: InnerFold[];
}

/** Options of {@link nestedFolds}. */
export interface NestedFoldOptions {
  /** Seed of the outer split (default `1`, as the original hard-codes). Inner fold o always uses seed o. */
  outerSeed?: number;
  /** Keep only inner fold 0 of each outer fold (the original's `single_inner_fold`; default `false`). */
  singleInnerFold?: boolean;
  /** Swap train and validation sets of every inner fold (the original's `trainval_flip`; default `false`). */
  trainvalFlip?: boolean;
}

/**
 * Nested k-fold over `n` units exactly as the original `behavior_cv_training` builds it: outer
 * `KFold(outer, shuffle, random_state=1)` over the units, then for outer fold o an inner
 * `KFold(inner, shuffle, random_state=o)` over positions of the outer train+validation set, mapped back and sorted.
 *
 * @example
 * ```ts
 * const folds = nestedFolds(500, 3, 2);
 * folds[0].inner[0].train.length; // 166 blocks
 * ```
 */
export function nestedFolds(
  n: number,
  outer: number,
  inner: number,
  options: NestedFoldOptions = {},
): OuterFold[] {
  const where = "nestedFolds";
  rejectUnknownKeys(where, options, ["outerSeed", "singleInnerFold", "trainvalFlip"]);
  checkNumber(where, "inner", inner, { min: 2, integer: true });
  const outerSeed = options.outerSeed ?? 1;
  return kFold(n, outer, { seed: outerSeed }).map(({ train: trainval, test }, o) => {
    let innerFolds = kFold(trainval.length, inner, { seed: o }).map(({ train, test: val }, i) => {
      const mapped = { inner: i, train: train.map((p) => trainval[p]), val: val.map((p) => trainval[p]) };
      return options.trainvalFlip ? { inner: i, train: mapped.val, val: mapped.train } : mapped;
    });
    if (options.singleInnerFold) innerFolds = innerFolds.slice(0, 1);
    return { outer: o, test, trainval, inner: innerFolds };
  });
}

/** A fold given by the user: unit indices for test, and train/validation sets for each inner fold. */
export interface GivenOuterFold {
  /** Held-out units. */
  test: readonly number[];
  /** Defaults to the union of all inner train and validation units. */
  trainval?: readonly number[];
  /** One or more (train, validation) pairs. */
  inner: readonly { train: readonly number[]; val: readonly number[] }[];
}

/** A single explicit split (the original's `split_training`): one outer fold with one inner fold. */
export interface GivenSplit {
  /** Training units. */
  train: readonly number[];
  /** Validation units (early stopping and selection). */
  val: readonly number[];
  /** Held-out test units. */
  test: readonly number[];
}

/**
 * Validate user-given folds over `n` units and bring them to the {@link OuterFold} form (sorted copies).
 * Accepts a list of outer folds, or a single `{train, val, test}` split.
 * Errors name the outer/inner fold and the field.
 */
export function givenFolds(n: number, folds: readonly GivenOuterFold[] | GivenSplit): OuterFold[] {
  const where = "folds";
  const list: readonly GivenOuterFold[] = Array.isArray(folds) ? folds : [{
    test: (folds as GivenSplit).test,
    inner: [{ train: (folds as GivenSplit).train, val: (folds as GivenSplit).val }],
  }];
  if (list.length === 0) throw new TinyRnnInputError(`${where}: at least one fold is required`);
  const checked = (label: string, values: unknown): number[] => {
    if (!Array.isArray(values)) throw new TinyRnnInputError(`${where}: ${label} must be an array of indices`);
    const seen = new Set<number>();
    for (const [pos, v] of values.entries()) {
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= n) {
        throw new TinyRnnInputError(
          `${where}: ${label}[${pos}] must be an integer index in [0, ${n - 1}], got ${JSON.stringify(v)}`,
        );
      }
      if (seen.has(v)) throw new TinyRnnInputError(`${where}: ${label} lists index ${v} twice`);
      seen.add(v);
    }
    return [...values as number[]].sort((a, b) => a - b);
  };
  const disjoint = (labelA: string, a: number[], labelB: string, b: number[]): void => {
    const inA = new Set(a);
    const shared = b.find((v) => inA.has(v));
    if (shared !== undefined) {
      throw new TinyRnnInputError(`${where}: index ${shared} is in both ${labelA} and ${labelB}`);
    }
  };
  return list.map((fold, o) => {
    const label = `outer fold ${o}`;
    if (fold === null || typeof fold !== "object") {
      throw new TinyRnnInputError(`${where}: ${label} must be an object with test and inner`);
    }
    rejectUnknownKeys(`${where}: ${label}`, fold, ["test", "trainval", "inner"]);
    const test = checked(`${label} test`, fold.test);
    if (!Array.isArray(fold.inner) || fold.inner.length === 0) {
      throw new TinyRnnInputError(`${where}: ${label} inner must be a non-empty array of {train, val}`);
    }
    const inner = fold.inner.map((pair, i) => {
      rejectUnknownKeys(`${where}: ${label} inner fold ${i}`, pair, ["train", "val"]);
      const train = checked(`${label} inner fold ${i} train`, pair.train);
      const val = checked(`${label} inner fold ${i} val`, pair.val);
      if (train.length === 0) {
        throw new TinyRnnInputError(`${where}: ${label} inner fold ${i} train is empty`);
      }
      disjoint(`${label} inner fold ${i} train`, train, "val", val);
      disjoint(`${label} test`, test, `inner fold ${i} train`, train);
      disjoint(`${label} test`, test, `inner fold ${i} val`, val);
      return { inner: i, train, val };
    });
    const union = [...new Set(inner.flatMap((f) => [...f.train, ...f.val]))].sort((a, b) => a - b);
    const trainval = fold.trainval === undefined ? union : checked(`${label} trainval`, fold.trainval);
    disjoint(`${label} test`, test, "trainval", trainval);
    const inTrainval = new Set(trainval);
    const stray = union.find((v) => !inTrainval.has(v));
    if (stray !== undefined) {
      throw new TinyRnnInputError(
        `${where}: ${label} inner folds use index ${stray}, which is not in trainval`,
      );
    }
    return { outer: o, test, trainval, inner };
  });
}

/**
 * The original's `split_over_trials(n, sizes, seed)`: permute `0..n-1` with `RandomState(seed)`, cut
 * consecutive chunks of the given sizes and sort each (e.g. 150/25/25 of 200 trials).
 */
export function splitOverTrials(n: number, sizes: readonly number[], seed: number): number[][] {
  const where = "splitOverTrials";
  checkNumber(where, "n", n, { min: 0, integer: true });
  let total = 0;
  for (const [i, s] of sizes.entries()) {
    total += checkNumber(where, `sizes[${i}]`, s, { min: 0, integer: true });
  }
  if (total > n) throw new TinyRnnInputError(`${where}: sizes add up to ${total}, more than n = ${n}`);
  const order = new RandomState(checkNumber(where, "seed", seed, { min: 0, integer: true })).permutation(n);
  const chunks: number[][] = [];
  let start = 0;
  for (const s of sizes) {
    chunks.push(order.slice(start, start + s).sort((a, b) => a - b));
    start += s;
  }
  return chunks;
}

/** Whether split units are whole blocks or single trials. */
export type SplitLevel = "block" | "trial";

/** A complete nested split of a data set, over blocks or over trials. */
export interface CvSplit {
  /** `"block"`: units are block indices. `"trial"`: units are block-major trial indices. */
  level: SplitLevel;
  /** Length of every block (needed to map trial units back to blocks). */
  blockLengths: number[];
  /** The outer folds. */
  folds: OuterFold[];
}

/** Options of {@link makeSplit}. */
export interface SplitOptions {
  /** Number of outer folds (default `10`, the paper's). */
  outer?: number;
  /** Number of inner folds (default `9`, the paper's). */
  inner?: number;
  /** Split whole blocks (default, as the original) or single trials within blocks. */
  level?: SplitLevel;
  /** User-given folds over the units of `level`; replaces the k-fold draw. */
  folds?: readonly GivenOuterFold[] | GivenSplit;
  /** See {@link NestedFoldOptions.singleInnerFold}. */
  singleInnerFold?: boolean;
  /** See {@link NestedFoldOptions.trainvalFlip}. */
  trainvalFlip?: boolean;
}

/**
 * The nested split of a data set with the given block lengths.
 *
 * Trial-level splits apply the same nested k-fold to the block-major list of all trials; every block keeps
 * being fed whole to the models, and {@link splitPart} gives the mask of scored trials per block.
 *
 * @example
 * ```ts
 * const split = makeSplit(Array(500).fill(20), { outer: 3, inner: 2 });
 * splitPart(split, split.folds[0].test).blocks.length; // 167
 * ```
 */
export function makeSplit(blockLengths: readonly number[], options: SplitOptions = {}): CvSplit {
  const where = "split";
  rejectUnknownKeys(where, options, ["outer", "inner", "level", "folds", "singleInnerFold", "trainvalFlip"]);
  const level = checkChoice(where, "level", options.level ?? "block", ["block", "trial"] as const);
  for (const [b, length] of blockLengths.entries()) {
    checkNumber(where, `length of block ${b}`, length, { min: 1, integer: true });
  }
  const units = level === "block" ? blockLengths.length : blockLengths.reduce((s, l) => s + l, 0);
  if (options.folds !== undefined) {
    for (const key of ["outer", "inner", "singleInnerFold", "trainvalFlip"] as const) {
      if (options[key] !== undefined) {
        throw new TinyRnnInputError(`${where}: "${key}" cannot be combined with user-given "folds"`);
      }
    }
    return { level, blockLengths: [...blockLengths], folds: givenFolds(units, options.folds) };
  }
  const outer = checkNumber(where, "outer", options.outer ?? 10, { min: 2, integer: true });
  const inner = checkNumber(where, "inner", options.inner ?? 9, { min: 2, integer: true });
  // The smallest outer train+validation set has units - ceil(units / outer) units, split `inner` ways.
  const needed = minimumUnits(outer, inner);
  if (units < needed) {
    const what = level === "block" ? "blocks" : "trials";
    throw new TinyRnnInputError(
      `${where}: the data has ${units} ${what}; outer=${outer} x inner=${inner} folds need at least ${needed} ${what} (give fewer folds${
        level === "block" ? ', more blocks, or level: "trial" (--level trial)' : ", or more trials"
      })`,
    );
  }
  const folds = nestedFolds(units, outer, inner, {
    singleInnerFold: options.singleInnerFold ?? false,
    trainvalFlip: options.trainvalFlip ?? false,
  });
  return { level, blockLengths: [...blockLengths], folds };
}

/** The fewest units that `outer` outer folds with `inner` inner folds each can split. */
function minimumUnits(outer: number, inner: number): number {
  let n = outer;
  while (n - Math.ceil(n / outer) < inner) n++;
  return n;
}

/** The data one part of a split (train, val or test) uses. */
export interface SplitPart {
  /** Block indices, ascending. */
  blocks: number[];
  /**
   * For trial-level splits, `mask[i][t]` is 1 when trial t of `blocks[i]` belongs to the part, else 0.
   * Absent for block-level splits (every trial of every listed block counts).
   */
  mask?: number[][];
  /** Number of trials that belong to the part. */
  trials: number;
}

/** Turn the unit indices of one part of `split` into blocks and, for trial-level splits, per-block masks. */
export function splitPart(split: CvSplit, units: readonly number[]): SplitPart {
  const lengths = split.blockLengths;
  if (split.level === "block") {
    const blocks = [...units].sort((a, b) => a - b);
    return { blocks, trials: blocks.reduce((s, b) => s + lengths[b], 0) };
  }
  const starts: number[] = [];
  let total = 0;
  for (const l of lengths) {
    starts.push(total);
    total += l;
  }
  const masks = new Map<number, number[]>();
  for (const u of units) {
    if (!Number.isInteger(u) || u < 0 || u >= total) {
      throw new RangeError(`trial index ${u} is outside [0, ${total - 1}]`);
    }
    let lo = 0;
    let hi = lengths.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= u) lo = mid;
      else hi = mid - 1;
    }
    let mask = masks.get(lo);
    if (!mask) masks.set(lo, mask = new Array(lengths[lo]).fill(0));
    mask[u - starts[lo]] = 1;
  }
  const blocks = [...masks.keys()].sort((a, b) => a - b);
  return { blocks, mask: blocks.map((b) => masks.get(b)!), trials: units.length };
}

/**
 * k-fold within groups (e.g. the blocks of each subject): each group's units are split into `k` folds on their
 * own, and fold j is the union over groups of their fold j, so every subject has blocks in every training set
 * and in every test set (the setting of data sets with many subjects and few blocks each). Group g is permuted
 * with seed `seed + g`, so that groups of equal size are not cut alike. With one group this is
 * {@link kFold} over that group's units. Units in no group are in no fold.
 *
 * @param groups unit indices per group (e.g. `subjectsOf(data).blocks`); distinct across groups.
 * @throws {TinyRnnInputError} when a group has fewer than `k` units, or a unit repeats.
 * @example
 * ```ts
 * const folds = withinGroupFolds([[0, 1, 2], [3, 4, 5, 6]], 3, { seed: 1 });
 * folds[0].test.length; // 2: one block of each subject
 * ```
 */
export function withinGroupFolds(
  groups: readonly (readonly number[])[],
  k: number,
  options: KFoldOptions = {},
): Fold[] {
  const where = "withinGroupFolds";
  rejectUnknownKeys(where, options, ["shuffle", "seed"]);
  checkNumber(where, "k", k, { min: 2, integer: true });
  const seed = checkNumber(where, "seed", options.seed ?? 0, { min: 0, max: 0xffffffff, integer: true });
  const all = groups.flat();
  if (new Set(all).size !== all.length) throw new TinyRnnInputError(`${where}: a unit is in two groups`);
  const tests: number[][] = Array.from({ length: k }, () => []);
  groups.forEach((group, g) => {
    if (group.length < k) {
      throw new TinyRnnInputError(
        `${where}: group ${g} has ${group.length} units, fewer than the ${k} folds (each group needs one unit per fold)`,
      );
    }
    const folds = kFold(group.length, k, { shuffle: options.shuffle, seed: (seed + g) % 2 ** 32 });
    folds.forEach(({ test }, j) => tests[j].push(...test.map((p) => group[p])));
  });
  const sorted = all.slice().sort((a, b) => a - b);
  return tests.map((test) => {
    test.sort((a, b) => a - b);
    const held = new Set(test);
    return { train: sorted.filter((u) => !held.has(u)), test };
  });
}

/**
 * Nested k-fold within groups: outer folds by {@link withinGroupFolds} with seed `outerSeed` (default 1, as
 * {@link nestedFolds}); for outer fold o, each group's train+validation units are split again into `inner`
 * folds with seed o. The result has the {@link OuterFold} shape that cross-validation consumes, so a data set
 * of many subjects can be held out block-wise within every subject.
 *
 * @example
 * ```ts
 * const folds = nestedWithinGroupFolds([[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]], 3, 2);
 * folds[0].inner[0].val.length; // 4: two blocks of each subject
 * ```
 */
export function nestedWithinGroupFolds(
  groups: readonly (readonly number[])[],
  outer: number,
  inner: number,
  options: NestedFoldOptions = {},
): OuterFold[] {
  const where = "nestedWithinGroupFolds";
  rejectUnknownKeys(where, options, ["outerSeed", "singleInnerFold", "trainvalFlip"]);
  checkNumber(where, "inner", inner, { min: 2, integer: true });
  return withinGroupFolds(groups, outer, { seed: options.outerSeed ?? 1 }).map(
    ({ train: trainval, test }, o) => {
      const inTrainval = new Set(trainval);
      const innerGroups = groups.map((group) => group.filter((u) => inTrainval.has(u)));
      let innerFolds: InnerFold[] = withinGroupFolds(innerGroups, inner, { seed: o }).map((
        { train, test: val },
        i,
      ) => options.trainvalFlip ? { inner: i, train: val, val: train } : { inner: i, train, val });
      if (options.singleInnerFold) innerFolds = innerFolds.slice(0, 1);
      return { outer: o, test, trainval, inner: innerFolds };
    },
  );
}
