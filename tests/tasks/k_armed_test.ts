import assert from "node:assert/strict";
import { TinyRnnInputError } from "../../src/options.ts";
import { PythonRandom, RandomState } from "../../src/random.ts";
import { tasks } from "../../src/tasks/mod.ts";
import { reflectInto } from "../../src/tasks/k_armed_bandit.ts";
import type { TaskRandom } from "../../src/tasks/task.ts";
import { simulate } from "../../src/simulate.ts";
import { cognitive } from "../../src/agents/cognitive.ts";
import { validateDataset } from "../../src/data/validate.ts";
import { trialTypeCount } from "../../src/data/dataset.ts";

function generators(seed: number): TaskRandom {
  return { python: new PythonRandom(seed), numpy: new RandomState(seed) };
}

function meanSd(xs: number[]): [number, number] {
  const m = xs.reduce((s, v) => s + v, 0) / xs.length;
  return [m, Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / (xs.length - 1))];
}

Deno.test("reflectInto bounces off both walls, repeatedly", () => {
  assert.equal(reflectInto(50, 1, 100), 50);
  assert.equal(reflectInto(103, 1, 100), 97);
  assert.equal(reflectInto(-1, 1, 100), 3);
  assert.equal(reflectInto(100 + 99 + 5, 1, 100), 6); // past the top wall and back past the bottom one
});

Deno.test("k-armed bandit: Daw 2006 walk statistics, payoff noise and bounds", () => {
  const task = tasks.kArmedBandit();
  assert.equal(task.nActions, 4);
  assert.equal(task.binaryReward, false);
  assert.deepEqual(task.params, {
    arms: 4,
    decay: 0.9836,
    centre: 50,
    diffusionSD: 2.8,
    payoffSD: 4,
    bounds: [1, 100],
  });
  const random = generators(3);
  const residuals: number[] = [];
  const steps: number[] = [];
  const means: number[] = [];
  for (let b = 0; b < 40; b++) {
    task.reset(300, random);
    for (let t = 0; t < 300; t++) {
      const a = t % 4;
      const { state, reward } = task.trial(a, random);
      assert.equal(state, a);
      assert.ok(Number.isInteger(reward) && reward >= 1 && reward <= 100, `reward ${reward}`);
      const mu = task.schedule().rewardProbs[t][a] * 100;
      residuals.push(reward - mu);
    }
    const rows = task.schedule().rewardProbs.map((r) => r.map((m) => m * 100));
    for (let t = 0; t < rows.length; t++) {
      for (let a = 0; a < 4; a++) {
        assert.ok(rows[t][a] >= 1 && rows[t][a] <= 100);
        means.push(rows[t][a]);
        if (t > 0) steps.push(rows[t][a] - 0.9836 * rows[t - 1][a] - (1 - 0.9836) * 50);
      }
    }
  }
  const [rMean, rSd] = meanSd(residuals);
  assert.ok(Math.abs(rMean) < 0.1, `payoff noise mean ${rMean}`);
  assert.ok(Math.abs(rSd - Math.sqrt(16 + 1 / 12)) < 0.1, `payoff noise SD ${rSd}`); // rounding adds 1/12
  const [sMean, sSd] = meanSd(steps);
  assert.ok(Math.abs(sMean) < 0.05 && Math.abs(sSd - 2.8) < 0.06, `diffusion ${sMean} ${sSd}`);
  // Stationary mean 50 and SD 2.8 / sqrt(1 − λ²) ≈ 15.5 (loose: 160 walks of 300 correlated steps).
  const [mMean, mSd] = meanSd(means);
  assert.ok(Math.abs(mMean - 50) < 4 && Math.abs(mSd - 15.5) < 3, `means ${mMean} ${mSd}`);
});

Deno.test("k-armed bandit: means near a bound are reflected, payoffs clipped", () => {
  const task = tasks.kArmedBandit({ arms: 3, centre: 98, diffusionSD: 8, payoffSD: 10 });
  const random = generators(5);
  let atTop = 0;
  task.reset(2000, random);
  for (let t = 0; t < 2000; t++) {
    const { reward } = task.trial(t % 3, random);
    assert.ok(reward >= 1 && reward <= 100);
    if (reward === 100) atTop++;
  }
  for (const row of task.schedule().rewardProbs) for (const p of row) assert.ok(p >= 0.01 && p <= 1);
  assert.ok(atTop > 100, `payoffs clipped at 100: ${atTop}`);
  assert.throws(() => tasks.kArmedBandit({ bounds: [5, 5] }), TinyRnnInputError);
  assert.throws(() => tasks.kArmedBandit({ arms: 1 }), TinyRnnInputError);
});

Deno.test("k-armed bandit data simulate with point rewards and validate with binaryReward false", () => {
  const data = simulate(cognitive("QFP", { alpha: 0.4, iTemp: 6 }, { nActions: 4 }), tasks.kArmedBandit(), {
    blocks: 3,
    trials: 50,
    seed: 1,
  });
  assert.equal(data.nActions, 4);
  assert.equal(data.meta?.binaryReward, false);
  validateDataset(data, { binaryReward: false });
  assert.throws(() => validateDataset(data), TinyRnnInputError); // rewards are points
  assert.ok(data.blocks[0].trialType.every((tt, t) => tt === 2 * data.blocks[0].action[t] + 1));
});

Deno.test("k-option reversal: fixed block length moves the good option to another one", () => {
  const task = tasks.kReversal({ options: 3, blockLength: 40 });
  const random = generators(7);
  let rewardsGood = 0;
  let good = 0;
  let rewardsBad = 0;
  let bad = 0;
  for (let b = 0; b < 20; b++) {
    task.reset(200, random);
    for (let t = 0; t < 200; t++) {
      const a = t % 3;
      const { reward } = task.trial(a, random);
      const p = task.schedule().rewardProbs[t][a];
      if (p === 0.8) (good++, rewardsGood += reward);
      else (bad++, rewardsBad += reward);
    }
    const rows = task.schedule().rewardProbs;
    const best = rows.map((r) => r.indexOf(0.8));
    for (let t = 1; t < 200; t++) {
      if (t % 40 === 0) assert.notEqual(best[t], best[t - 1], `reversal at ${t}`);
      else assert.equal(best[t], best[t - 1], `no reversal at ${t}`);
    }
    for (const r of rows) assert.deepEqual([...r].sort(), [0.2, 0.2, 0.8]);
  }
  assert.ok(Math.abs(rewardsGood / good - 0.8) < 0.03, `good ${rewardsGood / good}`);
  assert.ok(Math.abs(rewardsBad / bad - 0.2) < 0.03, `bad ${rewardsBad / bad}`);
});

Deno.test("k-option reversal: a criterion reverses once the good option was chosen on 9 of 10 trials", () => {
  const task = tasks.kReversal({ options: 4, criterion: 9, window: 10, goodProb: 0.9, badProb: 0.1 });
  const random = generators(9);
  task.reset(100, random);
  const reversals: number[] = [];
  let previous = -1;
  let since = 0;
  for (let t = 0; t < 100; t++) {
    // An oracle chooser that knows the good option but misses it on the 3rd trial after each reversal.
    const best = task.schedule().rewardProbs[t].indexOf(0.9);
    if (best !== previous && previous >= 0) (reversals.push(t), since = 0);
    previous = best;
    task.trial(since === 2 ? (best + 1) % 4 : best, random);
    since++;
  }
  // The count starts afresh after each reversal, so 9 of 10 takes exactly 10 trials each time.
  assert.deepEqual(reversals, [10, 20, 30, 40, 50, 60, 70, 80, 90]);
});

Deno.test("trialTypeCount grows with the number of actions (2k bandit, 4k two-stage)", () => {
  assert.equal(trialTypeCount("bandit"), 4);
  assert.equal(trialTypeCount("twoStage"), 8);
  assert.equal(trialTypeCount("bandit", 4), 8);
  assert.equal(trialTypeCount("twoStage", 3), 12);
});
