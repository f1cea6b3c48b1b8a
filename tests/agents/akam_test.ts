import assert from "node:assert/strict";
import { softmax } from "../../src/agents/agent.ts";
import { cognitive, listCognitiveModels } from "../../src/agents/cognitive.ts";
import type { Block } from "../../src/data/dataset.ts";
import { simulate } from "../../src/simulate.ts";
import { tasks } from "../../src/tasks/mod.ts";

// Three trials: (a, s, r) = (0, 0, 1), (1, 1, 0), (1, 0, 1); the last is a rare transition.
const block: Block = { action: [0, 1, 1], state: [0, 1, 0], reward: [1, 0, 1], trialType: [1, 6, 5] };
const kernels = { bs: 0.3, rb: -0.4, ck: 0.2 };

/** log P(action) from the original's two-way logistic P(a=0) = 1 / (1 + exp(k·(Q_net[1] − Q_net[0]))). */
function logistic(qNet: [number, number], k: number, a: number): number {
  const p0 = 1 / (1 + Math.exp(k * (qNet[1] - qNet[0])));
  return Math.log(a === 0 ? p0 : 1 - p0);
}

function expectNet(name: string, params: Record<string, number>, k: number, qNets: [number, number][]) {
  const ll = cognitive(name, params).logLikelihood([block]);
  qNets.forEach((q, t) => {
    const expected = logistic(q, k, block.action[t]);
    assert.ok(
      Math.abs(ll.perTrial[0][t] - expected) < 1e-12,
      `${name} trial ${t}: ${ll.perTrial[0][t]} vs ${expected}`,
    );
  });
}

/** Kernel term of the action-1 value: bias, plus ck and rb of the previous trial (none on trial 0). */
function kernel(t: number): number {
  if (t === 0) return kernels.bs;
  return kernels.bs + kernels.ck * (block.action[t - 1] - 0.5) + kernels.rb * (block.state[t - 1] - 0.5);
}

Deno.test("NTS: hand-computed 3-trial likelihoods of MF, MB and MF_MB_dec with kernels bs, rb, ck", () => {
  // MF α=.5 λ=.6: t0 (c0 s0 o1): Q0 = .5·(.4·V0_old + .6·1) = .3, V0 = .5; t1 (c1 s1 o0): Q1 = .5·(.4·0 + 0) = 0.
  expectNet("MF_bs_rb_ck", { alp: 0.5, iTemp: 2, lbd: 0.6, ...kernels }, 2, [
    [0, kernel(0)],
    [0.3, kernel(1)],
    [0.3, kernel(2)],
  ]);
  // MB αV=.5 αT=.4: t0: V0 = .5, Tr0 = .6·.5 = .3 → M = [.3·0 + .7·.5, .5·0 + .5·.5];
  // t1 (c1 s1 o0): V1 = 0, Tr1 = .6·.5 + .4 = .7 → M1 = .7·0 + .3·.5.
  expectNet("MB_bs_rb_ck", { alpV: 0.5, iTemp: 2, alpT: 0.4, ...kernels }, 2, [
    [0, kernel(0)],
    [0.35, 0.25 + kernel(1)],
    [0.35, 0.15 + kernel(2)],
  ]);
  // MF_MB_dec αQ=.5 dec=.2 λ=.6 αT=.4 decT=.5 G_td=2 G_mb=3, k = 1:
  // t0: Q = [.3, 0], V = [.5, 0], Tr = [.3, .5] → M = [.35, .25];
  // t1 (c1 s1 o0): Q0 ← .8·.3, Q1 ← .5·(.4·0) = 0; V0 ← .8·.5, V1 = 0; Tr0 ← .3 − .5·(.3 − .5) = .4, Tr1 = .7
  //   → M = [.6·.4, .3·.4].
  const dec = { alpQ: 0.5, decQ: 0.2, lbd: 0.6, alpT: 0.4, decT: 0.5, G_td: 2, G_mb: 3, ...kernels };
  expectNet("MF_MB_dec_bs_rb_ck", dec, 1, [
    [0, kernel(0)],
    [2 * 0.3 + 3 * 0.35, 3 * 0.25 + kernel(1)],
    [2 * 0.24 + 3 * 0.24, 3 * 0.12 + kernel(2)],
  ]);
  // Without kernels (NTS: prefix) the same values, no kernel term.
  expectNet("NTS:MF", { alp: 0.5, iTemp: 2, lbd: 0.6 }, 2, [[0, 0], [0.3, 0], [0.3, 0]]);
  expectNet("NTS:MB", { alpV: 0.5, iTemp: 2, alpT: 0.4 }, 2, [[0, 0], [0.35, 0.25], [0.35, 0.15]]);
  expectNet(
    "MF_MB_dec_ck",
    { alpQ: 0.5, decQ: 0.2, lbd: 0.6, alpT: 0.4, decT: 0.5, G_td: 2, G_mb: 3, ck: 0.2 },
    1,
    [
      [0, 0],
      [1.65, 0.75 - 0.1],
      [1.2, 0.36 + 0.1],
    ],
  );
});

/**
 * The original's whole-session formulation of MF_MB_dec with kernels, written from the equations of
 * the original's NTS update with (2, T) arrays: values for trial t+1 from trial t, then all kernels at once, then the
 * logistic. An independent check of the per-trial protocol implementation.
 */
function sessionLogLikelihood(b: Block, p: Record<string, number>): number {
  const T = b.action.length;
  const Q = [new Array(T).fill(0), new Array(T).fill(0)];
  const V = [new Array(T).fill(0), new Array(T).fill(0)];
  const Tr = [new Array(T).fill(0.5), new Array(T).fill(0.5)];
  for (let i = 0; i < T - 1; i++) {
    const c = b.action[i], s = b.state[i], o = b.reward[i], n = 1 - c, r = 1 - s;
    Q[n][i + 1] = Q[n][i] * (1 - p.decQ);
    V[r][i + 1] = V[r][i] * (1 - p.decQ);
    Tr[n][i + 1] = Tr[n][i] - p.decT * (Tr[n][i] - 0.5);
    Q[c][i + 1] = (1 - p.alpQ) * Q[c][i] + p.alpQ * ((1 - p.lbd) * V[s][i] + p.lbd * o);
    V[s][i + 1] = (1 - p.alpQ) * V[s][i] + p.alpQ * o;
    Tr[c][i + 1] = (1 - p.alpT) * Tr[c][i] + p.alpT * s;
  }
  let total = 0;
  for (let t = 0; t < T; t++) {
    const net = [0, 1].map((a) =>
      p.G_td * Q[a][t] + p.G_mb * (Tr[a][t] * V[1][t] + (1 - Tr[a][t]) * V[0][t])
    );
    net[1] += p.bs + (t > 0 ? p.ck * (b.action[t - 1] - 0.5) + p.rb * (b.state[t - 1] - 0.5) : 0);
    total += logistic(net as [number, number], 1, b.action[t]);
  }
  return total;
}

Deno.test("NTS: per-trial protocol equals the original's whole-session (2, T) formulation", () => {
  const params = {
    alpQ: 0.35,
    decQ: 0.15,
    lbd: 0.7,
    alpT: 0.25,
    decT: 0.05,
    G_td: 1.5,
    G_mb: 3.5,
    bs: 0.3,
    rb: -0.4,
    ck: 0.6,
  };
  const model = cognitive("MF_MB_dec_bs_rb_ck", params);
  const data = simulate(model, tasks.transitionReversal(), { blocks: 20, trials: 150, seed: 4 });
  const ll = model.logLikelihood(data);
  data.blocks.forEach((b, i) => {
    const ours = ll.perTrial[i].reduce((s, v) => s + v, 0);
    const reference = sessionLogLikelihood(b, params);
    assert.ok(
      Math.abs(ours - reference) <= 1e-10 * Math.abs(reference),
      `block ${i}: ${ours} vs ${reference}`,
    );
  });
});

Deno.test("NTS: simulation uses the same scores as the likelihood (T + 1 rows, bias on trial 0, declared order)", () => {
  const params = {
    alpQ: 0.4,
    decQ: 0.1,
    lbd: 0.5,
    alpT: 0.3,
    decT: 0.1,
    G_td: 2,
    G_mb: 4,
    bs: 1.5,
    rb: -0.2,
    ck: 0.3,
  };
  const model = cognitive("MF_MB_dec_bs_rb_ck", params);
  const data = simulate(model, tasks.transitionReversal(), { blocks: 5, trials: 30, seed: 2 });
  for (const b of data.blocks) {
    assert.equal(b.internal!.length, 31);
    b.choiceProbs!.forEach((probs, t) => {
      const expected = softmax(model.scores(Float64Array.from(b.internal![t])));
      assert.ok(Math.abs(probs[1] - expected[1]) < 1e-14, `trial ${t}`);
    });
    // Trial 0 already carries the bias (the original's simulate started from Q_net = 0).
    assert.ok(Math.abs(b.choiceProbs![0][1] - 1 / (1 + Math.exp(-1.5))) < 1e-14);
  }
  // G_mb is read as G_mb (the original's simulate read eight parameters from seven): G_td = 0 makes the
  // mixture the model-based agent with the same learning rates, G_mb as its inverse temperature.
  const noTd = cognitive("MF_MB_dec_bs_rb_ck", { ...params, G_td: 0, bs: 0, rb: 0, ck: 0 });
  const mbDec = cognitive("NTS:MB_dec", { alpV: 0.4, decV: 0.1, alpT: 0.3, decT: 0.1, iTemp: 4 });
  assert.ok(Math.abs(noTd.logLikelihood(data).total - mbDec.logLikelihood(data).total) < 1e-9);
  // G_mb = 0: the model-free agent with iTemp = G_td (kernels scale with iTemp in MF, not in the mixture).
  const noMb = cognitive("MF_MB_bs", { alpQ: 0.4, lbd: 0.5, alpT: 0.3, G_td: 2, G_mb: 0, bs: 0.6 });
  const mf = cognitive("MF_bs", { alp: 0.4, iTemp: 2, lbd: 0.5, bs: 0.3 });
  assert.ok(Math.abs(noMb.logLikelihood(data).total - mf.logLikelihood(data).total) < 1e-9);
});

Deno.test("NTS names: <model>_<kernels> in bs, rb, ck order, NTS: prefix without kernels, RTS names intact", () => {
  const names = listCognitiveModels();
  for (const base of ["MF", "MF_dec", "MB", "MB_dec", "MF_MB", "MF_MB_dec"]) {
    for (const suffix of ["_bs", "_rb", "_ck", "_bs_rb", "_bs_ck", "_rb_ck", "_bs_rb_ck"]) {
      assert.ok(names.includes(base + suffix), base + suffix);
    }
    assert.ok(names.includes(`NTS:${base}`), `NTS:${base}`);
  }
  assert.equal(cognitive("MF").name, "MB0");
  assert.equal(cognitive("Q1").name, "Q(1)");
  const model = cognitive("MF_MB_dec_bs_rb_ck");
  assert.deepEqual(model.paramNames, [
    "alpQ",
    "decQ",
    "lbd",
    "alpT",
    "decT",
    "G_td",
    "G_mb",
    "bs",
    "rb",
    "ck",
  ]);
  assert.deepEqual(model.paramRanges, [
    "unit",
    "unit",
    "unit",
    "unit",
    "unit",
    "pos",
    "pos",
    "unc",
    "unc",
    "unc",
  ]);
  assert.deepEqual(cognitive("MF_bs_rb_ck").paramNames, ["alp", "iTemp", "lbd", "bs", "rb", "ck"]);
  assert.deepEqual(cognitive("MB_bs_rb_ck").paramNames, ["alpV", "iTemp", "alpT", "bs", "rb", "ck"]);
  // d: the original's cog_hidden_dim (kernels not counted).
  const d = { MF_bs_rb_ck: 4, MB_bs_rb_ck: 4, MF_MB_bs_rb_ck: 6, MF_MB_dec_bs_rb_ck: 6, MF_dec_bs_rb_ck: 4 };
  for (const [n, v] of Object.entries(d)) assert.equal(cognitive(n).dynamicalVariables, v, n);
  // Only the bs, rb, ck order is registered (it fixes the parameter order); others get a hint.
  assert.throws(
    () => cognitive("MF_MB_dec_bs_ck_rb"),
    /unknown cognitive model .*did you mean "MF_MB_dec_bs_rb/,
  );
  assert.throws(() => cognitive("MB_bs_rb_ck", { alpQ: 0.5 }), /did you mean "alpT"|alpV/);
});
