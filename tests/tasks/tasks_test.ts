import assert from "node:assert/strict";
import { TinyRnnInputError } from "../../src/options.ts";
import { PythonRandom, RandomState } from "../../src/random.ts";
import { tasks } from "../../src/tasks/mod.ts";
import { legacyBernoulli } from "../../src/tasks/numpy_binomial.ts";
import { alternatingBlocks, reflectingWalks } from "../../src/tasks/reward_schedules.ts";
import type { Task, TaskRandom } from "../../src/tasks/task.ts";

function generators(seed: number): TaskRandom {
  return { python: new PythonRandom(seed), numpy: new RandomState(seed) };
}

/** Run a task with a fixed-rule chooser; returns per-trial (action, state, reward, schedule). */
function run(task: Task, nTrials: number, nBlocks: number, seed: number, choose: (t: number) => number) {
  const random = generators(seed);
  const out: {
    action: number;
    state: number;
    reward: number;
    pReward: number;
    pCommon?: number;
    t: number;
  }[] = [];
  for (let b = 0; b < nBlocks; b++) {
    task.reset(nTrials, random);
    for (let t = 0; t < nTrials; t++) {
      const action = choose(t);
      const { state, reward } = task.trial(action, random);
      const schedule = task.schedule();
      out.push({
        action,
        state,
        reward,
        pReward: schedule.rewardProbs[t][state],
        pCommon: schedule.transitionProbs?.[t],
        t,
      });
    }
  }
  return out;
}

/** |observed − expected| within 4.5 binomial standard errors. */
function assertRate(successes: number, n: number, p: number, label: string) {
  const se = Math.sqrt(p * (1 - p) / n);
  assert.ok(Math.abs(successes / n - p) <= 4.5 * se + 1e-12, `${label}: ${successes}/${n} vs ${p}`);
}

Deno.test("numpy legacy binomial(1, p) matches numpy draw for draw", () => {
  // Reference: np.random.RandomState(11).binomial(1, p) for these p, then random_sample().
  const rs = new RandomState(11);
  const got = [0.1, 0.9, 0.5, 0.3, 0.7, 0.05, 0.95, 0.5].map((p) => legacyBernoulli(p, rs));
  assert.deepEqual(got, [0, 1, 0, 1, 1, 0, 1, 0]);
  assert.equal(rs.random(), 0.9418066523433661);
});

Deno.test("alternating blocks reverse every blockLength trials, starting with probs as given", () => {
  const rows = alternatingBlocks(7, [0.3, 0.7], 3);
  assert.deepEqual(rows, [[0.3, 0.7], [0.3, 0.7], [0.3, 0.7], [0.7, 0.3], [0.7, 0.3], [0.7, 0.3], [
    0.3,
    0.7,
  ]]);
});

Deno.test("reflecting walks match numpy's _gauss_rand_walks", () => {
  // Reference numbers: np.random.seed(s); normal(scale, (T, 2)); row 0 = rand(2); cumsum; mod 2; reflect.
  assert.deepEqual(reflectingWalks(6, 0.1, new RandomState(3)), [
    [0.6762549019801313, 0.5908628174163508],
    [0.6859046487873321, 0.4045135470799017],
    [0.6581658285358922, 0.3690376491530031],
    [0.6498916803876462, 0.30633758147061835],
    [0.6455098634900533, 0.2586157784346681],
    [0.5141233881537851, 0.34707801648462655],
  ]);
  // A large step SD exercises the modulo of negative sums and the reflection above 1.
  const wide = reflectingWalks(8, 0.8, new RandomState(5));
  assert.deepEqual(wide[3], [0.06629319213674001, 0.8291603261878964]);
  assert.deepEqual(wide[7], [0.4893162825829067, 0.6656765510541816]);
});

Deno.test("bandit: block probabilities are numpy's first two draws; reward rate per arm", () => {
  const task = tasks.bandit();
  const random = generators(42);
  task.reset(20, random);
  assert.deepEqual(task.schedule().rewardProbs[0], [0.3745401188473625, 0.9507143064099162]);
  assert.equal(task.kind, "bandit");
  const trials = run(tasks.bandit(), 20, 400, 1, (t) => t % 2);
  for (const arm of [0, 1]) {
    const mine = trials.filter((x) => x.action === arm);
    assert.ok(mine.every((x) => x.state === arm));
    const expected = mine.reduce((s, x) => s + x.pReward, 0) / mine.length;
    assertRate(mine.reduce((s, x) => s + x.reward, 0), mine.length, expected, `bandit arm ${arm}`);
  }
});

Deno.test("reversal: state = action, reversal timing, reward rate per arm and phase", () => {
  const task = tasks.reversal({ blockLength: 30, probs: [0.3, 0.7] });
  assert.equal(task.kind, "bandit");
  const trials = run(task, 60, 150, 2, (t) => (t * 7) % 3 === 0 ? 1 : 0);
  assert.ok(trials.every((x) => x.state === x.action));
  for (const x of trials) assert.equal(x.pReward, (x.t < 30) === (x.action === 1) ? 0.7 : 0.3);
  for (const good of [true, false]) {
    const group = trials.filter((x) => ((x.t < 30) === (x.action === 1)) === good);
    assertRate(
      group.reduce((s, x) => s + x.reward, 0),
      group.length,
      good ? 0.7 : 0.3,
      `reversal good=${good}`,
    );
  }
});

Deno.test("reversal consumes the transition draw: outcome = second Python draw of each trial", () => {
  const task = tasks.reversal({ blockLength: 5, probs: [0, 1] });
  const random = generators(9);
  const shadow = new PythonRandom(9);
  task.reset(10, random);
  for (let t = 0; t < 10; t++) {
    const { reward } = task.trial(1, random);
    shadow.random(); // transition
    const u = shadow.random();
    assert.equal(reward, u < (t < 5 ? 1 : 0) ? 1 : 0);
  }
});

Deno.test("drift: probabilities stay in [0, 1], walks redrawn per block, reward rate", () => {
  const task = tasks.drift({ stepSD: 0.1 });
  const trials = run(task, 50, 100, 4, (t) => t % 2);
  assert.ok(trials.every((x) => x.pReward >= 0 && x.pReward <= 1 && x.state === x.action));
  const expected = trials.reduce((s, x) => s + x.pReward, 0) / trials.length;
  assertRate(trials.reduce((s, x) => s + x.reward, 0), trials.length, expected, "drift");
  // Each block starts from fresh uniform draws.
  const starts = trials.filter((x) => x.t === 0).map((x) => x.pReward);
  assert.ok(new Set(starts).size > 90);
});

Deno.test("twoStage: common-transition rate, reward rate per state, 8 trial types possible", () => {
  const task = tasks.twoStage();
  assert.equal(task.kind, "twoStage");
  assert.deepEqual(task.params, { commonProb: 0.8, blockLength: 50, probs: [0.2, 0.8] });
  const trials = run(task, 100, 60, 5, (t) => t % 2);
  const common = trials.filter((x) => x.state === x.action).length;
  assertRate(common, trials.length, 0.8, "common transitions");
  assert.ok(trials.every((x) => x.pCommon === 0.8));
  for (const x of trials) assert.equal(x.pReward, (x.t < 50) === (x.state === 1) ? 0.8 : 0.2);
  const good = trials.filter((x) => x.pReward === 0.8);
  assertRate(good.reduce((s, x) => s + x.reward, 0), good.length, 0.8, "good state");
});

Deno.test("transitionReversal: P(common) follows probs[0], probs[1] every transRevLength trials", () => {
  const task = tasks.transitionReversal({ blockLength: 50, transRevLength: 25 });
  const trials = run(task, 100, 80, 6, () => 0);
  for (const x of trials) assert.equal(x.pCommon, Math.floor(x.t / 25) % 2 === 0 ? 0.2 : 0.8);
  for (const p of [0.2, 0.8]) {
    const group = trials.filter((x) => x.pCommon === p);
    assertRate(group.filter((x) => x.state === x.action).length, group.length, p, `P(common)=${p}`);
  }
});

Deno.test("task options are validated with did-you-mean", () => {
  assert.throws(
    () => tasks.reversal({ blockLenght: 30 } as never),
    (e) => e instanceof TinyRnnInputError && /did you mean "blockLength"/.test(e.message),
  );
  assert.throws(() => tasks.reversal({ probs: [0.3, 1.7] }), /probs\[1\] must be <= 1/);
  assert.throws(() => tasks.twoStage({ commonProb: -0.1 }), /commonProb/);
  assert.throws(() => tasks.drift({ stepSD: "big" } as never), /stepSD must be a number/);
  assert.throws(() => tasks.transitionReversal({ transRevLength: 2.5 }), /integer/);
  assert.throws(() => tasks.bandit({ arms: 3 } as never), /unknown option "arms"/);
});
