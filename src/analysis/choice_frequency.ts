/**
 * The empirical policy check, as in the paper: how often the next choice is A1, per logit bin and trial type, against
 * the model's own prediction. With k > 2 options (where `logitChanges` gives the chosen option's log-odds) it
 * counts how often the next choice repeats the trial's option, against the model's P(repeat).
 *
 * @module
 */

import { trialTypeCount } from "../data/dataset.ts";
import { checkNumber, rejectUnknownKeys } from "../options.ts";
import { clopperPearson } from "./beta.ts";
import type { LogitChanges } from "./logits.ts";
import { trialTypeLabels } from "./trial_types.ts";

/** Options of `nextChoiceFrequency`. */
export interface ChoiceFrequencyOptions {
  /** Width of the logit bins; edges at multiples of it (default 0.5, as the original). */
  binWidth?: number;
  /** Confidence of the Clopper-Pearson interval (default 0.68, as the original). */
  confidence?: number;
  /** Pseudo-count added to each action's count (default 1, as the original). */
  pseudoCount?: number;
}

/** One (trial type, logit bin) cell. */
export interface ChoiceFrequencyBin {
  trialType: number;
  label: string;
  /** Bin [low, high) of L(t). */
  low: number;
  high: number;
  /** Trials in the bin that have a next trial. */
  n: number;
  /** Of those, how many chose A1 next (k > 2 options: repeated the trial's option). */
  nextA1: number;
  /** (nextA1 + pseudoCount) / (n + 2 pseudoCount). */
  frequency: number;
  /** Clopper-Pearson interval on the pseudo-counted proportion. */
  lower: number;
  upper: number;
  /** Mean of the model's P(A1) (k > 2: P(the trial's option)) for the next trial, σ(L(t) + dL(t)). */
  modelProbability: number;
}

/** Next-choice frequency of A1 per trial type and bin of L(t), with Clopper-Pearson intervals. */
export function nextChoiceFrequency(
  changes: LogitChanges,
  options: ChoiceFrequencyOptions = {},
): ChoiceFrequencyBin[] {
  const where = "nextChoiceFrequency";
  rejectUnknownKeys(where, options, ["binWidth", "confidence", "pseudoCount"]);
  const width = checkNumber(where, "binWidth", options.binWidth ?? 0.5, { min: 0, exclusiveMin: true });
  const confidence = checkNumber(where, "confidence", options.confidence ?? 0.68, { min: 0, max: 1 });
  const pseudo = checkNumber(where, "pseudoCount", options.pseudoCount ?? 1, { min: 0 });
  const nActions = changes.nActions ?? 2;
  const labels = trialTypeLabels(changes.kind, nActions);
  // With k > 2 options L is the chosen option's log-odds, so the event is "the next choice repeats it".
  const chosen = changes.logitOf === "chosen";
  const cells = new Map<string, { type: number; bin: number; n: number; a1: number; prob: number }>();
  for (let i = 0; i < changes.logit.length; i++) {
    if (changes.nextAction[i] < 0) continue;
    const type = changes.trialType[i];
    const bin = Math.floor(changes.logit[i] / width);
    const key = `${type}/${bin}`;
    let cell = cells.get(key);
    if (!cell) cells.set(key, cell = { type, bin, n: 0, a1: 0, prob: 0 });
    cell.n++;
    if (changes.nextAction[i] === (chosen ? changes.action[i] : 0)) cell.a1++;
    const next = changes.logit[i] + changes.change[i];
    cell.prob += 1 / (1 + Math.exp(-next));
  }
  const rows: ChoiceFrequencyBin[] = [];
  for (const cell of cells.values()) {
    const k = cell.a1 + pseudo;
    const n = cell.n + 2 * pseudo;
    // The interval needs integer counts; fractional pseudo-counts are rounded for it only.
    const interval = clopperPearson(Math.round(k), Math.round(n), confidence);
    rows.push({
      trialType: cell.type,
      label: labels[cell.type],
      low: cell.bin * width,
      high: (cell.bin + 1) * width,
      n: cell.n,
      nextA1: cell.a1,
      frequency: k / n,
      lower: interval.lower,
      upper: interval.upper,
      modelProbability: cell.prob / cell.n,
    });
  }
  rows.sort((a, b) => a.trialType - b.trialType || a.low - b.low);
  if (rows.some((r) => r.trialType >= trialTypeCount(changes.kind, nActions))) {
    throw new RangeError(`${where}: trial types exceed the ${changes.kind} range`);
  }
  return rows;
}
