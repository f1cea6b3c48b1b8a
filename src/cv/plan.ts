/**
 * The deterministic plan of a cross-validation run: every model instance (model spec × outer × inner × seed ×
 * L1 strength) with a stable string id, grouped by the (outer, inner) fold whose data they share, and cut
 * into shards so that separate processes or cluster tasks can each train a part of the run.
 *
 * The same options always give the same plan, on every machine, so shards agree on who trains what without
 * talking to each other.
 *
 * @module
 */

import { checkNumber, rejectUnknownKeys, TinyRnnInputError } from "../options.ts";

/** A candidate model: a recurrent network of some cell and size, or a named cognitive model. */
export type ModelSpec =
  | { kind: "rnn"; cell: string; hidden: number }
  | { kind: "cognitive"; name: string };

/** One model instance to train: a spec on one fold with one seed and (for networks) one L1 strength. */
export interface WorkUnit {
  /** Stable id, e.g. `gru-2/l1-1e-05/outer0-inner1-seed0`, or `MB0/outer0-inner1-seed0` for cognitive models. */
  id: string;
  /** {@link modelId} of `spec`. */
  model: string;
  spec: ModelSpec;
  /** L1 strength (0 for cognitive models). */
  l1: number;
  outer: number;
  inner: number;
  seed: number;
}

/** The units of one (outer, inner) fold, which share their training, validation and test data. */
export interface FoldGroup {
  /** `outer{o}-inner{i}`. */
  id: string;
  outer: number;
  inner: number;
  units: WorkUnit[];
}

/** A complete plan. */
export interface Plan {
  /** All units, fold-group-major: by outer, inner, then model (in the given order), L1, seed. */
  units: WorkUnit[];
  /** The same units grouped by fold. */
  groups: FoldGroup[];
}

/** The fold structure a plan needs: outer fold indices and their inner fold indices (as `OuterFold` has). */
export interface FoldShape {
  outer: number;
  inner: readonly { inner: number }[];
}

/** Options of {@link makePlan}. */
export interface PlanOptions {
  /** Candidate models; their ids must be distinct. */
  models: readonly ModelSpec[];
  /** Folds of the split, or fold counts (`{ outer: 10, inner: 9 }`) meaning every inner fold of every outer fold. */
  folds: readonly FoldShape[] | { outer: number; inner: number };
  /** Number of seeds (seeds 0..n-1) or the list of seeds. */
  seeds: number | readonly number[];
  /** L1 strengths tried for every network (default `[1e-5]`); cognitive models have none. */
  l1?: readonly number[];
}

/** The id of a model spec: `"<cell>-<hidden>"` for networks (e.g. `"gru-2"`), the name for cognitive models. */
export function modelId(spec: ModelSpec): string {
  return spec.kind === "rnn" ? `${spec.cell}-${spec.hidden}` : spec.name;
}

/**
 * Python's `str(float)` (shortest round trip; scientific below 1e-4 and from 1e16), so that ids read like
 * the original's folder names: `1e-05`, `0.0001`, `0.001`, `0.0`.
 */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, exponentText] = x.toExponential().split("e");
  const exponent = Number(exponentText);
  const sign = mantissa.startsWith("-") ? "-" : "";
  const digits = mantissa.replace("-", "").replace(".", "");
  if (exponent < -4 || exponent >= 16) {
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exponent).toString().padStart(2, "0");
    return `${sign}${body}e${exponent < 0 ? "-" : "+"}${e}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction === "" ? "0" : fraction}`;
}

/** The id of one unit. */
export function unitId(
  spec: ModelSpec,
  { l1, outer, inner, seed }: { l1: number; outer: number; inner: number; seed: number },
): string {
  const fold = `outer${outer}-inner${inner}-seed${seed}`;
  return spec.kind === "rnn" ? `${modelId(spec)}/l1-${pythonFloat(l1)}/${fold}` : `${modelId(spec)}/${fold}`;
}

/**
 * Enumerate every instance of a cross-validation run.
 *
 * @example
 * ```ts
 * import { makePlan } from "./plan.ts";
 *
 * const plan = makePlan({
 *   models: [{ kind: "rnn", cell: "gru", hidden: 1 }, { kind: "rnn", cell: "gru", hidden: 2 }],
 *   folds: { outer: 3, inner: 2 },
 *   seeds: 2,
 *   l1: [1e-5],
 * });
 * plan.units.length; // 24
 * plan.units[0].id; // "gru-1/l1-1e-05/outer0-inner0-seed0"
 * ```
 */
export function makePlan(options: PlanOptions): Plan {
  const where = "plan";
  rejectUnknownKeys(where, options, ["models", "folds", "seeds", "l1"]);
  const models = validateModels(options.models);
  const folds = foldList(options.folds);
  const seeds = typeof options.seeds === "number"
    ? Array.from(
      { length: checkNumber(where, "seeds", options.seeds, { min: 1, integer: true }) },
      (_, s) => s,
    )
    : [...options.seeds];
  if (seeds.length === 0) throw new TinyRnnInputError(`${where}: seeds must not be empty`);
  seeds.forEach((s, i) => checkNumber(where, `seeds[${i}]`, s, { min: 0, integer: true }));
  if (new Set(seeds).size !== seeds.length) throw new TinyRnnInputError(`${where}: seeds list a seed twice`);
  const l1 = [...(options.l1 ?? [1e-5])];
  if (l1.length === 0) throw new TinyRnnInputError(`${where}: l1 must list at least one strength`);
  l1.forEach((v, i) => checkNumber(where, `l1[${i}]`, v, { min: 0 }));
  if (new Set(l1).size !== l1.length) throw new TinyRnnInputError(`${where}: l1 lists a strength twice`);

  const groups: FoldGroup[] = [];
  for (const fold of folds) {
    for (const { inner } of fold.inner) {
      const units: WorkUnit[] = [];
      for (const spec of models) {
        for (const strength of spec.kind === "rnn" ? l1 : [0]) {
          for (const seed of seeds) {
            const at = { l1: strength, outer: fold.outer, inner, seed };
            units.push({ id: unitId(spec, at), model: modelId(spec), spec, ...at });
          }
        }
      }
      groups.push({ id: `outer${fold.outer}-inner${inner}`, outer: fold.outer, inner, units });
    }
  }
  return { units: groups.flatMap((g) => g.units), groups };
}

/**
 * The units of shard `index` out of `count`. Every unit belongs to exactly one shard; each shard is a
 * contiguous run of the plan's fold-group-major order, so units that share (outer, inner) data stay together.
 * Shards are balanced by `cost` (default 1 per unit): a unit goes to the shard that holds the midpoint of its
 * cost interval.
 *
 * @example
 * ```ts
 * import { makePlan, shard } from "./plan.ts";
 *
 * const plan = makePlan({ models: [{ kind: "rnn", cell: "gru", hidden: 2 }], folds: { outer: 3, inner: 2 }, seeds: 2 });
 * const mine = shard(plan, 0, 4); // what task 0 of a 4-task array trains
 * console.log(mine.length);
 * ```
 */
export function shard(
  plan: Plan,
  index: number,
  count: number,
  cost: (unit: WorkUnit) => number = () => 1,
): WorkUnit[] {
  const where = "shard";
  checkNumber(where, "count", count, { min: 1, integer: true });
  checkNumber(where, "index", index, { min: 0, max: count - 1, integer: true });
  const costs = plan.units.map((u) => {
    const c = cost(u);
    if (!(c > 0) || !Number.isFinite(c)) {
      throw new RangeError(`${where}: cost of ${u.id} must be positive, got ${c}`);
    }
    return c;
  });
  const total = costs.reduce((s, c) => s + c, 0);
  const mine: WorkUnit[] = [];
  let before = 0;
  plan.units.forEach((unit, k) => {
    const owner = Math.min(count - 1, Math.floor(count * (before + costs[k] / 2) / total));
    if (owner === index) mine.push(unit);
    before += costs[k];
  });
  return mine;
}

/** Group any list of units by (outer, inner) fold, in order of first appearance. */
export function groupUnits(units: readonly WorkUnit[]): FoldGroup[] {
  const groups = new Map<string, FoldGroup>();
  for (const unit of units) {
    const id = `outer${unit.outer}-inner${unit.inner}`;
    let group = groups.get(id);
    if (!group) groups.set(id, group = { id, outer: unit.outer, inner: unit.inner, units: [] });
    group.units.push(unit);
  }
  return [...groups.values()];
}

function validateModels(models: readonly ModelSpec[]): ModelSpec[] {
  const where = "plan";
  if (!Array.isArray(models) || models.length === 0) {
    throw new TinyRnnInputError(`${where}: models must list at least one model`);
  }
  const ids = new Set<string>();
  return models.map((spec, i) => {
    if (spec?.kind === "rnn") {
      rejectUnknownKeys(`${where}: models[${i}]`, spec, ["kind", "cell", "hidden"]);
      if (typeof spec.cell !== "string" || !/^[A-Za-z0-9_]+$/.test(spec.cell)) {
        throw new TinyRnnInputError(
          `${where}: models[${i}].cell must be a name like "gru", got ${JSON.stringify(spec.cell)}`,
        );
      }
      checkNumber(where, `models[${i}].hidden`, spec.hidden, { min: 1, integer: true });
    } else if (spec?.kind === "cognitive") {
      rejectUnknownKeys(`${where}: models[${i}]`, spec, ["kind", "name"]);
      if (typeof spec.name !== "string" || !/^[A-Za-z0-9_().+-]+$/.test(spec.name)) {
        throw new TinyRnnInputError(
          `${where}: models[${i}].name must be a cognitive model name like "MB0", got ${
            JSON.stringify(spec.name)
          }`,
        );
      }
    } else {
      throw new TinyRnnInputError(
        `${where}: models[${i}].kind must be "rnn" or "cognitive", got ${
          JSON.stringify((spec as { kind?: unknown })?.kind)
        }`,
      );
    }
    const id = modelId(spec);
    if (ids.has(id)) throw new TinyRnnInputError(`${where}: model "${id}" is listed twice`);
    ids.add(id);
    return spec;
  });
}

function foldList(folds: PlanOptions["folds"]): FoldShape[] {
  const where = "plan";
  if (Array.isArray(folds)) {
    if (folds.length === 0) throw new TinyRnnInputError(`${where}: folds must not be empty`);
    return folds as FoldShape[];
  }
  const counts = folds as { outer: number; inner: number };
  const outer = checkNumber(where, "folds.outer", counts.outer, { min: 1, integer: true });
  const inner = checkNumber(where, "folds.inner", counts.inner, { min: 1, integer: true });
  return Array.from({ length: outer }, (_, o) => ({
    outer: o,
    inner: Array.from({ length: inner }, (_, i) => ({ inner: i })),
  }));
}
