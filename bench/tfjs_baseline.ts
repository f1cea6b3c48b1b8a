/**
 * tfjs baseline for the engine bench: the original trainer's epoch (validation and test forward passes, a
 * training forward pass with the L1 penalty, backward, one Adam step) for a PyTorch-semantics GRU written from
 * tfjs ops, on the wasm backend, in float32 (tfjs has no float64). Prints one JSON line like
 * `bench/pytorch_baseline.py`: `{ hidden, models, epochs, seconds, rate, backend }`.
 *
 * Run: `deno run -A bench/tfjs_baseline.ts [--hidden 1] [--epochs 100] [--backend wasm]`
 *
 * @module
 */

import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";

const FIXTURES = new URL("../../shared/fixtures/", import.meta.url);

/** Time-major tensors of some blocks: one `B x 3` input per trial ([a, s, r]) and one-hot targets `(T·B) x 2`. */
interface Split {
  inputs: tf.Tensor2D[];
  targets: tf.Tensor2D;
}

/** The tutorial data's train / validation / test splits (outer fold 0, inner fold 0). */
function loadSplits(): Split[] {
  const lines = Deno.readTextFileSync(new URL("tutorial_bandit.csv", FIXTURES)).trim().split("\n");
  const header = lines[0].split(",");
  const col = (name: string) => header.indexOf(name);
  const action: number[][] = [];
  const reward: number[][] = [];
  for (const line of lines.slice(1)) {
    const f = line.split(",").map(Number);
    const b = f[col("block")];
    (action[b] ??= []).push(f[col("action")]);
    (reward[b] ??= []).push(f[col("reward")]);
  }
  const setting = JSON.parse(Deno.readTextFileSync(new URL("kfold_splits.json", FIXTURES))).settings
    .find((s: { n_blocks: number }) => s.n_blocks === action.length);
  const outer = setting.outer_folds[0];
  const sets: number[][] = [outer.inner_folds[0].train, outer.inner_folds[0].val, outer.test];
  return sets.map((blocks) => {
    const T = action[blocks[0]].length;
    const inputs: tf.Tensor2D[] = [];
    const onehot: number[] = [];
    for (let t = 0; t < T; t++) {
      const x: number[] = [];
      for (const b of blocks) {
        x.push(action[b][t], action[b][t], reward[b][t]);
        onehot.push(action[b][t] === 0 ? 1 : 0, action[b][t] === 1 ? 1 : 0);
      }
      inputs.push(tf.tensor2d(x, [blocks.length, 3]));
    }
    return { inputs, targets: tf.tensor2d(onehot, [T * blocks.length, 2]) };
  });
}

/** GRU + linear readout weights, named as PyTorch's state dict. */
interface Weights {
  wih: tf.Variable;
  whh: tf.Variable;
  bih: tf.Variable;
  bhh: tf.Variable;
  wo: tf.Variable;
  bo: tf.Variable;
}

function variables(init: Record<string, number[] | number[][]>): Weights {
  const v = (name: string) => tf.variable(tf.tensor(init[name] as number[], undefined, "float32"));
  return {
    wih: v("rnn.weight_ih_l0"),
    whh: v("rnn.weight_hh_l0"),
    bih: v("rnn.bias_ih_l0"),
    bhh: v("rnn.bias_hh_l0"),
    wo: v("lin.weight"),
    bo: v("lin.bias"),
  };
}

/**
 * Mean cross-entropy over every trial: h0 = 0 predicts the first choice (output_h0), and each later state
 * the next one. Gates r, z, n with the reset applied after the recurrent product, as `nn.GRU`.
 */
function loss(w: Weights, split: Split, d: number): tf.Scalar {
  const B = split.inputs[0].shape[0];
  let h: tf.Tensor2D = tf.zeros([B, d]);
  const states: tf.Tensor2D[] = [h];
  const wihT = w.wih.transpose();
  const whhT = w.whh.transpose();
  for (let t = 0; t < split.inputs.length - 1; t++) {
    const gi = split.inputs[t].matMul(wihT).add(w.bih) as tf.Tensor2D;
    const gh = h.matMul(whhT).add(w.bhh) as tf.Tensor2D;
    const [ir, iz, inn] = tf.split(gi, 3, 1);
    const [hr, hz, hn] = tf.split(gh, 3, 1);
    const r = ir.add(hr).sigmoid();
    const z = iz.add(hz).sigmoid();
    const n = inn.add(r.mul(hn)).tanh();
    h = n.sub(n.mul(z)).add(z.mul(h)) as tf.Tensor2D;
    states.push(h);
  }
  const logits = tf.concat(states, 0).matMul(w.wo.transpose()).add(w.bo);
  return tf.neg(tf.sum(split.targets.mul(tf.logSoftmax(logits)))).div(split.targets.shape[0]) as tf.Scalar;
}

/** Train one model for `epochs + 1` iterations as the original trainer does; returns the seconds taken. */
function trainOne(
  d: number,
  init: Record<string, number[] | number[][]>,
  splits: Split[],
  epochs: number,
): { seconds: number; bestVal: number } {
  const w = variables(init);
  const optimizer = tf.train.adam(0.005, 0.9, 0.999, 1e-8);
  const started = performance.now();
  let bestVal = 1e10;
  for (let epoch = 0; epoch <= epochs; epoch++) {
    const [val] = tf.tidy(() => [loss(w, splits[1], d), loss(w, splits[2], d)]).map((x) => {
      const value = x.dataSync()[0];
      x.dispose();
      return value;
    });
    if (val < bestVal) bestVal = val;
    optimizer.minimize(() =>
      loss(w, splits[0], d).add(tf.scalar(1e-5).mul(w.wih.abs().sum().add(w.whh.abs().sum()))) as tf.Scalar
    );
  }
  const seconds = (performance.now() - started) / 1000;
  optimizer.dispose();
  Object.values(w).forEach((v) => v.dispose());
  return { seconds, bestVal };
}

if (import.meta.main) {
  const { values: args } = parseArgs({
    options: {
      hidden: { type: "string", default: "1" },
      epochs: { type: "string", default: "100" },
      backend: { type: "string", default: "wasm" },
    },
  });
  if (args.backend === "wasm") {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    wasm.setWasmPaths(new URL("./", import.meta.resolve("@tensorflow/tfjs-backend-wasm")).href);
  }
  if (!(await tf.setBackend(args.backend))) throw new Error(`tfjs backend ${args.backend} did not start`);
  await tf.ready();
  const d = Number(args.hidden);
  const epochs = Number(args.epochs);
  const splits = loadSplits();
  const inits = JSON.parse(Deno.readTextFileSync(new URL("tutorial_init_weights.json", FIXTURES))).weights;
  const { seconds, bestVal } = trainOne(d, inits[`gru-${d}-seed0`], splits, epochs);
  console.log(JSON.stringify({
    hidden: d,
    models: 1,
    epochs: epochs + 1,
    seconds,
    rate: (epochs + 1) / seconds,
    backend: tf.getBackend(),
    bestValLoss: bestVal,
  }));
}
