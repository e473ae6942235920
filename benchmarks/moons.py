"""chainrule against micrograd on micrograd's own demo, step for step.

The setting (micrograd's demo notebook): 100 two-moons points, an MLP 2-16-16-1 with ReLU
hidden units, SVM max-margin loss + 1e-4·Σp², full-batch SGD with learning rate
1 − 0.9·k/100, 100 steps. Each engine trains in its own process (so neither inherits the
other's heap or garbage), the two alternating for ``--rounds`` rounds; the table reports
the median over rounds of the mean per-step time.

    python benchmarks/moons.py            # needs: pip install -e ".[bench]"
    python benchmarks/moons.py --steps 20 --rounds 1
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

import nn

ENGINES = ("chainrule", "micrograd")


def chainrule_run(steps: int, X, y) -> dict:
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=1337)
    opt = nn.SGD(model.parameters(), lr=1.0)
    schedule = nn.LinearDecay(opt, 1.0, 0.1, 100)

    def forward():
        scores = [model(x)[0] for x in X]
        loss = nn.hinge_loss(scores, y) + 1e-4 * nn.l2_penalty(model.parameters())
        return loss, [s.data for s in scores]

    def backward(loss):
        opt.zero_grad()
        loss.backward()
        opt.step()
        schedule.step()

    return _train(steps, forward, backward, y)


def micrograd_run(steps: int, X, y) -> dict:
    import random

    from micrograd.engine import Value
    from micrograd.nn import MLP

    random.seed(1337)
    model = MLP(2, [16, 16, 1])
    state = {"k": 0}

    def forward():
        scores = [model(list(map(Value, x))) for x in X]
        losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        loss = data_loss + 1e-4 * sum(p * p for p in model.parameters())
        return loss, [s.data for s in scores]

    def backward(loss):
        model.zero_grad()
        loss.backward()
        lr = 1.0 - 0.9 * state["k"] / 100
        for p in model.parameters():
            p.data -= lr * p.grad
        state["k"] += 1

    return _train(steps, forward, backward, y)


def _train(steps, forward, backward, y) -> dict:
    baseline = _peak_rss_mb()
    fwd = bwd = 0.0
    for _ in range(steps):
        t0 = time.perf_counter()
        loss, scores = forward()
        t1 = time.perf_counter()
        backward(loss)
        t2 = time.perf_counter()
        fwd, bwd = fwd + t1 - t0, bwd + t2 - t1
    accuracy = sum((s > 0) == (t > 0) for s, t in zip(scores, y)) / len(y)
    return {
        "forward_s": fwd / steps,
        "backward_s": bwd / steps,
        "peak_rss_mb": _peak_rss_mb(),
        "peak_growth_mb": _peak_rss_mb() - baseline,
        "loss": loss.data,
        "accuracy": accuracy,
    }


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def worker(engine: str, steps: int) -> None:
    X, labels = nn.make_moons(100, noise=0.1, seed=0)
    y = [2 * t - 1 for t in labels]
    run = chainrule_run if engine == "chainrule" else micrograd_run
    print(json.dumps(run(steps, X, y)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=100, help="training steps per run (default 100)")
    parser.add_argument("--rounds", type=int, default=2, help="runs per engine, alternating (default 2)")
    parser.add_argument("--worker", choices=ENGINES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.steps)
        return

    results: dict[str, list[dict]] = {e: [] for e in ENGINES}
    for r in range(args.rounds):
        for engine in ENGINES if r % 2 == 0 else ENGINES[::-1]:
            cmd = [sys.executable, __file__, "--worker", engine, "--steps", str(args.steps)]
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            results[engine].append(json.loads(out.strip().splitlines()[-1]))
            print(f"round {r + 1}: {engine:9s} done", file=sys.stderr)

    med = {e: {k: statistics.median(run[k] for run in runs) for k in runs[0]} for e, runs in results.items()}
    ours, peer = med["chainrule"], med["micrograd"]
    print(f"\nmicrograd's moons demo, {args.steps} steps, median of {args.rounds} runs per engine\n")
    print(f"{'':22s}{'chainrule':>12s}{'micrograd':>12s}{'ratio':>10s}")
    rows = [
        ("forward  (ms/step)", "forward_s", 1e3),
        ("backward (ms/step)", "backward_s", 1e3),
        ("peak RSS (MB)", "peak_rss_mb", 1),
        ("peak growth (MB)", "peak_growth_mb", 1),
    ]
    for name, key, scale in rows:
        ratio = peer[key] / ours[key] if ours[key] else float("inf")
        print(f"{name:22s}{ours[key] * scale:12.1f}{peer[key] * scale:12.1f}{ratio:9.1f}x")
    step_ratio = (peer["forward_s"] + peer["backward_s"]) / (ours["forward_s"] + ours["backward_s"])
    print(f"{'whole step':22s}{'':24s}{step_ratio:9.1f}x faster")
    print(f"{'final loss':22s}{ours['loss']:12.4f}{peer['loss']:12.4f}")
    print(f"{'final accuracy':22s}{ours['accuracy']:12.0%}{peer['accuracy']:12.0%}")


if __name__ == "__main__":
    main()
