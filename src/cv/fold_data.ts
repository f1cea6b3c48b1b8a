/**
 * The data each (outer, inner) fold trains, validates and tests on, as block indices into one data set that
 * the engine turns into tensors once.
 *
 * Block-level splits index the user's data set directly. Trial-level splits feed every block whole but score
 * only the trials of a part, so each part gets its own masked copies of the blocks it touches, appended to a
 * derived data set (the trial arrays are shared, only the masks are new).
 *
 * @module
 */

import type { Block, Dataset } from "../data/dataset.ts";
import type { InstanceRecord } from "./store.ts";
import { type CvSplit, type OuterFold, splitPart } from "./splits.ts";

/** Block indices (into {@link FoldData.data}) of the three parts of one (outer, inner) fold. */
export interface FoldParts {
  train: number[];
  val: number[];
  test: number[];
  /** The fold as an instance record keeps it: indices of the user's blocks, and masks for trial-level splits. */
  record: InstanceRecord["folds"];
}

/** The parts of a split's folds over one data set; {@link FoldData.data} is what the models see. */
export class FoldData {
  readonly #source: Dataset;
  readonly #split: CvSplit;
  readonly #blocks: Block[];
  readonly #parts = new Map<string, FoldParts>();
  readonly #trialParts = new Map<string, number[]>();

  /** Parts of `split` over `data` (the split's block lengths must be the data set's). */
  constructor(data: Dataset, split: CvSplit) {
    this.#source = data;
    this.#split = split;
    this.#blocks = split.level === "block" ? data.blocks : [];
  }

  /** The data set the part indices refer to: the user's for block-level splits, a masked derivative otherwise. */
  get data(): Dataset {
    return this.#split.level === "block" ? this.#source : { ...this.#source, blocks: this.#blocks };
  }

  /** The parts of outer fold `outer`, inner fold `inner` (computed once, then cached). */
  parts(outer: number, inner: number): FoldParts {
    const key = `${outer}/${inner}`;
    const known = this.#parts.get(key);
    if (known) return known;
    const fold = this.#outerFold(outer);
    const innerFold = fold.inner.find((f) => f.inner === inner);
    if (!innerFold) throw new RangeError(`outer fold ${outer} has no inner fold ${inner}`);
    const train = splitPart(this.#split, innerFold.train);
    const val = splitPart(this.#split, innerFold.val);
    const test = splitPart(this.#split, fold.test);
    let parts: FoldParts;
    if (this.#split.level === "block") {
      parts = {
        train: train.blocks,
        val: val.blocks,
        test: test.blocks,
        record: { level: "block", train: train.blocks, val: val.blocks, test: test.blocks },
      };
    } else {
      parts = {
        train: this.#masked(`train/${outer}/${inner}`, train.blocks, train.mask!),
        val: this.#masked(`val/${outer}/${inner}`, val.blocks, val.mask!),
        test: this.#masked(`test/${outer}`, test.blocks, test.mask!),
        record: {
          level: "trial",
          train: train.blocks,
          val: val.blocks,
          test: test.blocks,
          trainMask: train.mask,
          valMask: val.mask,
          testMask: test.mask,
        },
      };
    }
    this.#parts.set(key, parts);
    return parts;
  }

  #outerFold(outer: number): OuterFold {
    const fold = this.#split.folds.find((f) => f.outer === outer);
    if (!fold) throw new RangeError(`the split has no outer fold ${outer}`);
    return fold;
  }

  /** Append masked copies of `blocks` (once per part key) and return their indices in the derived data set. */
  #masked(key: string, blocks: readonly number[], masks: readonly number[][]): number[] {
    const known = this.#trialParts.get(key);
    if (known) return known;
    const indices = blocks.map((b, i) => {
      const block = this.#source.blocks[b];
      const own = block.mask;
      const mask = own ? masks[i].map((m, t) => m * own[t]) : masks[i];
      this.#blocks.push({ ...block, mask });
      return this.#blocks.length - 1;
    });
    this.#trialParts.set(key, indices);
    return indices;
  }
}
