import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { logLikelihood as genericLogLikelihood } from "../../src/agents/agent.ts";
import { cognitive, listCognitiveModels } from "../../src/agents/cognitive.ts";
import type { Block } from "../../src/data/dataset.ts";
import { TinyRnnInputError } from "../../src/options.ts";
import { FIXTURES, readTutorialBlocks } from "./fixture_csv.ts";

const reference = JSON.parse(readFileSync(new URL("mf_likelihood.json", FIXTURES), "utf8"));

Deno.test("MF (= MB0) log-likelihood of tutorial_bandit.csv equals the original's", () => {
  const blocks = readTutorialBlocks();
  const model = cognitive("MF", { alpha: 0.5, iTemp: 2 });
  assert.equal(model.name, "MB0");
  const ll = model.logLikelihood(blocks);
  assert.ok(Math.abs(ll.total - reference.total_loglik) <= 1e-9 * Math.abs(reference.total_loglik));
  assert.equal(ll.scoredTrials, 10000);
  const first40 = reference.first40;
  const flat = [...ll.perTrial[0], ...ll.perTrial[1]];
  for (let i = 0; i < 40; i++) {
    const expected = first40[i]?.loglik ?? first40.loglik[i];
    assert.ok(Math.abs(flat[i] - expected) <= 1e-12 * Math.abs(expected) + 1e-15, `trial ${i}`);
  }
  reference.session_loglik.forEach((expected: number, b: number) => {
    const got = ll.perTrial[b].reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(got - expected) <= 1e-9 * Math.abs(expected), `block ${b}`);
  });
  const nll = model.negLogLikelihoodPerTrial(blocks);
  assert.ok(Math.abs(nll - reference.mean_nll_per_trial) <= 1e-9 * reference.mean_nll_per_trial);
  // The Agent protocol path (step/scores) gives the same numbers.
  assert.ok(Math.abs(genericLogLikelihood(model, blocks).total - ll.total) <= 1e-9);
});

// Three trials: (a, s, r) = (0, 0, 1), (1, 1, 0), (1, 0, 1); the last is a rare transition.
const block: Block = { action: [0, 1, 1], state: [0, 1, 0], reward: [1, 0, 1], trialType: [1, 6, 5] };

/** log P(action) for two logits, computed independently of the library. */
function logP(s0: number, s1: number, a: number): number {
  return -Math.log(1 + Math.exp(a === 0 ? s1 - s0 : s0 - s1));
}

/** Expected per-trial log-likelihoods from hand-computed logits before each of the three trials. */
function expectLogits(
  name: string,
  params: Record<string, number>,
  logits: [number, number][],
  options = {},
) {
  const ll = cognitive(name, params, options).logLikelihood([block]);
  logits.forEach(([s0, s1], t) => {
    const expected = logP(s0, s1, block.action[t]);
    assert.ok(
      Math.abs(ll.perTrial[0][t] - expected) < 1e-12,
      `${name} trial ${t}: ${ll.perTrial[0][t]} vs ${expected}`,
    );
  });
  assert.ok(Math.abs(ll.total - ll.perTrial[0].reduce((s, v) => s + v, 0)) < 1e-12);
}

Deno.test("hand-computed 3-trial likelihoods of every model", () => {
  // BAS: fixed logits [log(1-p), log p].
  expectLogits("BAS", { p: 0.7 }, [[Math.log(0.3), Math.log(0.7)], [Math.log(0.3), Math.log(0.7)], [
    Math.log(0.3),
    Math.log(0.7),
  ]]);
  // MB0 α=.5 β=2: Q=[0,0] → [.5,0] → [.5,0] (Q[1]←.5·0) → [.75,0] (s=0,r=1).
  expectLogits("MB0", { alpha: 0.5, iTemp: 2 }, [[0, 0], [1, 0], [1, 0]]);
  // MB0 with pTransit .8: Q_mb = .8Q + .2Q_rev; after trial 0 Q=[.5,0] → Q_mb=[.4,.1].
  expectLogits("MB0", { alpha: 0.5, iTemp: 2 }, [[0, 0], [0.8, 0.2], [0.8, 0.2]], { pTransit: 0.8 });
  // MB1 α=.5 β=.6: [.5,0] → s=1,r=0: Q1=0, Q0=.6·.5=.3.
  expectLogits("MB1", { alpha: 0.5, beta: 0.6, iTemp: 2 }, [[0, 0], [1, 0], [0.6, 0]]);
  // MBf α=.5 β=.2, Q0=.5: t0: Q0=.75 → relax: .75·.8+.1=.7, .5·.8+.1=.5; t1: s=1,r=0: Q1=.25 → .3; Q0=.66.
  expectLogits("MBf", { alpha: 0.5, beta: 0.2, iTemp: 2 }, [[1, 1], [1.4, 1], [1.32, 0.6]]);
  // MB0off: target o+off = 1.5 then 0.5: Q0=.75; Q1=.25.
  expectLogits("MB0off", { alpha: 0.5, r_offset: 0.5, iTemp: 2 }, [[0, 0], [1.5, 0], [1.5, 0.5]]);
  // MB0s: Q=[.5,-.5]; t1 s=1 r=0: both halve → [.25,-.25].
  expectLogits("MB0s", { alpha: 0.5, iTemp: 2 }, [[0, 0], [1, -1], [0.5, -0.5]]);
  // MB0se: o recoded -1 at t1: Q1 = .5·(-.5) + .5·(-1) = -.75, Q0 = .5·.5 + .5 = .75.
  expectLogits("MB0se", { alpha: 0.5, iTemp: 2 }, [[0, 0], [1, -1], [1.5, -1.5]]);
  // MB0md α1=.4 α2=.2 b=.3: t0 r=1: Q0=1, Q1=-.3; t1 s=1 r=0: Q1=-.3+.2(1+.3)=-.04.
  expectLogits("MB0md", { alpha1: 0.4, alpha2: 0.2, b: 0.3, iTemp: 2 }, [[0, 0], [2, -0.6], [2, -0.08]]);
  expectLogits("MB0mdnb", { alpha1: 0.4, alpha2: 0.2, iTemp: 2 }, [[0, 0], [2, 0], [2, 0.4]]);
  // MB0m α1=.6 α2=.3: t0 r=1: Q0=.6; t1 r=0: Q1=0, other (Q0) ← .7·.6=.42.
  expectLogits("MB0m", { alpha1: 0.6, alpha2: 0.3, iTemp: 2 }, [[0, 0], [1.2, 0], [0.84, 0]]);
  // MB0p α=.5 αp=.4 k=1: Pers t0 c=0 → [.4,-.4]; t1 c=1 → [.24-.4, -.24+.4] = [-.16,.16].
  expectLogits("MB0p", { alpha: 0.5, alpha_pers: 0.4, k_pers: 1, iTemp: 2 }, [[0, 0], [1.8, -0.8], [
    0.68,
    0.32,
  ]]);
  // MB1p adds β=.6 decay of Q0 at t1: Q=[.3,0].
  expectLogits("MB1p", { alpha: 0.5, beta: 0.6, alpha_pers: 0.4, k_pers: 1, iTemp: 2 }, [
    [0, 0],
    [1.8, -0.8],
    [
      0.28,
      0.32,
    ],
  ]);
  // MF0sp: Q as MB0s but by action: [.5,-.5] → c=1 r=0 → [.25,-.25]; Pers as MB0p.
  expectLogits("MF0sp", { alpha: 0.5, alpha_pers: 0.4, k_pers: 1, iTemp: 2 }, [[0, 0], [1.8, -1.8], [
    0.18,
    -0.18,
  ]]);
  // MFDp α=.5 β=.6 αp=.4 k=1: Q=[.5,0], Pers=[1,0]; t1 c=1: Q=[.3,0], Pers=[.6,1].
  expectLogits("MFDp", { alpha: 0.5, beta: 0.6, alpha_pers: 0.4, k_pers: 1, iTemp: 2 }, [[0, 0], [3, 0], [
    1.8,
    2,
  ]]);
  // LS0 g=.7 p_r=.1: t0 s=0 o=1: L1=.3, L0=.7 → post .3 → hazard .9·.3+.1·.7=.34;
  // t1 s=1 o=0: L1=.3, L0=.7 → post .3·.34/(.102+.462)=.102/.564 → hazard.
  const p1a = 0.9 * 0.3 + 0.1 * 0.7;
  const post = 0.3 * p1a / (0.3 * p1a + 0.7 * (1 - p1a));
  const p1b = 0.9 * post + 0.1 * (1 - post);
  expectLogits("LS0", { p_r: 0.1, iTemp: 3 }, [[1.5, 1.5], [3 * (1 - p1a), 3 * p1a], [
    3 * (1 - p1b),
    3 * p1b,
  ]]);
  // LS1 bias1=2 scales the world-0 likelihood of state 0: t0 L0 = .7·2 = 1.4 → post .3·.5/(.15+.7).
  const q0 = 0.3 * 0.5 / (0.3 * 0.5 + 1.4 * 0.5);
  const q1 = 0.9 * q0 + 0.1 * (1 - q0);
  const qp = 0.3 * q1 / (0.3 * q1 + 0.7 * 0.5 * (1 - q1)); // t1: s=1 scaled by bias2 = .5
  const q2 = 0.9 * qp + 0.1 * (1 - qp);
  expectLogits("LS1", { p_r: 0.1, bias1: 2, bias2: 0.5, iTemp: 3 }, [[1.5, 1.5], [3 * (1 - q1), 3 * q1], [
    3 * (1 - q2),
    3 * q2,
  ]]);
  // Q(0) α=.5: t0 Qf0 = .5·Qs0(=0) = 0, Qs0=.5; t1 Qf1 = .5·Qs1(0) = 0, Qs1 = 0.
  expectLogits("Q(0)", { alpha: 0.5, iTemp: 2 }, [[0, 0], [0, 0], [0, 0]]);
  // RC α=.5: t0 cue (0,0): Q[0,0,0]=.5, next cue (s,o)=(0,1) → V=[Q[0,0,1],Q[1,0,1]]=[0,0];
  // t1 c=1 cue (0,1): Q[1,0,1]=0, next cue (1,0) → V=[0,0].
  expectLogits("RC", { alpha: 0.5, iTemp: 2 }, [[0, 0], [0, 0], [0, 0]]);
});

Deno.test("Q(0) and RC carry values across trials as their equations say", () => {
  // Q(0) on (0,0,1), (0,0,1), (0,0,0): Qs0 .5 → .75; Qf0: 0 → .25 → .25·.5 + .75·.5 = .5.
  const q0 = cognitive("Q(0)", { alpha: 0.5, iTemp: 2 });
  let state = q0.initialState();
  for (const r of [1, 1]) state = q0.step(state, { action: 0, state: 0, reward: r });
  assert.deepEqual(Array.from(state), [0.25, 0, 0.75, 0]);
  // RC: repeat cue (0,1) twice with c=0, r=1: Q[0,0,1] = .5 after the second trial, used as V[0].
  const rc = cognitive("RC", { alpha: 0.5, iTemp: 2 });
  state = rc.initialState();
  for (let i = 0; i < 3; i++) state = rc.step(state, { action: 0, state: 0, reward: 1 });
  assert.deepEqual(Array.from(rc.scores(state)), [1.5, 0]);
});

Deno.test("mask, perTrial shape, negLogLikelihoodPerTrial and parameter vectors", () => {
  const model = cognitive("MB1", { alpha: 0.3, beta: 0.8, iTemp: 3 });
  const masked: Block = { ...block, mask: [1, 0, 1] };
  const full = model.logLikelihood([block]);
  const part = model.logLikelihood({ kind: "bandit", nActions: 2, blocks: [masked] });
  assert.deepEqual(part.perTrial, full.perTrial);
  assert.equal(part.scoredTrials, 2);
  assert.ok(Math.abs(part.total - (full.perTrial[0][0] + full.perTrial[0][2])) < 1e-15);
  assert.ok(Math.abs(model.negLogLikelihoodPerTrial([masked]) + part.total / 2) < 1e-15);
  assert.equal(
    model.negLogLikelihoodPerTrial([block], [0.3, 0.8, 3]),
    model.negLogLikelihoodPerTrial([block]),
  );
  const other = model.withParams({ beta: 0.5 });
  assert.deepEqual(other.params, { alpha: 0.3, beta: 0.5, iTemp: 3 });
  assert.deepEqual(other.paramVector, [0.3, 0.5, 3]);
  assert.equal(
    other.negLogLikelihoodPerTrial([block]),
    model.negLogLikelihoodPerTrial([block], [0.3, 0.5, 3]),
  );
});

Deno.test("registry: names, ranges, d, defaults and errors", () => {
  const names = listCognitiveModels();
  for (const n of ["BAS", "MB0", "MB1", "MBf", "MB0s", "MB0p", "MB1p", "MFDp", "LS0", "LS1", "RC", "Q(0)"]) {
    assert.ok(names.includes(n), n);
  }
  const d: Record<string, number> = { BAS: 0, MB0: 2, MB0s: 1, MB0p: 3, MFDp: 4, LS0: 1, "Q(0)": 4, RC: 8 };
  for (const [n, v] of Object.entries(d)) assert.equal(cognitive(n).dynamicalVariables, v, n);
  assert.deepEqual(cognitive("LS0").paramRanges, ["half", "pos"]);
  assert.deepEqual(cognitive("RC").params, { alpha: 0.05, iTemp: 6 });
  assert.throws(
    () => cognitive("MB9"),
    (e) => e instanceof TinyRnnInputError && /did you mean/.test(e.message),
  );
  assert.throws(() => cognitive("LSO"), /did you mean "LS0"/);
  assert.throws(() => cognitive("MB0", { alpah: 0.5 }), /did you mean "alpha"/);
  assert.throws(() => cognitive("MB0", { alpha: 1.5 }), /alpha/);
  assert.throws(() => cognitive("LS0", { p_r: 0.6 }), /p_r/);
  assert.throws(() => cognitive("MB0", [0.5]), /expected 2 parameters/);
  assert.throws(() => cognitive("MB0", {}, { pTransitt: 1 } as never), /did you mean "pTransit"/);
  assert.throws(
    () => cognitive("MB0").logLikelihood([{ ...block, action: [0, 2, 1] }]),
    /block 0, trial 1, column action/,
  );
});
