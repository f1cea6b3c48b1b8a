/**
 * Plain-text event logs of the mouse two-step task with transition reversals (Akam et al.): one file per
 * subject and session, one event per line.
 *
 * @module
 */

import type { Dataset } from "./dataset.ts";
import { readText } from "./files.ts";
import {
  baseName,
  finishImport,
  type ImportedBlock,
  type ImportedTrial,
  listFiles,
} from "./import_helpers.ts";
import { TinyRnnInputError } from "../options.ts";

const EVENT = /^\s*(-?\d+(?:\.\d+)?)\s*:\s*(.*?)\s*$/;
const TRIAL_START = /^trial-(\d+)\/RewardBlock:([^/]*)\/TransitionBlock:(.*)$/;

function blockValue(text: string): number | string {
  const v = Number(text);
  return text !== "" && Number.isFinite(v) ? v : text;
}

/**
 * One log as a block. Lines are `<time_ms> :<event>`. `trial-N/RewardBlock:r/TransitionBlock:t` starts a
 * trial and gives the block states; the first `triggered Up` / `triggered Down` after it is the first-step
 * choice (action 0 / 1); the first `triggered Left` / `triggered Right` after the choice is the second-step
 * state reached (0 / 1); `ons_msReward` / `ons_msNoRwrd` is the outcome (1 / 0). Other events (key presses,
 * repeated triggers) are ignored. Because the transition structure reverses, common is not always state =
 * action here: the transition block is kept as the extra `transitionBlock` (and the reward block as
 * `rewardBlock`), with `trialNumber` and `time` (ms at the trial start).
 *
 * A trial that has no choice, state or outcome before the next trial starts is masked (mask 0; missing
 * parts 0); an unfinished last trial (the session ended) is dropped. Lines before the first trial that are
 * not events (a header) are skipped; after it, a line that is not `<time> :<event>` is an error naming the
 * file and line.
 *
 * @example
 * ```ts
 * import { parseAkamLog } from "./akam_log.ts";
 * const block = parseAkamLog("1 :trial-1/RewardBlock:0/TransitionBlock:1\n2 :triggered Up\n3 :triggered Left\n4 :ons_msReward\n", "m1.txt");
 * ```
 */
export function parseAkamLog(text: string, source: string): ImportedBlock {
  const trials: ImportedTrial[] = [];
  let current:
    | {
      action?: number;
      state?: number;
      reward?: number;
      line: number;
      extra: Record<string, number | string>;
    }
    | undefined;
  const close = (final: boolean) => {
    if (!current) return;
    const complete = current.action !== undefined && current.state !== undefined &&
      current.reward !== undefined;
    if (!complete && final) return;
    trials.push({
      action: complete ? current.action! : 0,
      state: complete ? current.state! : 0,
      reward: complete ? current.reward! : 0,
      ...(complete ? {} : { mask: 0 }),
      line: current.line,
      extra: current.extra,
    });
  };
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === "") return;
    const m = EVENT.exec(raw);
    if (!m) {
      if (trials.length === 0 && !current) return;
      throw new TinyRnnInputError(
        `${source} line ${line}: expected "<time_ms> :<event>", got ${JSON.stringify(raw)}`,
      );
    }
    const time = Number(m[1]);
    const event = m[2];
    const start = TRIAL_START.exec(event);
    if (start) {
      close(false);
      current = {
        line,
        extra: {
          trialNumber: Number(start[1]),
          rewardBlock: blockValue(start[2]),
          transitionBlock: blockValue(start[3]),
          time,
        },
      };
      return;
    }
    if (!current) return;
    if (event === "triggered Up" || event === "triggered Down") {
      if (current.action === undefined) current.action = event.endsWith("Up") ? 0 : 1;
    } else if (event === "triggered Left" || event === "triggered Right") {
      if (current.action !== undefined && current.state === undefined) {
        current.state = event.endsWith("Left") ? 0 : 1;
      }
    } else if (event === "ons_msReward" || event === "ons_msNoRwrd") {
      if (current.state !== undefined && current.reward === undefined) {
        current.reward = event === "ons_msReward" ? 1 : 0;
      }
    }
  });
  close(true);
  if (trials.length === 0) {
    throw new TinyRnnInputError(`${source}: no complete trial (no "trial-N/RewardBlock:..." line)`);
  }
  return { id: baseName(source), source, subject: baseName(source), trials };
}

/**
 * Read one Akam-style event log, or a folder of them (`*.txt`, `*.log`; one block per file, id and
 * `subject` = the file's name): a two-stage data set.
 *
 * @example
 * ```ts
 * import { loadPreset } from "@tinyrnn/tinyrnn";
 * const data = loadPreset("logs/m1_session3.txt", "akamLog");
 * ```
 */
export function loadAkamLog(path: string): Dataset {
  const files = listFiles(path, /\.(txt|log)$/i);
  return finishImport(files.map((file) => parseAkamLog(readText(file), file)), {
    kind: "twoStage",
    nActions: 2,
    binaryReward: true,
    source: path,
    meta: { source: path, preset: "akamLog", files: files.length },
  });
}
