"""PyTorch float64 baseline for the engine bench: the original trainer's work per epoch, timed.

The tutorial problem (tutorial_bandit.csv, outer fold 0 / inner fold 0 of kfold_splits.json: 166 train,
167 validation, 167 test blocks x 20 trials), nn.GRU + nn.Linear in float64, output_h0 (h0 = 0 predicts the
first choice), full batch. Each epoch does what the original RNNAgentTrainer does: validation and test forward
passes without gradient, the early-stopping bookkeeping (deep copy of the weights on improvement), a training
forward pass, the L1 penalty on the recurrent weight matrices, backward and one AdamW step (lr 0.005).

Run: /usr/bin/python3 bench/pytorch_baseline.py --hidden 1 --epochs 300 --models 1 --fixtures ../shared/fixtures/
With --instances FILE.json (written by bench/sweep_bench.ts) it trains those instances instead: each gives its
hidden size, L1 strength, initial state dict, epochs, and its train/validation/test tensors (time-major lists);
the line then also has cpuSeconds and cpuRate (process CPU time, less sensitive to other processes' load).
Models train one after another, as the original trains its RNNs (its agent pool forces n_jobs = 1 for them).
Prints one JSON line: {"hidden", "models", "epochs", "seconds", "rate", "bestValLoss", "threads"} (rate =
model-epochs per second; bestValLoss of the first model, to check that every implementation did the same work;
threads = torch's intra-op threads).
"""

import argparse
import copy
import json
import time

import torch


def load_tensors(fixtures):
    """Time-major (input, target, mask) tensors of the train, validation and test blocks."""
    rows = open(fixtures + "tutorial_bandit.csv").read().strip().split("\n")
    header = rows[0].split(",")
    col = {name: i for i, name in enumerate(header)}
    n_blocks = 1 + max(int(r.split(",")[col["block"]]) for r in rows[1:])
    n_trials = 1 + max(int(r.split(",")[col["trial"]]) for r in rows[1:])
    action = torch.zeros(n_blocks, n_trials, dtype=torch.float64)
    reward = torch.zeros(n_blocks, n_trials, dtype=torch.float64)
    for r in rows[1:]:
        f = r.split(",")
        b, t = int(f[col["block"]]), int(f[col["trial"]])
        action[b, t] = float(f[col["action"]])
        reward[b, t] = float(f[col["reward"]])
    setting = next(s for s in json.load(open(fixtures + "kfold_splits.json"))["settings"] if s["n_blocks"] == n_blocks)
    outer = setting["outer_folds"][0]
    sets = [outer["inner_folds"][0]["train"], outer["inner_folds"][0]["val"], outer["test"]]

    def tensors(blocks):
        a, r = action[blocks].T, reward[blocks].T
        # The [a, s, r] encoding; in a bandit the second-stage state is the action.
        return torch.stack([a, a, r], -1), a.long(), torch.ones_like(a)

    return [tensors(s) for s in sets]


class Net(torch.nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.hidden = hidden
        self.rnn = torch.nn.GRU(3, hidden)
        self.lin = torch.nn.Linear(hidden, 2)

    def forward(self, x):
        h0 = torch.zeros(1, x.shape[1], self.hidden, dtype=torch.float64)
        h, _ = self.rnn(x, h0)
        states = torch.cat([h0, h], 0)
        return self.lin(states)[:-1]


def behav_loss(net, ce, data):
    x, target, mask = data
    logits = net(x)
    loss = ce(logits.reshape(-1, 2), target.reshape(-1)) * mask.reshape(-1)
    return loss.sum() / mask.sum()


def train_one(hidden, init, data, epochs, l1):
    torch.manual_seed(0)
    net = Net(hidden).double()
    net.load_state_dict({k: torch.as_tensor(v, dtype=torch.float64) for k, v in init.items()})
    opt = torch.optim.AdamW(net.parameters(), lr=0.005, weight_decay=0)
    ce = torch.nn.CrossEntropyLoss(reduction="none")
    best_loss, best_state, counter = 1e10, None, 0
    for _ in range(epochs + 1):
        with torch.no_grad():
            val_loss = behav_loss(net, ce, data[1]).item()
            behav_loss(net, ce, data[2]).item()
        if val_loss < best_loss:
            best_loss, best_state, counter = val_loss, copy.deepcopy(net.state_dict()), 0
        else:
            counter += 1
        loss = behav_loss(net, ce, data[0])
        penalty = sum(p.abs().sum() for name, p in net.named_parameters() if "rnn" in name and "weight" in name)
        total = loss + l1 * penalty
        opt.zero_grad()
        total.backward()
        opt.step()
    return best_loss, best_state


def instance_tensors(part):
    """(input, target, mask) tensors of one set of an instance file (time-major nested lists)."""
    x = torch.tensor(part["input"], dtype=torch.float64)
    return x, torch.tensor(part["target"], dtype=torch.long), torch.tensor(part["mask"], dtype=torch.float64)


def run_instances(path, warmup):
    """Train every instance of a sweep_bench.ts file; one JSON line with the total rate and each best loss."""
    instances = json.load(open(path))
    prepared = []
    for inst in instances:
        data = [instance_tensors(inst[k]) for k in ("train", "val", "test")]
        init = {k: torch.tensor(v, dtype=torch.float64) for k, v in inst["init"].items()}
        prepared.append((inst["hidden"], init, data, inst["epochs"], inst["l1"]))
    for hidden, init, data, epochs, l1 in prepared[:warmup]:
        train_one(hidden, init, data, min(epochs, 20), l1)
    start, cpu_start = time.perf_counter(), time.process_time()
    best = [train_one(hidden, init, data, epochs, l1)[0] for hidden, init, data, epochs, l1 in prepared]
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    done = sum(p[3] + 1 for p in prepared)
    print(json.dumps({"models": len(prepared), "epochs": done, "seconds": seconds, "rate": done / seconds,
                      "cpuSeconds": cpu_seconds, "cpuRate": done / cpu_seconds,
                      "bestValLoss": best, "threads": torch.get_num_threads()}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hidden", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=300, help="iterations per model: epochs + 1, as the original")
    parser.add_argument("--models", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads; 0 keeps torch's default")
    parser.add_argument("--l1", type=float, default=1e-5)
    parser.add_argument("--fixtures", default="../shared/fixtures/")
    parser.add_argument("--warmup", type=int, default=0, help="models trained untimed first (torch's lazy set-up)")
    parser.add_argument("--instances", help="train the instances of this JSON file (bench/sweep_bench.ts)")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.set_default_dtype(torch.float64)
    if args.instances:
        run_instances(args.instances, args.warmup)
        return
    data = load_tensors(args.fixtures)
    inits = json.load(open(args.fixtures + "tutorial_init_weights.json"))["weights"]
    for m in range(args.warmup):
        train_one(args.hidden, inits["gru-%d-seed%d" % (args.hidden, m % 2)], data, args.epochs, args.l1)
    start = time.perf_counter()
    best = []
    for m in range(args.models):
        best.append(train_one(args.hidden, inits["gru-%d-seed%d" % (args.hidden, m % 2)], data, args.epochs, args.l1)[0])
    seconds = time.perf_counter() - start
    done = args.models * (args.epochs + 1)
    print(json.dumps({"hidden": args.hidden, "models": args.models, "epochs": done, "seconds": seconds,
                      "rate": done / seconds, "bestValLoss": best[0], "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
