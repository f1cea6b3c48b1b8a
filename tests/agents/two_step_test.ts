import assert from "node:assert/strict";
import { cognitive } from "../../src/agents/cognitive.ts";
import type { Block } from "../../src/data/dataset.ts";
import { fit } from "../../src/engine/fit.ts";
import { portrait } from "../../src/plot/portrait.ts";
import { TWO_STAGE_COLORS } from "../../src/plot/palette.ts";
import { encodeTrial, inputSizeOf } from "../../src/rnn/encoding.ts";
import { simulate } from "../../src/simulate.ts";
import { tasks } from "../../src/tasks/mod.ts";
import { dots, parseSvg, texts } from "../plot/svg_helpers.ts";

// Three trials: (a, s, r) = (0, 0, 1), (1, 1, 0), (1, 0, 1); the last is a rare transition.
const block: Block = { action: [0, 1, 1], state: [0, 1, 0], reward: [1, 0, 1], trialType: [1, 6, 5] };
const P = 0.8; // the RTS P(common transition)
const RTS = { task: "twoStage" } as const;

/** log P(action) for two logits, computed independently of the library. */
function logP(s0: number, s1: number, a: number): number {
  return -Math.log(1 + Math.exp(a === 0 ? s1 - s0 : s0 - s1));
}

/** `iTemp·Q_mb` of two state values under the RTS transition probability. */
function mb(q0: number, q1: number, iTemp: number): [number, number] {
  return [(P * q0 + (1 - P) * q1) * iTemp, (P * q1 + (1 - P) * q0) * iTemp];
}

/** The model's per-trial log-likelihoods equal those of hand-computed logits before each of the 3 trials. */
function expectLogits(
  name: string,
  params: Record<string, number>,
  logits: [number, number][],
  options = RTS,
) {
  const ll = cognitive(name, params, options).logLikelihood([block]);
  logits.forEach(([s0, s1], t) => {
    const expected = logP(s0, s1, block.action[t]);
    assert.ok(
      Math.abs(ll.perTrial[0][t] - expected) < 1e-12,
      `${name} trial ${t}: ${ll.perTrial[0][t]} vs ${expected}`,
    );
  });
}

Deno.test("task option: twoStage gives the RTS constants, explicit values win, bandit keeps the PRL ones", () => {
  assert.deepEqual({ ...cognitive("MB0", {}, RTS).settings }, { pTransit: 0.8, goodProb: 0.8 });
  assert.deepEqual({ ...cognitive("MB0").settings }, { pTransit: 1, goodProb: 0.7 });
  assert.deepEqual({ ...cognitive("MB0", {}, { task: "bandit" }).settings }, { pTransit: 1, goodProb: 0.7 });
  assert.deepEqual({ ...cognitive("LS0", {}, { task: "twoStage", goodProb: 0.9 }).settings }, {
    pTransit: 0.8,
    goodProb: 0.9,
  });
  assert.throws(() => cognitive("MB0", {}, { task: "twostage" as never }), /did you mean "twoStage"/);
});

Deno.test("RTS extras: hand-computed 3-trial likelihoods of MFs, MXs and Q(1)", () => {
  // MFs α=.5: by action: t0 c=0 o=1 → Q=[.5,−.5]; t1 c=1 o=0 → both halve → [.25,−.25].
  expectLogits("MFs", { alpha: 0.5, iTemp: 2 }, [[0, 0], [1, -1], [0.5, -0.5]]);
  // Q(1) α=.5: t0 Q0 = .5; t1 c=1 o=0 → Q1 stays 0.
  expectLogits("Q(1)", { alpha: 0.5, iTemp: 2 }, [[0, 0], [1, 0], [1, 0]]);
  expectLogits("Q1", { alpha: 0.5, iTemp: 2 }, [[0, 0], [1, 0], [1, 0]]);
  // MXs α_mf=.5 α_mb=.4 w=.25: t0: Q=[.5,−.5], Qs=[.4,−.4]; t1 (c=1, s=1, o=0): Q=[.25,−.25], Qs=[.24,−.24].
  const w = 0.25;
  const mx = (q: number, qs0: number, qs1: number) => {
    const [m0, m1] = mb(qs0, qs1, 1);
    return [2 * (w * m0 + (1 - w) * q), 2 * (w * m1 + (1 - w) * -q)] as [number, number];
  };
  expectLogits("MXs", { alpha_mf: 0.5, alpha_mb: 0.4, w, iTemp: 2 }, [
    [0, 0],
    mx(0.5, 0.4, -0.4),
    mx(0.25, 0.24, -0.24),
  ]);
  // w = 1 is MB0s's model-based value, w = 0 is MFs.
  const data = simulate(cognitive("MB0", {}, RTS), tasks.twoStage(), { blocks: 3, trials: 40, seed: 3 });
  const close = (a: number, b: number) => Math.abs(a - b) < 1e-12;
  assert.ok(close(
    cognitive("MXs", { alpha_mf: 0.3, alpha_mb: 0.6, w: 1, iTemp: 3 }, RTS).logLikelihood(data).total,
    cognitive("MB0s", { alpha: 0.6, iTemp: 3 }, RTS).logLikelihood(data).total,
  ));
  assert.ok(close(
    cognitive("MXs", { alpha_mf: 0.3, alpha_mb: 0.6, w: 0, iTemp: 3 }, RTS).logLikelihood(data).total,
    cognitive("MFs", { alpha: 0.3, iTemp: 3 }).logLikelihood(data).total,
  ));
  assert.deepEqual(["MFs", "MXs", "Q(1)"].map((n) => cognitive(n).dynamicalVariables), [1, 2, 2]);
});

Deno.test("RTS family (pTransit .8, goodProb .8): hand-computed 3-trial likelihoods", () => {
  expectLogits("BAS", { p: 0.7 }, Array(3).fill([Math.log(0.3), Math.log(0.7)]));
  // MB0 α=.5: Q_s [0,0] → [.5,0] → s=1 o=0: [.5,0] → s=0 o=1.
  expectLogits("MB0", { alpha: 0.5, iTemp: 2 }, [[0, 0], mb(0.5, 0, 2), mb(0.5, 0, 2)]);
  // MB1 α=.5 β=.6: t1 Q_s1 = 0, the unvisited Q_s0 ← .6·.5.
  expectLogits("MB1", { alpha: 0.5, beta: 0.6, iTemp: 2 }, [[0, 0], mb(0.5, 0, 2), mb(0.3, 0, 2)]);
  // MB0s: Q_s = [.5,−.5] then [.25,−.25].
  expectLogits("MB0s", { alpha: 0.5, iTemp: 2 }, [[0, 0], mb(0.5, -0.5, 2), mb(0.25, -0.25, 2)]);
  // MB0md α1=.4 α2=.2 b=.3: t0 o=1: Q_s0 = 1, Q_s1 = −.3; t1 s=1 o=0: Q_s1 = −.3 + .2·(1 + .3).
  expectLogits("MB0md", { alpha1: 0.4, alpha2: 0.2, b: 0.3, iTemp: 2 }, [
    [0, 0],
    mb(1, -0.3, 2),
    mb(1, -0.3 + 0.2 * 1.3, 2),
  ]);
  // MB0m α1=.6 α2=.3: t0 o=1: Q_s0 = .6; t1 o=0: Q_s1 = 0 and the other Q_s0 ← .7·.6.
  expectLogits("MB0m", { alpha1: 0.6, alpha2: 0.3, iTemp: 2 }, [[0, 0], mb(0.6, 0, 2), mb(0.7 * 0.6, 0, 2)]);
  // LS0 g=.8 p_r=.1: t0 s=0 o=1: L1 = 1−g, L0 = g; t1 s=1 o=0: again L1 = 1−g.
  const g = 0.8;
  const bayes = (p1: number, l1: number, l0: number) => {
    const post = l1 * p1 / (l1 * p1 + l0 * (1 - p1));
    return 0.9 * post + 0.1 * (1 - post);
  };
  const a = bayes(0.5, 1 - g, g);
  const b = bayes(a, 1 - g, g);
  expectLogits("LS0", { p_r: 0.1, iTemp: 3 }, [[1.5, 1.5], [3 * (1 - a), 3 * a], [3 * (1 - b), 3 * b]]);
  // LS1 bias1=2 (state 0), bias2=.5 (state 1) scale the world-0 likelihoods.
  const c = bayes(0.5, 1 - g, 2 * g);
  const d = bayes(c, 1 - g, 0.5 * g);
  expectLogits("LS1", { p_r: 0.1, bias1: 2, bias2: 0.5, iTemp: 3 }, [[1.5, 1.5], [3 * (1 - c), 3 * c], [
    3 * (1 - d),
    3 * d,
  ]]);
  // Q(0) α=.5 on first-stage values from old state values: t0 Qf0 = 0, Qs0 = .5; t1 Qf1 = .5·Qs1 = 0.
  expectLogits("Q(0)", { alpha: 0.5, iTemp: 2 }, [[0, 0], [0, 0], [0, 0]]);
  // RC: values of the cue (s, o) of the previous trial; all zero on these three trials.
  expectLogits("RC", { alpha: 0.5, iTemp: 2 }, [[0, 0], [0, 0], [0, 0]]);
});

Deno.test("RTS simulation: the model-based signature (stay more after common-rewarded than rare-rewarded)", () => {
  const stay = (name: string, params: Record<string, number>) => {
    const data = simulate(cognitive(name, params, RTS), tasks.twoStage(), {
      blocks: 60,
      trials: 100,
      seed: 11,
    });
    const counts = { commonRewarded: [0, 0], rareRewarded: [0, 0] };
    for (const blk of data.blocks) {
      for (let t = 0; t + 1 < blk.action.length; t++) {
        if (blk.reward[t] !== 1) continue;
        const group = blk.state[t] === blk.action[t] ? counts.commonRewarded : counts.rareRewarded;
        group[0] += blk.action[t + 1] === blk.action[t] ? 1 : 0;
        group[1]++;
      }
    }
    return counts.commonRewarded[0] / counts.commonRewarded[1] -
      counts.rareRewarded[0] / counts.rareRewarded[1];
  };
  // MB0 under pTransit .8 switches after a rewarded rare transition; Q(1) ignores the transition.
  assert.ok(stay("MB0", { alpha: 0.5, iTemp: 5 }) > 0.3);
  assert.ok(Math.abs(stay("Q(1)", { alpha: 0.5, iTemp: 5 })) < 0.08);
});

Deno.test("RNNs on two-stage data: GRU fit on inputs [a, s, r], 8 one-hot trial types, portrait with 8 types", async () => {
  const data = simulate(cognitive("MB0s", { alpha: 0.4, iTemp: 4 }, RTS), tasks.twoStage(), {
    blocks: 40,
    trials: 50,
    seed: 5,
  });
  assert.equal(data.kind, "twoStage");
  assert.equal(new Set(data.blocks.flatMap((b) => b.trialType)).size, 8);
  // Inputs: [a, s, r] (3 values) for GRU; a one-hot of 8 trial types for the one-hot encodings.
  assert.equal(inputSizeOf("asr", "twoStage"), 3);
  assert.equal(inputSizeOf("onehot", "twoStage"), 8);
  const x = new Float64Array(8);
  encodeTrial("onehot", "twoStage", { action: 1, state: 0, reward: 1 }, x, 0);
  assert.deepEqual(Array.from(x), [0, 0, 0, 0, 0, 1, 0, 0]);
  encodeTrial("asr", "twoStage", { action: 1, state: 0, reward: 1 }, x, 0);
  assert.deepEqual(Array.from(x.subarray(0, 3)), [1, 0, 1]);

  const model = await fit(data, { cell: "gru", hidden: 2, maxEpochs: 60, patience: 200, seed: 0 });
  const wih = model.weights["rnn.weight_ih_l0"] as number[][];
  assert.equal(wih.length, 6);
  assert.ok(wih.every((row) => row.length === 3), "GRU input weights are 6 × 3 ([a, s, r])");
  assert.ok(
    model.trainLoss < Math.log(2) && Number.isFinite(model.testLoss),
    `train loss ${model.trainLoss}`,
  );
  const run = model.run(data);
  assert.equal(run.logits[0].length, 51);

  const root = parseSvg(portrait(model, data).svg());
  assert.equal(dots(root).length, 40 * 50);
  const labels = texts(root);
  for (
    const label of [
      "A1 S1 R=0",
      "A1 S1 R=1",
      "A1 S2 R=0",
      "A1 S2 R=1",
      "A2 S1 R=0",
      "A2 S1 R=1",
      "A2 S2 R=0",
      "A2 S2 R=1",
    ]
  ) {
    assert.ok(labels.includes(label), `legend ${label}`);
  }
  const fills = new Set(dots(root).map((c) => c.getAttribute("fill")));
  assert.equal(fills.size, 8);
  for (const color of fills) assert.ok(TWO_STAGE_COLORS.includes(color!), `colour ${color}`);
});
