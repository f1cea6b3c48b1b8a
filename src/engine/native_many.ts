/**
 * The native engine's side of `trainMany`: float64 training of many jobs on one data set, the tensors built
 * once, jobs handed out one at a time to worker threads (a dynamic queue, so a finished job stops costing time
 * and long jobs do not hold up short ones). Results are identical to training inline.
 *
 * @module
 */

import type { Dataset } from "../data/dataset.ts";
import { checkNumber } from "../options.ts";
import { coreCount, tensorsForJobs, trainEncodedJob, type TrainManyOptions } from "./encoded.ts";
import type { TrainJob, TrainResult } from "./job.ts";

/** Train every job with the native engine; results in job order. Options as `trainMany`'s (engine ignored). */
export async function trainNative(
  data: Dataset,
  jobs: readonly TrainJob[],
  options: TrainManyOptions = {},
): Promise<TrainResult[]> {
  const every = checkNumber("trainMany", "progressEvery", options.progressEvery ?? 100, {
    min: 1,
    integer: true,
  });
  const defaultWorkers = jobs.length <= 1 ? 0 : Math.min(coreCount(), jobs.length);
  const workers = options.optimizer !== undefined ? 0 : Math.min(
    checkNumber("trainMany", "workers", options.workers ?? defaultWorkers, { min: 0, integer: true }),
    jobs.length,
  );
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
        options.optimizer,
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
