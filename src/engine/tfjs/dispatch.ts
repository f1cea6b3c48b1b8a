/**
 * Running `trainMany`'s jobs on the engine the caller chose: all on tfjs, or, for `"auto"`, each stack of jobs
 * (same cell, hidden size, readout and `h0`) on the engine `chooseEngine` expects to be faster. Native jobs go
 * to the worker pool while tfjs trains its stacks on the calling thread.
 *
 * @module
 */

import type { Dataset } from "../../data/dataset.ts";
import { TinyRnnInputError } from "../../options.ts";
import { resolveJob, type TrainJob, type TrainResult } from "../job.ts";
import { coreCount, tensorsForJobs, type TrainManyOptions } from "../encoded.ts";
import { trainNative } from "../native_many.ts";
import { chooseEngine, type EngineChoice } from "./auto.ts";
import { useTfjsBackend } from "./backend.ts";
import { isTfjsOnlyCell } from "./only.ts";
import { stackKey, tfjsCellOf, trainTfjs } from "./train.ts";

/** Train `jobs` on the engine(s) `options.engine` selects; results in job order. */
export async function trainOnEngines(
  data: Dataset,
  jobs: readonly TrainJob[],
  options: TrainManyOptions & { engine: EngineChoice },
): Promise<TrainResult[]> {
  const { engine, ...rest } = options;
  const resolved = jobs.map(resolveJob);
  if (engine === "native") {
    const only = resolved.find((j) => isTfjsOnlyCell(j.cell));
    if (only) {
      throw new TinyRnnInputError(
        `cell "${only.cell}" is defined with tfjs ops and has no float64 kernel: train it with engine "tfjs" or "auto"`,
      );
    }
    return await trainNative(data, jobs, { ...rest, engine: "native" });
  }
  const embedded = resolved.findIndex((j) => j.embedding !== undefined);
  if (engine === "tfjs" && embedded >= 0) {
    throw new TinyRnnInputError(
      `job ${embedded} trains a subject embedding, which only the native engine does: use engine "native" or "auto"`,
    );
  }
  resolved.forEach((j) => tfjsCellOf(j.cell));
  const backend = await useTfjsBackend("auto");
  const onTfjs: number[] = [];
  const onNative: number[] = [];
  const reasons = new Map<number, string>();
  if (engine === "tfjs") onTfjs.push(...jobs.keys());
  else {
    const stacks = new Map<string, number[]>();
    resolved.forEach((j, i) => stacks.set(stackKey(j), [...(stacks.get(stackKey(j)) ?? []), i]));
    const workers = rest.workers ?? Math.min(coreCount(), jobs.length);
    for (const members of stacks.values()) {
      const j = resolved[members[0]];
      const blocks = new Set(
        members.flatMap((i) => [...resolved[i].train, ...resolved[i].val, ...resolved[i].test]),
      );
      const pick = isTfjsOnlyCell(j.cell)
        ? { engine: "tfjs" as const, reason: `cell "${j.cell}" exists only as tfjs ops` }
        : members.some((i) => resolved[i].embedding !== undefined)
        ? { engine: "native" as const, reason: "a subject embedding trains only on the native engine" }
        : chooseEngine({ cell: j.cell, hidden: j.hidden, models: members.length, blocks: blocks.size }, {
          backend: backend.backend,
          workers: Math.max(1, workers),
        });
      for (const i of members) {
        (pick.engine === "tfjs" ? onTfjs : onNative).push(i);
        reasons.set(i, `auto: ${pick.reason}`);
      }
    }
  }

  const results: TrainResult[] = new Array(jobs.length);
  let finished = 0;
  const report = rest.onProgress;
  const done = async (index: number, result: TrainResult) => {
    results[index] = result;
    finished++;
    report?.({
      job: index,
      epoch: result.epochs,
      valLoss: result.valLoss,
      done: true,
      finished,
      total: jobs.length,
    });
    await rest.onJobDone?.(index, result);
  };
  const runNative = async () => {
    if (onNative.length === 0) return;
    await trainNative(data, onNative.map((i) => jobs[i]), {
      ...(rest.workers !== undefined ? { workers: rest.workers } : {}),
      ...(rest.progressEvery !== undefined ? { progressEvery: rest.progressEvery } : {}),
      engine: "native",
      ...(report
        ? {
          onProgress: (p) => {
            if (!p.done) report({ ...p, job: onNative[p.job], finished, total: jobs.length });
          },
        }
        : {}),
      onJobDone: (k, result) =>
        done(onNative[k], { ...result, engine: { name: "native", reason: reasons.get(onNative[k]) } }),
    });
  };
  const runTfjs = async () => {
    if (onTfjs.length === 0) return;
    const pending: Promise<void>[] = [];
    await trainTfjs(
      tensorsForJobs(data, onTfjs.map((i) => jobs[i])),
      data.nActions,
      onTfjs.map((i) => jobs[i]),
      {
        every: rest.progressEvery ?? 100,
        ...(report
          ? {
            onEpoch: (k: number, epoch: number, valLoss: number) =>
              report({ job: onTfjs[k], epoch, valLoss, done: false, finished, total: jobs.length }),
          }
          : {}),
        onJobDone: (k, result) => {
          const reason = reasons.get(onTfjs[k]);
          pending.push(
            done(onTfjs[k], reason ? { ...result, engine: { ...result.engine!, reason } } : result),
          );
        },
      },
    );
    await Promise.all(pending);
  };
  await Promise.all([runNative(), runTfjs()]);
  return results;
}
