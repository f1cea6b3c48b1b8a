/**
 * Tiny RNNs against the classic cognitive models on every real data set it can find, as the paper's
 * model-comparison panels, at a size that fits a shared 2-core machine.
 *
 * Data sets: the shared ones always (`../shared/data/`, see its README: the Bartolo monkey session, Dezfouli
 * et al. 2019, Feher da Silva & Hare 2020 (both versions), hBayesDM's example files), and, with
 * `--data-dir DIR`, every entry of DIR named `<preset>` or `<preset>_<anything>` (a file or folder), read with
 * `loadPreset(path, preset)` (e.g. `bahrami_study1.csv`, `suthaharan/`, `gillan_study2/`).
 *
 * Protocol (the paper's, smaller): nested cross-validation with `crossValidate` over blocks, subjects pooled
 * as blocks (one block per participant and session, as each importer makes them), `--outer` x `--inner`
 * folds x `--seeds` seeds (default 3 x 2 x 1), GRU and SGRU with d = 1..4, one L1 strength (1e-5), training
 * capped at `--max-epochs` (default 2000) with patience `--patience` (default 200, the paper's), and the
 * cognitive models of the task (`modelsFor` below: the PRL family and latent-state models for two-option
 * bandits, the RTS and hybrid models for two-stage tasks, the k-option Q family for k > 2). A data set of
 * more than `--max-trials` trials (default 12000) is subsampled by subject: subjects in a seeded random
 * order, kept while the total stays within the cap (Dezfouli et al.'s 132,000 key presses become 9 of 101
 * people, 11,558 presses); the output says so.
 *
 * Per data set it prints one table row: pooled test NLL of the best tiny RNN and of the best cognitive model
 * (by pooled test NLL), their per-trial difference (RNN − cognitive; negative = the network predicts better)
 * with its SEM over test trials and over test blocks (each outer fold's selected model is run on its test
 * blocks; the pooled numbers are checked against the summary's), the dimensionality estimate
 * (`estimateDimensionality` inside `crossValidate`), scored trials and wall time. Each data set's
 * loss-versus-d figure (`modelComparison`) goes to `--out` (default `results/datasets/`, which git ignores) as
 * `<data set>.svg`, with the table as `datasets.md` and `datasets.json`.
 *
 * Run: `nice -n 10 deno task bench datasets [--data-dir DIR] [--out DIR] [--only a,b] [--max-trials N]
 * [--outer 3] [--inner 2] [--seeds 1] [--max-epochs 2000] [--patience 200] [--workers N]`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { crossValidate, type CrossValidateOptions } from "../src/cv/cross_validate.ts";
import { loadResults } from "../src/report/results.ts";
import { modelOfRecord } from "../src/cv/model_of_record.ts";
import { mean, sem } from "../src/cv/stats.ts";
import { logLikelihood } from "../src/agents/agent.ts";
import type { CognitiveOptions } from "../src/agents/cognitive.ts";
import type { Dataset } from "../src/data/dataset.ts";
import { type CsvPreset, loadPreset, type LoadPresetName } from "../src/data/presets.ts";
import { loadBartolo } from "../src/data/bartolo.ts";
import { rewardScaleOf } from "../src/rnn/encoding.ts";
import { modelComparison } from "../src/plot/model_comparison.ts";
import { RandomState } from "../src/random.ts";
import { resolveAgent } from "../src/analysis/resolve_agent.ts";

const SHARED = new URL("../../shared/data/", import.meta.url).pathname;
const { values: args } = parseArgs({
  options: {
    "data-dir": { type: "string" },
    out: { type: "string", default: new URL("../results/datasets/", import.meta.url).pathname },
    only: { type: "string" },
    "max-trials": { type: "string", default: "12000" },
    outer: { type: "string", default: "3" },
    inner: { type: "string", default: "2" },
    seeds: { type: "string", default: "1" },
    "max-epochs": { type: "string", default: "2000" },
    patience: { type: "string", default: "200" },
    workers: { type: "string" },
  },
});
const int = (name: keyof typeof args, min: number): number => {
  const v = Number(args[name]);
  if (!Number.isInteger(v) || v < min) {
    console.error(`--${name} must be an integer >= ${min}, got ${args[name]}`);
    Deno.exit(2);
  }
  return v;
};
const MAX_TRIALS = int("max-trials", 1);
const OUTER = int("outer", 2);
const INNER = int("inner", 2);
const SEEDS = int("seeds", 1);
const MAX_EPOCHS = int("max-epochs", 1);
const PATIENCE = int("patience", 1);
const WORKERS = args.workers === undefined ? undefined : int("workers", 0);
const OUT = args.out!.replace(/\/?$/, "/");

/** The cognitive models fitted per kind of task (the registry's families that score such data). */
function modelsFor(data: Dataset): string[] {
  if (data.nActions > 2) return ["QFP", "QFPb", "QFCK"];
  if (data.kind === "twoStage") return ["MB0", "MB1", "MXs", "MFs", "Q(1)"];
  return ["MB0", "MB1", "MB0p", "MFDp", "LS0", "LS1"];
}

/** A data set the bench knows how to read. */
interface Source {
  name: string;
  what: string;
  load: () => Dataset;
  cognitiveOptions?: CognitiveOptions;
}

/** hBayesDM's prl_multipleB file: outcome ±25 points, blocks per subject and block. */
const PRL_MULTIPLE_B: CsvPreset = {
  name: "prl_multipleB",
  description: "hBayesDM prl_multipleB: subjID, block, choice (1/2), outcome (+25/-25)",
  kind: "bandit",
  required: ["subjID", "block", "choice", "outcome"],
  optional: [],
  blockBy: ["subjID", "block"],
  subjectBy: "subjID",
  keepOtherColumns: false,
  trial(row) {
    const action = row.oneOf("choice", [1, 2]) - 1;
    return { action, state: action, reward: row.oneOf("outcome", [25, -25]) > 0 ? 1 : 0 };
  },
};

/** hBayesDM's bandit4arm file (Seymour et al. 2012 style): reward = gain (0/1) + loss (0/-1), in {-1, 0, 1}. */
const BANDIT_4ARM_GAIN_LOSS: CsvPreset = {
  name: "bandit4arm",
  description: "hBayesDM bandit4arm: subjID, gain (0/1), loss (0/-1), choice (1-4)",
  kind: "bandit",
  nActions: 4,
  binaryReward: false,
  required: ["subjID", "gain", "loss", "choice"],
  optional: [],
  blockBy: ["subjID"],
  subjectBy: "subjID",
  keepOtherColumns: false,
  trial(row) {
    const action = row.oneOf("choice", [1, 2, 3, 4]) - 1;
    return { action, state: action, reward: row.oneOf("gain", [0, 1]) + row.oneOf("loss", [0, -1]) };
  },
};

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

function sharedSources(): Source[] {
  const h = `${SHARED}hbayesdm/`;
  const list: (Source & { path: string })[] = [
    {
      name: "bartolo-V",
      what: "Bartolo & Averbeck monkey V, one session, 2-option reversal (60-trial blocks)",
      path: `${SHARED}SPKcounts_V20161017cue_MW_250X250ms.mat`,
      load: () => loadBartolo(`${SHARED}SPKcounts_V20161017cue_MW_250X250ms.mat`),
    },
    {
      name: "dezfouli2019",
      what: "Dezfouli et al. 2019, 2-armed bandit (key presses), 101 people",
      path: `${SHARED}dezfouli2019/`,
      load: () => loadPreset(`${SHARED}dezfouli2019/`, "dezfouli"),
    },
    {
      name: "feher-magic-carpet",
      what: "Feher da Silva & Hare 2020, two-stage (magic carpet), 24 people",
      path: `${SHARED}feherdasilva2020/magic_carpet/choices`,
      load: () => loadPreset(`${SHARED}feherdasilva2020/magic_carpet/choices`, "feherdasilva"),
      cognitiveOptions: { task: "twoStage", pTransit: 0.7 },
    },
    {
      name: "feher-spaceship",
      what: "Feher da Silva & Hare 2020, two-stage (spaceship), 21 people",
      path: `${SHARED}feherdasilva2020/spaceship/choices`,
      load: () => loadPreset(`${SHARED}feherdasilva2020/spaceship/choices`, "feherdasilva"),
      cognitiveOptions: { task: "twoStage", pTransit: 0.7 },
    },
    {
      name: "hbayesdm-bandit2arm",
      what: "hBayesDM bandit2arm, 2-armed bandit, outcome ±1, 20 x 100",
      path: `${h}bandit2arm_exampleData.txt`,
      load: () => loadPreset(`${h}bandit2arm_exampleData.txt`, "hbayesdmReversal"),
    },
    {
      name: "hbayesdm-prl",
      what: "hBayesDM prl, 2-option reversal, outcome ±1, 20 x 100",
      path: `${h}prl_exampleData.txt`,
      load: () => loadPreset(`${h}prl_exampleData.txt`, "hbayesdmReversal"),
    },
    {
      name: "hbayesdm-prl-multipleB",
      what: "hBayesDM prl_multipleB, 2-option reversal, 3 people x 3 blocks x 200",
      path: `${h}prl_multipleB_exampleData.txt`,
      load: () => loadPreset(`${h}prl_multipleB_exampleData.txt`, PRL_MULTIPLE_B),
    },
    {
      name: "hbayesdm-bandit4arm",
      what: "hBayesDM bandit4arm, 4-armed gain/loss bandit (reward -1/0/1), 10 x 200",
      path: `${h}bandit4arm_exampleData.txt`,
      load: () => loadPreset(`${h}bandit4arm_exampleData.txt`, BANDIT_4ARM_GAIN_LOSS),
      cognitiveOptions: { nActions: 4 },
    },
    {
      name: "hbayesdm-bandit4arm2",
      what: "hBayesDM bandit4arm2, 4-armed restless bandit (Daw 2006), points 1-100, 10 x 300",
      path: `${h}bandit4arm2_exampleData.txt`,
      load: () =>
        loadPreset(`${h}bandit4arm2_exampleData.txt`, "bahrami", {
          columns: { session: "subjID", reward: "outcome" },
        }),
      cognitiveOptions: { nActions: 4 },
    },
    {
      name: "hbayesdm-ts",
      what: "hBayesDM ts, two-step (Daw 2011), 11 people x ~200",
      path: `${h}ts_exampleData.txt`,
      load: () => loadPreset(`${h}ts_exampleData.txt`, "hbayesdmTwoStep"),
      cognitiveOptions: { task: "twoStage", pTransit: 0.7 },
    },
  ];
  return list.filter((s) => {
    if (exists(s.path)) return true;
    console.log(`skip ${s.name}: ${s.path} not found`);
    return false;
  });
}

const PRESET_NAMES: readonly string[] = [
  "hbayesdmReversal",
  "hbayesdmTwoStep",
  "tidy",
  "bartolo",
  "bahrami",
  "gillan",
  "suthaharan",
  "akamLog",
  "dezfouli",
  "feherdasilva",
  "jspsych",
];

/** Entries of --data-dir named `<preset>` or `<preset>_<anything>`. */
function dirSources(dir: string): Source[] {
  const sources: Source[] = [];
  for (const entry of [...Deno.readDirSync(dir)].sort((a, b) => a.name.localeCompare(b.name))) {
    const stem = entry.name.replace(/\.[^.]*$/, "");
    const preset = PRESET_NAMES.find((p) => stem === p || stem.startsWith(`${p}_`));
    if (!preset) {
      console.log(`skip ${dir}/${entry.name}: no preset name (${PRESET_NAMES.join(", ")}) at its start`);
      continue;
    }
    const path = `${dir.replace(/\/$/, "")}/${entry.name}`;
    sources.push({
      name: stem,
      what: `${preset} preset: ${path}`,
      load: () => loadPreset(path, preset as LoadPresetName),
    });
  }
  return sources;
}

/**
 * Whole subjects, in a seeded random order, while their trials total at most `maxTrials` (at least two);
 * the blocks keep their order. Blocks without a subject count as their own.
 */
function subsample(data: Dataset, maxTrials: number): { data: Dataset; note: string; subjects: number } {
  const subjectOf = (i: number) => data.blocks[i].subject ?? `block ${i}`;
  const subjects = [...new Set(data.blocks.map((_, i) => subjectOf(i)))];
  const trialsOf = new Map<string, number>();
  data.blocks.forEach((b, i) =>
    trialsOf.set(subjectOf(i), (trialsOf.get(subjectOf(i)) ?? 0) + b.action.length)
  );
  const total = [...trialsOf.values()].reduce((s, n) => s + n, 0);
  if (total <= maxTrials) return { data, note: "", subjects: subjects.length };
  const keep = new Set<string>();
  let kept = 0;
  for (const i of new RandomState(0).permutation(subjects.length)) {
    const n = trialsOf.get(subjects[i])!;
    if (keep.size >= 2 && kept + n > maxTrials) break;
    keep.add(subjects[i]);
    kept += n;
  }
  const blocks = data.blocks.filter((_, i) => keep.has(subjectOf(i)));
  return {
    data: { ...data, blocks },
    note: `subsampled: ${keep.size} of ${subjects.length} subjects (seed 0), ${kept} of ${total} trials`,
    subjects: keep.size,
  };
}

/** Per test trial −log P(choice) of each outer fold's selected instance, with the block it belongs to. */
interface TestTrials {
  nll: number[];
  weight: number[];
  block: number[];
}

async function testTrials(
  dir: string,
  modelId: string,
  data: Dataset,
): Promise<TestTrials> {
  const run = await loadResults(dir, { data });
  const entry = run.models.find((m) => m.aggregate.model === modelId);
  if (!entry) throw new Error(`${dir}: no model ${modelId}`);
  const out: TestTrials = { nll: [], weight: [], block: [] };
  for (const { record } of entry.selected) {
    const model = modelOfRecord(record, { kind: data.kind, nActions: data.nActions });
    // Networks of point-reward runs are rebuilt with the reward scale their records keep.
    const agent = resolveAgent(model, "datasets bench");
    for (const b of record.folds.test) {
      const block = data.blocks[b];
      const ll = logLikelihood(agent, [block]).perTrial[0];
      for (let t = 0; t < ll.length; t++) {
        out.nll.push(-ll[t]);
        out.weight.push(block.mask ? block.mask[t] : 1);
        out.block.push(b);
      }
    }
  }
  return out;
}

interface Row {
  name: string;
  what: string;
  note: string;
  kind: string;
  nActions: number;
  rewardScale: number;
  subjects: number;
  blocks: number;
  trials: number;
  bestRnn: string;
  rnnNll: number;
  bestCognitive: string;
  cognitiveNll: number;
  difference: number;
  semTrials: number;
  semBlocks: number;
  dimensionality: number | null;
  seconds: number;
  figure: string;
}

function loadAverage(): string {
  try {
    return Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
  } catch {
    return "?";
  }
}

async function benchOne(source: Source): Promise<Row> {
  const started = performance.now();
  const loaded = source.load();
  const { data, note, subjects } = subsample(loaded, MAX_TRIALS);
  const cognitiveModels = modelsFor(data);
  const options: CrossValidateOptions = {
    cells: ["gru", "sgru"],
    hidden: [1, 2, 3, 4],
    l1: [1e-5],
    outer: OUTER,
    inner: INNER,
    seeds: SEEDS,
    maxEpochs: MAX_EPOCHS,
    patience: PATIENCE,
    cognitive: cognitiveModels,
    cognitiveOptions: {
      task: data.kind,
      ...(data.nActions > 2 ? { nActions: data.nActions } : {}),
      ...source.cognitiveOptions,
    },
    cognitiveRestarts: 2,
    ...(WORKERS === undefined ? {} : { workers: WORKERS }),
  };
  let trials = 0, scored = 0;
  for (const b of data.blocks) {
    trials += b.action.length;
    scored += b.mask ? b.mask.reduce((s, m) => s + m, 0) : b.action.length;
  }
  console.log(
    `\n--- ${source.name}: ${source.what}\n    ${data.kind}, ${data.nActions} options, ${data.blocks.length} blocks, ` +
      `${trials} trials (${scored} scored), reward scale ${rewardScaleOf(data)}${note ? `; ${note}` : ""}\n` +
      `    cognitive: ${cognitiveModels.join(", ")}; load average ${loadAverage()}`,
  );
  const dir = await Deno.makeTempDir({ prefix: `tinyrnn-datasets-${source.name}-` });
  try {
    let last = 0;
    const summary = await crossValidate(data, {
      ...options,
      resultsDir: dir,
      onProgress: (p) => {
        const now = performance.now();
        if (now - last < 15000 && p.done < p.total) return;
        last = now;
        const eta = Number.isFinite(p.etaMs) ? `${(p.etaMs / 1000).toFixed(0)} s left` : "";
        console.log(`    ${p.done}/${p.total} instances, ${(p.elapsedMs / 1000).toFixed(0)} s ${eta}`);
      },
    });
    const byLoss = (kind: string) =>
      summary.aggregate.filter((r) => r.kind === kind && Number.isFinite(r.testLoss))
        .sort((a, b) => a.testLoss - b.testLoss)[0];
    const rnn = byLoss("rnn");
    const cog = byLoss("cognitive");
    const a = await testTrials(dir, rnn.model, data);
    const c = await testTrials(dir, cog.model, data);
    if (a.nll.length !== c.nll.length || a.block.some((b, i) => b !== c.block[i])) {
      throw new Error(`${source.name}: the two models' outer test sets differ`);
    }
    const pooled = (t: TestTrials) =>
      t.nll.reduce((s, v, i) => s + v * t.weight[i], 0) / t.weight.reduce((s, w) => s + w, 0);
    for (const [t, row] of [[a, rnn], [c, cog]] as const) {
      const p = pooled(t);
      if (Math.abs(p - row.testLoss) > 1e-6) {
        console.log(
          `    WARNING: ${row.model} recomputed test NLL ${p.toFixed(6)} differs from the summary's ${
            row.testLoss.toFixed(6)
          }`,
        );
      }
    }
    // Per scored trial differences (masked trials left out), and per test block their mean.
    const diffs: number[] = [];
    const perBlock = new Map<number, number[]>();
    for (let i = 0; i < a.nll.length; i++) {
      if (!(a.weight[i] > 0)) continue;
      const d = a.nll[i] - c.nll[i];
      diffs.push(d);
      if (!perBlock.has(a.block[i])) perBlock.set(a.block[i], []);
      perBlock.get(a.block[i])!.push(d);
    }
    const blockMeans = [...perBlock.values()].map((v) => mean(v));
    await Deno.mkdir(OUT, { recursive: true });
    const figure = `${OUT}${source.name}.svg`;
    await modelComparison(summary.aggregate, {
      title: `${source.name}: ${data.blocks.length} blocks, ${scored} trials`,
    }).save(figure);
    const seconds = (performance.now() - started) / 1000;
    const row: Row = {
      name: source.name,
      what: source.what,
      note,
      kind: data.kind,
      nActions: data.nActions,
      rewardScale: rewardScaleOf(data),
      subjects,
      blocks: data.blocks.length,
      trials: scored,
      bestRnn: rnn.model,
      rnnNll: rnn.testLoss,
      bestCognitive: cog.model,
      cognitiveNll: cog.testLoss,
      difference: mean(diffs),
      semTrials: sem(diffs),
      semBlocks: sem(blockMeans),
      dimensionality: summary.dimensionality.estimate,
      seconds,
      figure,
    };
    console.log(
      `    best RNN ${row.bestRnn} ${row.rnnNll.toFixed(4)}, best cognitive ${row.bestCognitive} ${
        row.cognitiveNll.toFixed(4)
      }, ` +
        `difference ${row.difference.toFixed(4)} ± ${row.semTrials.toFixed(4)} (trials) ± ${
          row.semBlocks.toFixed(4)
        } (blocks), ` +
        `d = ${row.dimensionality}, ${seconds.toFixed(0)} s`,
    );
    return row;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function table(rows: readonly Row[]): string {
  const f = (x: number, digits = 4) => (Number.isFinite(x) ? x.toFixed(digits) : "NaN");
  const lines = [
    "| data set | task | blocks (subjects) | trials | best tiny RNN | NLL | best cognitive | NLL " +
    "| RNN − cognitive ± SEM trials / blocks | d | wall s |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const r of rows) {
    const task = `${r.kind === "bandit" ? "bandit" : "two-stage"}, k = ${r.nActions}${
      r.rewardScale === 1 ? "" : `, points ÷ ${r.rewardScale}`
    }`;
    lines.push(
      `| ${r.name}${
        r.note ? ` (${r.note})` : ""
      } | ${task} | ${r.blocks} (${r.subjects}) | ${r.trials} | ${r.bestRnn} | ${
        f(r.rnnNll)
      } | ${r.bestCognitive} | ${f(r.cognitiveNll)} | ${f(r.difference)} ± ${f(r.semTrials)} / ${
        f(r.semBlocks)
      } | ${r.dimensionality ?? "–"} | ${r.seconds.toFixed(0)} |`,
    );
  }
  return lines.join("\n");
}

if (import.meta.main) {
  const started = performance.now();
  let sources = sharedSources();
  if (args["data-dir"]) sources.push(...dirSources(args["data-dir"]));
  if (args.only) {
    const wanted = args.only.split(",").map((s) => s.trim());
    const unknown = wanted.filter((w) => !sources.some((s) => s.name === w));
    if (unknown.length) {
      console.error(
        `--only: no data set ${unknown.join(", ")}; found ${sources.map((s) => s.name).join(", ")}`,
      );
      Deno.exit(2);
    }
    sources = sources.filter((s) => wanted.includes(s.name));
  }
  console.log(
    `datasets bench: ${sources.length} data sets; ${OUTER} outer x ${INNER} inner folds x ${SEEDS} seed(s), ` +
      `GRU/SGRU d = 1..4, l1 1e-5, max ${MAX_EPOCHS} epochs, patience ${PATIENCE}, ` +
      `at most ${MAX_TRIALS} trials per data set; ` +
      `${navigator.hardwareConcurrency} cores, load average ${loadAverage()}`,
  );
  const rows: Row[] = [];
  let failed = 0;
  for (const source of sources) {
    try {
      rows.push(await benchOne(source));
    } catch (error) {
      failed++;
      console.error(`    FAILED ${source.name}: ${error instanceof Error ? error.stack : error}`);
    }
  }
  const total = (performance.now() - started) / 1000;
  const text =
    `${table(rows)}\n\n${OUTER} outer x ${INNER} inner folds x ${SEEDS} seed(s), GRU/SGRU d = 1..4, ` +
    `l1 1e-5, max ${MAX_EPOCHS} epochs (patience ${PATIENCE}); total ${
      total.toFixed(0)
    } s; load average ${loadAverage()} ` +
    `(${navigator.hardwareConcurrency} cores).\n`;
  console.log(`\n${text}`);
  await Deno.mkdir(OUT, { recursive: true });
  await Deno.writeTextFile(`${OUT}datasets.md`, text);
  await Deno.writeTextFile(`${OUT}datasets.json`, JSON.stringify({ rows, seconds: total }, null, 2));
  console.log(`figures and table in ${OUT}`);
  Deno.exit(failed > 0 ? 1 : 0);
}
