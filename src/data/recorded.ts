/**
 * The columns a simulation records beside the choices: the task's reward probabilities and the agent's
 * choice probabilities, as per-trial extras, which is how `toCsv`, `saveCsv` and `deno task simulate` write
 * them.
 *
 * @module
 */

import type { Dataset } from "./dataset.ts";

/**
 * The data set with the simulation's recorded variables added as extra columns of every block: `p0`, `p1`, ...
 * (P(reward) of each second-stage state, from `schedule.rewardProbs`), `p_common` (P(common transition), from
 * `schedule.transitionProbs`, two-stage tasks) and `p_action0`, ... (the agent's probability of each action
 * but the last, which is implied, from `choiceProbs`). Blocks without these fields are left as they are;
 * existing extras are kept (a recorded column replaces an extra of the same name). The input is not changed.
 *
 * @example
 * ```ts
 * import { cognitive, simulate, tasks, withRecordedColumns } from "@tinyrnn/tinyrnn";
 *
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 2, trials: 5, seed: 1 });
 * console.log(Object.keys(withRecordedColumns(data).blocks[0].extra ?? {})); // ["p0", "p1", "p_action0"]
 * ```
 */
export function withRecordedColumns(data: Dataset): Dataset {
  const blocks = data.blocks.map((block) => {
    const extra: Record<string, number[]> = {};
    const rewardProbs = block.schedule?.rewardProbs;
    if (rewardProbs && rewardProbs.length > 0) {
      for (let s = 0; s < rewardProbs[0].length; s++) extra[`p${s}`] = rewardProbs.map((row) => row[s]);
    }
    const transitionProbs = block.schedule?.transitionProbs;
    if (transitionProbs) extra.p_common = transitionProbs.slice();
    // The last action's probability is implied (1 minus the rest), as in the tutorial's file.
    if (block.choiceProbs) {
      for (let a = 0; a < data.nActions - 1; a++) {
        extra[`p_action${a}`] = block.choiceProbs.map((row) => row[a]);
      }
    }
    if (Object.keys(extra).length === 0) return block;
    return { ...block, extra: { ...block.extra, ...extra } };
  });
  return { ...data, blocks };
}
