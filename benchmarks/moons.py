"""micrograd's moons demo trained three ways in one process: eager chainrule, compiled chainrule, PyTorch.

The setting (micrograd's demo notebook): 100 two-moons points, an MLP 2-16-16-1 with ReLU
hidden units, SVM max-margin loss + 1e-4·Σp², full batch, SGD with learning rate
1 − 0.9·k/100.

What is timed is one training step's forward and backward pass, ``loss = f(X, y)`` then
``loss.backward()``: the part ``autograd.compile`` replaces. Every engine also zeroes its
gradients and applies its optimiser after each step, untimed (chainrule's update is the same
Python loop eager or compiled); that cost is printed on its own line. The engines take turns
step by step in one process, so machine noise hits them alike, and the table shows medians.
PyTorch runs in float32 on one thread. Each engine starts from the same weights.

    python benchmarks/moons.py                  # about 20 s; needs pip install -e ".[bench]"
    python benchmarks/moons.py --steps 300
    python benchmarks/moons.py --micrograd      # adds micrograd (about 1 s a step)
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

import autograd
import nn
from autograd.compile import compile as compile_function

TARGET = 0.6  # compiled step ≤ 0.6 × PyTorch's


class Engine:
    """One way of training: ``step()`` is timed (forward + backward), ``update()`` is not."""

    def __init__(self, name: str, step: Callable[[int], float], update: Callable[[int], None]) -> None:
        self.name, self.step, self.update = name, step, update
        self.times: list[float] = []
        self.update_times: list[float] = []
        self.loss = float("nan")

    def run(self, k: int) -> None:
        t0 = time.perf_counter()
        self.loss = self.step(k)
        t1 = time.perf_counter()
        self.update(k)
        t2 = time.perf_counter()
        self.times.append(t1 - t0)
        self.update_times.append(t2 - t1)


def interleave(engines: list[Engine], steps: int, every: dict[str, int]) -> None:
    """Run ``steps`` rounds; in each, every engine takes one step in rotating order (slow ones every k-th round)."""
    gc.collect()
    for k in range(steps):
        turn = engines[k % len(engines) :] + engines[: k % len(engines)]
        for engine in turn:
            if k % every.get(engine.name, 1) == 0:
                engine.run(k)


def median_ms(xs: list[float]) -> float:
    return statistics.median(xs) * 1e3


def peak_mb(fn: Callable[[], Any]) -> float:
    """Peak traced memory (MB) while ``fn`` runs, above what was allocated before."""
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        result = fn()
        peak = tracemalloc.get_traced_memory()[1] - base
        del result
    finally:
        tracemalloc.stop()
    return peak / 2**20


def verdict(value: float, target: float) -> str:
    return f"(target ≤ {target:g}: {'met' if value <= target else 'MISSED'})"


def report(title: str, engines: list[Engine], target: float, extra: list[str]) -> None:
    by = {e.name: e for e in engines}
    torch_ms = median_ms(by["PyTorch (f32, 1 thread)"].times)
    print(f"\n{title}\n")
    print(f"  {'forward + backward, median per step':40s}{'time':>12s}{'× PyTorch':>12s}   steps")
    for e in engines:
        ms = median_ms(e.times)
        ratio = ms / torch_ms
        note = verdict(ratio, target) if e.name == "compiled chainrule" else ""
        shown = f"{ms:.3f} ms" if ms < 10 else f"{ms:.1f} ms"
        print(f"  {e.name:40s}{shown:>12s}{ratio:11.2f}×   {len(e.times):<5d} {note}")
    updates = ", ".join(f"{e.name} {median_ms(e.update_times):.3f} ms" for e in engines)
    print(f"\n  zero_grad + optimiser update (not timed above): {updates}")
    for line in extra:
        print(f"  {line}")


# --- the three engines ---


def moons_data() -> tuple[list[list[float]], list[float]]:
    X, labels = nn.make_moons(100, noise=0.1, seed=0)
    return X, [2.0 * t - 1 for t in labels]


def chainrule_engine(name: str, compiled: bool, X: list[list[float]], y: list[float]) -> tuple[Engine, Any, Any]:
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=1337)
    params = model.parameters()
    opt = nn.SGD(params, lr=1.0)
    schedule = nn.LinearDecay(opt, 1.0, 0.1, 100)

    def loss_fn(X: Any, y: Any) -> autograd.Value:
        scores = [model(x)[0] for x in X]
        return nn.hinge_loss(scores, y) + 1e-4 * nn.l2_penalty(params)

    fn = compile_function(loss_fn) if compiled else loss_fn
    args = (np.array(X), np.array(y)) if compiled else (X, y)

    def step(k: int) -> float:
        loss = fn(*args)
        loss.backward()
        return float(loss.data)

    def update(k: int) -> None:
        opt.step()
        schedule.step()
        opt.zero_grad()

    return Engine(name, step, update), model, loss_fn


def torch_engine(model: nn.MLP, X: list[list[float]], y: list[float]) -> Engine:
    import torch

    torch.set_num_threads(1)
    layers: list[Any] = []
    for k, layer in enumerate(model.layers):
        linear = torch.nn.Linear(layer.nin, layer.nout)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in layer.neurons]))
            linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons]))
        layers.append(linear)
        if k < len(model.layers) - 1:
            layers.append(torch.nn.ReLU())
    net = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(net.parameters(), lr=1.0)
    Xt, yt = torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
    params = list(net.parameters())

    def step(k: int) -> float:
        scores = net(Xt).squeeze(1)
        loss = torch.relu(1 - yt * scores).mean() + 1e-4 * sum((p * p).sum() for p in params)
        loss.backward()
        return float(loss.item())

    def update(k: int) -> None:
        for group in opt.param_groups:
            group["lr"] = 1.0 - 0.9 * min(k + 1, 100) / 100
        opt.step()
        opt.zero_grad()

    return Engine("PyTorch (f32, 1 thread)", step, update)


def micrograd_engine(X: list[list[float]], y: list[float]) -> Engine:
    import random

    from micrograd.engine import Value
    from micrograd.nn import MLP

    random.seed(1337)
    model = MLP(2, [16, 16, 1])

    def step(k: int) -> float:
        scores = [model(list(map(Value, x))) for x in X]
        losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        loss = sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in model.parameters())
        loss.backward()
        return float(loss.data)

    def update(k: int) -> None:
        lr = 1.0 - 0.9 * min(k, 100) / 100
        for p in model.parameters():
            p.data -= lr * p.grad
        model.zero_grad()

    return Engine("micrograd", step, update)


def compile_costs(loss_fn: Callable[..., Any], args: tuple[Any, ...], eager_args: tuple[Any, ...]) -> list[str]:
    """Compile time in eager steps, and compile memory against an eager step's peak."""

    def eager_step() -> Any:
        loss = loss_fn(*eager_args)
        loss.backward()
        return loss

    def compile_once() -> Any:
        return compile_function(loss_fn)(*args)  # the first call traces and compiles

    eager_s = statistics.median(_timed(eager_step) for _ in range(3))
    compile_s = statistics.median(_timed(compile_once) for _ in range(3))
    eager_mb, compile_mb = peak_mb(eager_step), peak_mb(compile_once)
    steps, ratio = compile_s / eager_s, compile_mb / eager_mb
    return [
        f"compile (trace + build): {compile_s * 1e3:.0f} ms = {steps:.1f} eager steps {verdict(steps, 5)}",
        f"compile memory: peak {compile_mb:.1f} MB = {ratio:.2f}× an eager step's {eager_mb:.1f} MB "
        + verdict(ratio, 2),
    ]


def _timed(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def agreement(
    compiled_fn: Callable[..., Any], loss_fn: Callable[..., Any], model: nn.MLP, args: Any, eager_args: Any
) -> str:
    """The compiled gradients against eager ones, same weights, same data."""
    params = model.parameters()
    saved = [p.grad for p in params]
    model.zero_grad()
    compiled_fn(*args).backward()
    replayed = [p.grad for p in params]
    model.zero_grad()
    loss_fn(*eager_args).backward()
    worst = max(abs(a - b) for a, b in zip(replayed, (p.grad for p in params)))
    largest = max(abs(p.grad) for p in params)
    for p, g in zip(params, saved):
        p.grad = g
    return f"compiled gradients vs eager, same weights: largest difference {worst / largest:.1e} of the largest one"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=100, help="training steps (default 100, micrograd's demo)")
    parser.add_argument("--eager-every", type=int, default=1, help="eager chainrule steps only every k-th round")
    parser.add_argument("--micrograd", action="store_true", help="add micrograd (slow: about 1 s a step)")
    args = parser.parse_args()

    X, y = moons_data()
    eager, eager_model, loss_fn = chainrule_engine("eager chainrule", False, X, y)
    compiled, compiled_model, compiled_loss = chainrule_engine("compiled chainrule", True, X, y)
    torch = torch_engine(eager_model, X, y)
    engines = [eager, compiled, torch]
    every = {"eager chainrule": args.eager_every}
    if args.micrograd:
        engines.append(micrograd_engine(X, y))
        every["micrograd"] = max(1, args.steps // 10)

    Xa, ya = np.array(X), np.array(y)
    costs = compile_costs(compiled_loss, (Xa, ya), (X, y))
    compiled_model.zero_grad()
    interleave(engines, args.steps, every)
    check = compile_function(compiled_loss)
    check(Xa, ya)
    extra = [*costs, agreement(check, compiled_loss, compiled_model, (Xa, ya), (X, y))]
    extra.append("final loss: " + ", ".join(f"{e.name} {e.loss:.4f}" for e in engines))
    title = f"micrograd's moons demo (MLP 2-16-16-1, batch 100), {args.steps} steps, engines interleaved"
    report(title, engines, TARGET, extra)


if __name__ == "__main__":
    main()
