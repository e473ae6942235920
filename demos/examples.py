"""The two examples several demos share: the README's expression and micrograd's moons demo."""

from __future__ import annotations

import nn
from autograd import Value, no_grad


def readme_example() -> Value:
    """L = tanh(a*b + c) with a = 2, b = −3, c = 10, every node labelled (e = a*b, d = e + c)."""
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    e = a * b
    d = e + c
    L = d.tanh()
    e.label, d.label, L.label = "e", "d", "L"
    return L


def train_moons(steps: int = 100, seed: int = 0) -> tuple[nn.MLP, list, list, float]:
    """micrograd's demo: 100 moons, MLP 2-16-16-1 (ReLU), hinge loss + 1e-4·Σp², SGD with lr 1 → 0.1.

    Returns:
        The model, the inputs, the ±1 labels, and the training accuracy.
    """
    X, labels = nn.make_moons(100, noise=0.1, seed=seed)
    y = [2 * t - 1 for t in labels]
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=seed)
    opt = nn.SGD(model.parameters(), lr=1.0)
    schedule = nn.LinearDecay(opt, 1.0, 0.1, steps)
    for _ in range(steps):
        scores = [model(x)[0] for x in X]
        loss = nn.hinge_loss(scores, y) + 1e-4 * nn.l2_penalty(model.parameters())
        opt.zero_grad()
        loss.backward()
        opt.step()
        schedule.step()
    with no_grad():
        accuracy = sum((model(x)[0].data > 0) == (t > 0) for x, t in zip(X, y)) / len(y)
    return model, X, y, accuracy
