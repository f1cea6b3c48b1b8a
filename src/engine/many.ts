/**
 * Training many models on one data set: the data set's tensors are built once, and jobs are handed out one at a
 * time to worker threads (a dynamic queue, so a finished job stops costing time and long jobs do not hold up
 * short ones). Results are identical to training inline.
 *
 * @module
 */

import type { Dataset } from "../data/dataset.ts";
import type { InputEncoding } from "../rnn/cell.ts";
import { getCell } from "../rnn/registry.ts";
import { checkChoice, checkNumber, rejectUnknownKeys } from "../options.ts";
import { type BatchTensors, datasetTensors } from "./batch.ts";
import type { TrainJob, TrainResult } from "./job.ts";
import { trainJob } from "./train.ts";
import { isTfjsOnlyCell } from "./tfjs/only.ts";

/** Progress of a `trainMany` call. */
export interface TrainProgress {
  /** Index of the job this report is about. */
  job: number;
  /** Epoch the job has reached (its total epochs when `done`). */
  epoch: number;
  /** Its latest validation loss (best-epoch validation loss when `done`). */
  valLoss: number;
  /** Whether the job has finished. */
  done: boolean;
  /** Jobs finished so far. */
  finished: number;
  /** Number of jobs. */
  total: number;
}

/** Options of `trainMany`. */
export interface TrainManyOptions {
  /**
   * Worker threads to use. Default: one per core, at most one per job; a single job trains inline.
   * 0 trains every job inline on the calling thread.
   */
  workers?: number;
  /** Called as jobs progress and finish. */
  onProgress?: (progress: TrainProgress) => void;
  /** Report progress every this many epochs. Default 100. */
  progressEvery?: number;
  /**
   * Called with each job's result as soon as that job finishes (e.g. to save it, so that a crash loses no
   * finished work). A returned promise is awaited before `trainMany` resolves; a rejection rejects it.
   */
  onJobDone?: (index: number, result: TrainResult) => void | Promise<void>;
  /**
   * Training engine: `"native"` (float64, worker threads; default), `"tfjs"` (float32, stacks many models into
   * one computation on webgpu, wasm or cpu) or `"auto"` (the faster one per stack of jobs). Results say which
   * engine (and backend) trained them.
   */
  engine?: "native" | "tfjs" | "auto";
}

const OPTION_KEYS = ["workers", "onProgress", "progressEvery", "onJobDone", "engine"];

/** Tensors of a data set keyed by input encoding, for the encodings the jobs need. */
export type EncodedTensors = Partial<Record<InputEncoding, BatchTensors>>;

/** Build the tensors every job's cell needs (each encoding once). */
export function tensorsForJobs(data: Dataset, jobs: readonly TrainJob[]): EncodedTensors {
  const tensors: EncodedTensors = {};
  for (const job of jobs) {
    const encoding = getCell(job.cell ?? "gru").encoding;
    tensors[encoding] ??= datasetTensors(data, encoding);
  }
  return tensors;
}

/** Train one job against the pre-built tensors. */
export function trainEncodedJob(
  tensors: EncodedTensors,
  nActions: number,
  job: TrainJob,
  onEpoch?: (epoch: number, valLoss: number) => void,
  every?: number,
): TrainResult {
  const encoding = getCell(job.cell ?? "gru").encoding;
  return trainJob(tensors[encoding]!, nActions, job, onEpoch, every);
}

/** Number of logical cores (at least 1). */
export function coreCount(): number {
  return Math.max(1, navigator.hardwareConcurrency || 1);
}

/**
 * Train every job on the data set and resolve to their results in job order.
 *
 * @example
 * ```ts
 * const results = await trainMany(data, [
 *   { hidden: 1, seed: 0, train: [0, 1], val: [2], test: [3] },
 *   { hidden: 2, seed: 0, train: [0, 1], val: [2], test: [3] },
 * ]);
 * console.log(results.map((r) => r.testLoss));
 * ```
 */
export async function trainMany(
  data: Dataset,
  jobs: readonly TrainJob[],
  options: TrainManyOptions = {},
): Promise<TrainResult[]> {
  rejectUnknownKeys("trainMany", options, OPTION_KEYS);
  const every = checkNumber("trainMany", "progressEvery", options.progressEvery ?? 100, {
    min: 1,
    integer: true,
  });
  const defaultWorkers = jobs.length <= 1 ? 0 : Math.min(coreCount(), jobs.length);
  const workers = Math.min(
    checkNumber("trainMany", "workers", options.workers ?? defaultWorkers, { min: 0, integer: true }),
    jobs.length,
  );
  const engine = checkChoice(
    "trainMany",
    "engine",
    options.engine ?? "native",
    ["native", "tfjs", "auto"] as const,
  );
  if (engine !== "native" || jobs.some((job) => isTfjsOnlyCell(job.cell ?? "gru"))) {
    // Loaded on demand, so that native workers never load tfjs.
    const { trainOnEngines } = await import("./tfjs/dispatch.ts");
    return await trainOnEngines(data, jobs, { ...options, engine }, trainMany);
  }
  const tensors = tensorsForJobs(data, jobs);
  const results: TrainResult[] = new Array(jobs.length);
  let finished = 0;
  const report = options.onProgress;
  if (workers === 0) {
    for (let i = 0; i < jobs.length; i++) {
      results[i] = trainEncodedJob(
        tensors,
        data.nActions,
        jobs[i],
        report &&
          ((epoch, valLoss) => report({ job: i, epoch, valLoss, done: false, finished, total: jobs.length })),
        every,
      );
      finished++;
      report?.({
        job: i,
        epoch: results[i].epochs,
        valLoss: results[i].valLoss,
        done: true,
        finished,
        total: jobs.length,
      });
      await options.onJobDone?.(i, results[i]);
    }
    return results;
  }
  return await new Promise<TrainResult[]>((resolve, reject) => {
    let next = 0;
    let failed = false;
    const pool: Worker[] = [];
    const stopAll = () => pool.forEach((w) => w.terminate());
    const callbacks: Promise<void>[] = [];
    const jobDone = (index: number, result: TrainResult) => {
      if (!options.onJobDone) return;
      callbacks.push(
        Promise.resolve().then(() => options.onJobDone!(index, result)).catch((error) => {
          if (failed) return;
          failed = true;
          stopAll();
          reject(error);
        }),
      );
    };
    // Jobs handed to each worker and not yet done. A worker holds a second job while more jobs are left
    // than workers, so that it starts it without waiting for the round trip through this thread (a few ms,
    // several per cent of a short job); near the end each holds one, so that no job waits behind another
    // while a worker is idle.
    const held = new Map<Worker, number>();
    const handOut = (worker: Worker) => {
      while (next < jobs.length && (held.get(worker) ?? 0) < (jobs.length - next > workers ? 2 : 1)) {
        const index = next++;
        held.set(worker, (held.get(worker) ?? 0) + 1);
        worker.postMessage({ type: "job", index, job: jobs[index], every, progress: report !== undefined });
      }
    };
    for (let k = 0; k < workers; k++) {
      const worker = new Worker(new URL("./worker.ts", import.meta.url).href, { type: "module" });
      pool.push(worker);
      worker.onmessage = (event: MessageEvent) => {
        const msg = event.data;
        if (failed) return;
        if (msg.type === "progress") {
          report?.({
            job: msg.index,
            epoch: msg.epoch,
            valLoss: msg.valLoss,
            done: false,
            finished,
            total: jobs.length,
          });
        } else if (msg.type === "done") {
          held.set(worker, held.get(worker)! - 1);
          results[msg.index] = msg.result;
          finished++;
          report?.({
            job: msg.index,
            epoch: msg.result.epochs,
            valLoss: msg.result.valLoss,
            done: true,
            finished,
            total: jobs.length,
          });
          jobDone(msg.index, msg.result);
          if (finished === jobs.length) {
            stopAll();
            Promise.all(callbacks).then(() => {
              if (!failed) resolve(results);
            });
          } else handOut(worker);
        } else if (msg.type === "error") {
          failed = true;
          stopAll();
          reject(new Error(`training job ${msg.index} failed: ${msg.message}`));
        }
      };
      worker.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        if (failed) return;
        failed = true;
        stopAll();
        reject(new Error(`training worker failed: ${event.message}`));
      };
      worker.postMessage({ type: "data", tensors, nActions: data.nActions });
      handOut(worker);
    }
  });
}
