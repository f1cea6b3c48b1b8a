/**
 * Engine throughput on the tutorial problem (GRU d = 1, 2; train 166 / val 167 / test 167 blocks x 20 trials):
 * model-epochs per second for one model inline and for 24 models over workers, beside a PyTorch float64
 * baseline loop run in the same invocation when python3 can import torch.
 *
 * Run: `deno run -A bench/engine_bench.ts [--epochs 300] [--models 24] [--no-torch]`
 *
 * @module
 */

import { parseArgs } from "node:util";
import type { Dataset } from "../src/data/dataset.ts";
import { trainMany } from "../src/engine/many.ts";
import type { TrainJob } from "../src/engine/job.ts";

const FIXTURES = new URL("../../shared/fixtures/", import.meta.url);
const { values: args } = parseArgs({
  options: {
    epochs: { type: "string", default: "300" },
    models: { type: "string", default: "24" },
    "no-torch": { type: "boolean", default: false },
  },
});
const EPOCHS = Number(args.epochs);
const MODELS = Number(args.models);

function tutorial(): Dataset {
  const lines = Deno.readTextFileSync(new URL("tutorial_bandit.csv", FIXTURES)).trim().split("\n").slice(1);
  const blocks: Dataset["blocks"] = [];
  for (const line of lines) {
    const [b, , a, r] = line.split(",").map(Number);
    blocks[b] ??= { action: [], state: [], reward: [], trialType: [] };
    blocks[b].action.push(a);
    blocks[b].state.push(a);
    blocks[b].reward.push(r);
    blocks[b].trialType.push(2 * a + r);
  }
  return { kind: "bandit", nActions: 2, blocks };
}

const data = tutorial();
const folds =
  JSON.parse(Deno.readTextFileSync(new URL("kfold_splits.json", FIXTURES))).settings[0].outer_folds[0];
const split = { train: folds.inner_folds[0].train, val: folds.inner_folds[0].val, test: folds.test };
const inits = JSON.parse(Deno.readTextFileSync(new URL("tutorial_init_weights.json", FIXTURES))).weights;
// patience = epochs: every model runs exactly EPOCHS + 1 iterations.
const job = (hidden: number, seed: number): TrainJob => ({
  hidden,
  init: inits[`gru-${hidden}-seed${seed % 2}`],
  ...split,
  maxEpochs: EPOCHS,
  patience: EPOCHS + 1,
});

async function ours(hidden: number, models: number, workers: number): Promise<number> {
  const jobs = Array.from({ length: models }, (_, i) => job(hidden, i));
  const t0 = performance.now();
  const results = await trainMany(data, jobs, { workers });
  const seconds = (performance.now() - t0) / 1000;
  return results.reduce((s, r) => s + r.epochs, 0) / seconds;
}

const TORCH = String.raw`
import json, sys, time, torch
torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)
d, epochs, fixtures = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rows = [l.split(',') for l in open(fixtures + 'tutorial_bandit.csv').read().strip().split('\n')[1:]]
A = torch.zeros(500, 20); R = torch.zeros(500, 20)
for r in rows: A[int(r[0]), int(r[1])] = float(r[2]); R[int(r[0]), int(r[1])] = float(r[3])
f = json.load(open(fixtures + 'kfold_splits.json'))['settings'][0]['outer_folds'][0]
sets = [f['inner_folds'][0]['train'], f['inner_folds'][0]['val'], f['test']]
def tensors(idx):
    a, r = A[idx].T, R[idx].T
    return torch.stack([a, a, r], -1), a.long()
data = [tensors(i) for i in sets]
init = json.load(open(fixtures + 'tutorial_init_weights.json'))['weights']['gru-%d-seed0' % d]
class Net(torch.nn.Module):
    def __init__(s):
        super().__init__(); s.rnn = torch.nn.GRU(3, d); s.lin = torch.nn.Linear(d, 2)
    def forward(s, x):
        h, _ = s.rnn(x, torch.zeros(1, x.shape[1], d))
        return s.lin(torch.cat([torch.zeros(1, x.shape[1], d), h], 0))[:-1]
net = Net().double()
net.load_state_dict({k: torch.tensor(v) for k, v in init.items()})
opt = torch.optim.AdamW(net.parameters(), lr=0.005, weight_decay=0)
ce = torch.nn.CrossEntropyLoss()
def loss(x, y): return ce(net(x).reshape(-1, 2), y.reshape(-1))
t0 = time.time()
for e in range(epochs + 1):
    with torch.no_grad(): loss(*data[1]); loss(*data[2])
    l = loss(*data[0]) + 1e-5 * (net.rnn.weight_ih_l0.abs().sum() + net.rnn.weight_hh_l0.abs().sum())
    opt.zero_grad(); l.backward(); opt.step()
print((epochs + 1) / (time.time() - t0))
`;

async function torchRate(hidden: number): Promise<number | undefined> {
  if (args["no-torch"]) return undefined;
  try {
    const out = await new Deno.Command("python3", {
      args: ["-c", TORCH, String(hidden), String(EPOCHS), new URL(FIXTURES).pathname],
      stderr: "piped",
    }).output();
    if (!out.success) return undefined;
    return Number(new TextDecoder().decode(out.stdout).trim());
  } catch {
    return undefined;
  }
}

const cores = navigator.hardwareConcurrency;
console.log(`tutorial problem, ${EPOCHS + 1} epochs per model, ${cores} cores`);
for (const hidden of [1, 2]) {
  const torch = await torchRate(hidden);
  const single = await ours(hidden, 1, 0);
  const many = await ours(hidden, MODELS, Math.min(cores, MODELS));
  const ratio = (x: number) => (torch ? ` (${(x / torch).toFixed(1)}x PyTorch)` : "");
  console.log(
    `GRU d=${hidden}: PyTorch float64 1 thread ${
      torch ? torch.toFixed(0) : "n/a (no torch)"
    } model-epochs/s | ` +
      `tinyrnn 1 model ${single.toFixed(0)}${ratio(single)} | ${MODELS} models ${many.toFixed(0)}${
        ratio(many)
      }`,
  );
}
