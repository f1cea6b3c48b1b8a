/**
 * Which blocks belong to which subject, for data sets of many subjects (see `Block.subject`).
 *
 * @module
 */

import type { Dataset } from "./dataset.ts";

/** The subjects of a data set and their blocks. */
export interface Subjects {
  /** Distinct subjects, in order of first appearance. */
  subjects: string[];
  /** `blocks[i]`: the indices (ascending) of the blocks of `subjects[i]`. */
  blocks: number[][];
  /** Indices (ascending) of blocks without a subject. */
  unassigned: number[];
}

/**
 * The distinct subjects of a data set in first-appearance order, with the block indices of each, and the
 * blocks that have no subject.
 *
 * @example
 * ```ts
 * import { parseCsv, subjectsOf } from "@tinyrnn/tinyrnn";
 * const data = parseCsv("block,subject,action,reward\n0,s1,0,1\n1,s2,1,0\n2,s1,1,1\n");
 * const { subjects, blocks } = subjectsOf(data); // ["s1", "s2"], [[0, 2], [1]]
 * ```
 */
export function subjectsOf(data: Dataset): Subjects {
  const index = new Map<string, number>();
  const subjects: string[] = [];
  const blocks: number[][] = [];
  const unassigned: number[] = [];
  data.blocks.forEach((block, b) => {
    const subject = block.subject;
    if (subject === undefined) {
      unassigned.push(b);
      return;
    }
    let i = index.get(subject);
    if (i === undefined) {
      i = subjects.length;
      index.set(subject, i);
      subjects.push(subject);
      blocks.push([]);
    }
    blocks[i].push(b);
  });
  return { subjects, blocks, unassigned };
}
