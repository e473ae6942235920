"""8×8 digits, MLP 64-32-10 (tanh, softmax + cross-entropy), trained three ways in one process.

Eager chainrule, compiled chainrule (``autograd.compile``) and PyTorch (float32, one thread)
take turns step by step on the same minibatches, from the same initial weights, at batch
sizes 32 and 256. What is timed is one step's forward and backward pass (``loss = f(X, Y)``
then ``loss.backward()``); each engine's gradient reset and Adam update run after every step,
untimed, and are printed on their own line. The eager engine is slow (about 0.1 s a step at
batch 32), so it takes a step only every few rounds. Medians per step, and ratios to PyTorch.

Each engine gets its batches in its own format: nested lists for eager chainrule, numpy
arrays for compiled chainrule (lists work too, at about 60 ns a number more), tensors for PyTorch.

    python benchmarks/digits.py                   # about a minute; pip install -e ".[bench,data]"
    python benchmarks/digits.py --batch 32 --steps 500
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from typing import Any

import numpy as np

import autograd
import nn
from autograd.compile import compile as compile_function

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from moons import Engine, agreement, compile_costs, interleave, report  # noqa: E402

TARGETS = {32: 1.2, 256: 1.5}  # compiled step ≤ this × PyTorch's


def digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's bundled 8×8 digits (no download), pixels scaled to [0, 1]."""
    from sklearn.datasets import load_digits

    data = load_digits()
    return data.data / 16.0, data.target


def chainrule_engine(name: str, compiled: bool, batches: list[Any]) -> tuple[Engine, nn.MLP, Any]:
    model = nn.MLP(64, [32, 10], activation="tanh", seed=0)
    opt = nn.Adam(model.parameters(), lr=1e-2)

    def loss_fn(X: Any, Y: Any) -> autograd.Value:
        losses = [nn.cross_entropy(model(x), y) for x, y in zip(X, Y)]
        return autograd.sum(losses) * (1.0 / len(losses))

    fn = compile_function(loss_fn) if compiled else loss_fn

    def step(k: int) -> float:
        loss = fn(*batches[k % len(batches)])
        loss.backward()
        return float(loss.data)

    def update(k: int) -> None:
        opt.step()
        opt.zero_grad()

    return Engine(name, step, update), model, loss_fn


def torch_engine(model: nn.MLP, batches: list[Any]) -> Engine:
    import torch

    torch.set_num_threads(1)
    first, second = (torch.nn.Linear(layer.nin, layer.nout) for layer in model.layers)
    with torch.no_grad():
        for linear, layer in zip((first, second), model.layers):
            linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in layer.neurons]))
            linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons]))
    net = torch.nn.Sequential(first, torch.nn.Tanh(), second)
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    loss_of = torch.nn.functional.cross_entropy

    def step(k: int) -> float:
        X, y = batches[k % len(batches)]
        loss = loss_of(net(X), y)
        loss.backward()
        return float(loss.item())

    def update(k: int) -> None:
        opt.step()
        opt.zero_grad()

    return Engine("PyTorch (f32, 1 thread)", step, update)


def run(batch: int, steps: int, eager_every: int) -> None:
    import torch

    X, labels = digits()
    rng = random.Random(0)
    order = list(range(len(X)))
    picks = []
    for _ in range(min(steps, 50)):  # a cycle of distinct minibatches, new data every step
        rng.shuffle(order)
        picks.append(sorted(order[:batch]))
    one_hot = np.eye(10)[labels]
    as_lists = [(X[p].tolist(), one_hot[p].tolist()) for p in picks]
    as_arrays = [(X[p], one_hot[p]) for p in picks]
    as_tensors = [(torch.tensor(X[p], dtype=torch.float32), torch.tensor(labels[p])) for p in picks]

    eager, eager_model, _ = chainrule_engine("eager chainrule", False, as_lists)
    compiled, compiled_model, loss_fn = chainrule_engine("compiled chainrule", True, as_arrays)
    engines = [eager, compiled, torch_engine(eager_model, as_tensors)]
    costs = compile_costs(loss_fn, as_arrays[0], as_lists[0])
    compiled_model.zero_grad()
    interleave(engines, steps, {"eager chainrule": eager_every})
    check = compile_function(loss_fn)
    check(*as_arrays[1])
    extra = [*costs, agreement(check, loss_fn, compiled_model, as_arrays[1], as_lists[1])]
    extra.append("last loss: " + ", ".join(f"{e.name} {e.loss:.4f}" for e in engines))
    title = f"digits, MLP 64-32-10 tanh + softmax cross-entropy, batch {batch}, {steps} rounds, engines interleaved"
    report(title, engines, TARGETS.get(batch, 1.5), extra)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch", type=int, action="append", help="batch size (default: 32 and 256)")
    parser.add_argument("--steps", type=int, default=200, help="rounds per batch size (default 200)")
    parser.add_argument("--eager-every", type=int, default=20, help="eager steps only every k-th round (default 20)")
    args = parser.parse_args()
    for batch in args.batch or [32, 256]:
        run(batch, args.steps, args.eager_every)


if __name__ == "__main__":
    main()
