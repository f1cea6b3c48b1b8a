/**
 * `engine: "auto"`: which engine trains a stack of jobs faster, from the measurements of
 * `bench/tfjs_engine_bench.ts` (model-epochs per second by hidden size, stack size and backend).
 *
 * @module
 */

import type { TfjsBackendName } from "./backend.ts";
import type { EngineName } from "../training_options.ts";

/** The engine option of `fit` and `trainMany` (declared once, in `training_options.ts`). */
export type EngineChoice = EngineName;

/** What `chooseEngine` looks at: one stack of jobs that the tfjs engine would train as one computation. */
export interface StackSummary {
  /** Cell name. */
  cell: string;
  /** Hidden size. */
  hidden: number;
  /** Number of models in the stack. */
  models: number;
  /** Blocks the stack runs over (the union of its models' blocks). */
  blocks: number;
}

/** The machine: the tfjs backend that would run, and the native engine's worker threads. */
export interface MachineSummary {
  /** The tfjs backend that would run. */
  backend: TfjsBackendName;
  /** Worker threads of the native engine. */
  workers: number;
}

/** The engine chosen for a stack, and why. */
export interface EngineDecision {
  /** The engine to use. */
  engine: "native" | "tfjs";
  /** One line on why. */
  reason: string;
}

/**
 * Pick the faster engine for a stack. The native engine's rate per thread falls with hidden² and is the same for
 * any number of models; tfjs pays a fixed cost per op that stacking shares among models, so it can only win with
 * a GPU, a wide stack and large hidden sizes.
 *
 * @example
 * ```ts
 * const { engine, reason } = chooseEngine(
 *   { cell: "gru", hidden: 128, models: 24, blocks: 500 },
 *   { backend: "webgpu", workers: 2 },
 * );
 * console.log(engine, reason);
 * ```
 */
export function chooseEngine(stack: StackSummary, machine: MachineSummary): EngineDecision {
  const work = stack.models * stack.hidden * stack.hidden;
  if (machine.backend === "webgpu" && stack.hidden >= WEBGPU_MIN_HIDDEN && work >= WEBGPU_MIN_WORK) {
    return {
      engine: "tfjs",
      reason: `webgpu: ${stack.models} models x hidden ${stack.hidden} is past the measured crossover`,
    };
  }
  return {
    engine: "native",
    reason: machine.backend === "webgpu"
      ? `webgpu: ${stack.models} models x hidden ${stack.hidden} is below the crossover`
      : `tfjs-${machine.backend} is slower than the native engine at every measured size`,
  };
}

/** Smallest hidden size at which the webgpu engine has been seen to beat the native one. */
const WEBGPU_MIN_HIDDEN = 32;
/** Smallest models x hidden² for webgpu (an estimate: no GPU has run the bench yet). */
const WEBGPU_MIN_WORK = 16 * 32 * 32;
