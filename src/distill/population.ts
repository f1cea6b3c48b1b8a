/**
 * A simulated population of subjects with known individual parameters, the setting distillation is for:
 * many subjects with few trials each. Every subject is one cognitive model with its own parameters drawn
 * uniformly from given ranges; the generating models' NLL on the data is then the ceiling any fitted model
 * can approach.
 *
 * @module
 */

import { cognitive, type CognitiveModel } from "../agents/cognitive.ts";
import type { Block, Dataset } from "../data/dataset.ts";
import { checkNumber, rejectUnknownKeys, TinyRnnInputError } from "../options.ts";
import { deriveSeed, RandomState } from "../random.ts";
import { simulate } from "../simulate.ts";
import { tasks } from "../tasks/mod.ts";
import type { Task } from "../tasks/task.ts";

/** Options of {@link simulatePopulation}. */
export interface PopulationOptions {
  /** Number of subjects. Default 50. */
  subjects?: number;
  /** Blocks per subject. Default 6. */
  blocks?: number;
  /** Trials per block. Default 25. */
  trials?: number;
  /** Generating cognitive model. Default `"MB0"` (a model-free Q-learner on two arms). */
  model?: string;
  /** Uniform range of each parameter, by name. Default `{ alpha: [0.1, 0.9], iTemp: [1, 8] }`. */
  ranges?: Readonly<Record<string, readonly [number, number]>>;
  /** The task, a function returning a fresh one. Default `tasks.reversal()`. */
  task?: () => Task;
  /** Seed of the parameters and the simulation. Default 0. */
  seed?: number;
}

/** A simulated population. */
export interface Population {
  /** The data set: every block carries its `subject` (`"s00"`, `"s01"`, ...). */
  data: Dataset;
  /** Per subject, its generating model (with its parameters). */
  models: CognitiveModel[];
  /** Subject names, in data order. */
  subjects: string[];
}

/**
 * Simulate `subjects` subjects, each the `model` with parameters drawn uniformly from `ranges`, each doing
 * `blocks` blocks of `trials` trials of the task.
 *
 * @example
 * ```ts
 * import { simulatePopulation } from "./population.ts";
 * const { data, models } = simulatePopulation({ subjects: 4, blocks: 3, trials: 10 });
 * data.blocks.length; // 12
 * models[0].params.alpha; // this subject's learning rate
 * ```
 */
export function simulatePopulation(options: PopulationOptions = {}): Population {
  const where = "simulatePopulation";
  rejectUnknownKeys(where, options, ["subjects", "blocks", "trials", "model", "ranges", "task", "seed"]);
  const n = checkNumber(where, "subjects", options.subjects ?? 50, { min: 1, integer: true });
  const blocks = checkNumber(where, "blocks", options.blocks ?? 6, { min: 1, integer: true });
  const trials = checkNumber(where, "trials", options.trials ?? 25, { min: 1, integer: true });
  const seed = checkNumber(where, "seed", options.seed ?? 0, { min: 0, max: 0xffffffff, integer: true });
  const name = options.model ?? "MB0";
  const ranges = options.ranges ?? { alpha: [0.1, 0.9], iTemp: [1, 8] };
  const makeTask = options.task ?? (() => tasks.reversal());
  const base = cognitive(name);
  for (const key of Object.keys(ranges)) {
    if (!base.paramNames.includes(key)) {
      throw new TinyRnnInputError(
        `${where}: ranges: ${name} has no parameter ${key} (${base.paramNames.join(", ")})`,
      );
    }
  }
  const random = new RandomState(seed);
  const width = String(n - 1).length;
  const subjects: string[] = [];
  const models: CognitiveModel[] = [];
  const all: Block[] = [];
  let kind: Dataset["kind"] = "bandit";
  let nActions = 2;
  for (let s = 0; s < n; s++) {
    const params: Record<string, number> = {};
    for (const [key, [low, high]] of Object.entries(ranges)) {
      params[key] = low + (high - low) * random.random();
    }
    const model = cognitive(name, params);
    const subject = `s${String(s).padStart(width, "0")}`;
    const task = makeTask();
    const data = simulate(model, task, { blocks, trials, seed: deriveSeed(seed, "population", s) });
    kind = data.kind;
    nActions = data.nActions;
    data.blocks.forEach((block, b) =>
      all.push({ ...block, id: `${subject}/${b}`, subject, internal: undefined })
    );
    subjects.push(subject);
    models.push(model);
  }
  for (const block of all) delete block.internal;
  return {
    data: {
      kind,
      nActions,
      blocks: all,
      meta: {
        population: { model: name, ranges, subjects: n, blocks, trials, seed },
        task: { name: makeTask().name },
      },
    },
    models,
    subjects,
  };
}

/**
 * The generating models' NLL per scored trial on the given blocks of a population (each block scored by its
 * subject's model): the ceiling of any fitted model.
 */
export function generatingLoss(
  population: Population,
  blocks?: readonly number[],
): { loss: number; trials: number } {
  const index = new Map(population.subjects.map((s, i) => [s, i]));
  let total = 0;
  let trials = 0;
  for (const b of blocks ?? population.data.blocks.map((_, i) => i)) {
    const block = population.data.blocks[b];
    const ll = population.models[index.get(block.subject!)!].logLikelihood([block]);
    total -= ll.total;
    trials += ll.scoredTrials;
  }
  return { loss: total / trials, trials };
}
