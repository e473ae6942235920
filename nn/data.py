"""Toy datasets made on the spot (seeded, no downloads) and shuffled minibatches.

Every ``make_*`` checks its arguments: a count (``n``, ``n_per_class``, ``classes``) must be a
whole number >= 1 (numpy integers are fine), a ``noise`` level finite and >= 0, so a typo gives
a ``ValueError`` naming the argument instead of an empty or NaN dataset.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple, TypeVar

from autograd.checks import non_negative, whole_number
from nn.functional import seed_value

Points = list[list[float]]
T = TypeVar("T")


def make_moons(n: int = 100, noise: float = 0.1, seed: int = 0) -> tuple[Points, list[int]]:
    """Two interleaving half circles (as scikit-learn's ``make_moons``); labels 0 and 1."""
    n, noise = whole_number("n", n), non_negative("noise", noise)
    rng = random.Random(seed_value(seed))
    outer, inner = n - n // 2, n // 2
    X, y = [], []
    for i in range(outer):
        t = math.pi * i / max(outer - 1, 1)
        X.append([math.cos(t), math.sin(t)])
        y.append(0)
    for i in range(inner):
        t = math.pi * i / max(inner - 1, 1)
        X.append([1.0 - math.cos(t), 0.5 - math.sin(t)])
        y.append(1)
    return _noisy_shuffle(X, y, noise, rng)


def make_circles(n: int = 100, noise: float = 0.05, factor: float = 0.5, seed: int = 0) -> tuple[Points, list[int]]:
    """A small circle (label 1) inside a large one (label 0), ``factor`` times its radius."""
    n, noise, factor = whole_number("n", n), non_negative("noise", noise), non_negative("factor", factor)
    rng = random.Random(seed_value(seed))
    X, y = [], []
    for i in range(n):
        label = i % 2
        t = 2 * math.pi * rng.random()
        r = factor if label else 1.0
        X.append([r * math.cos(t), r * math.sin(t)])
        y.append(label)
    return _noisy_shuffle(X, y, noise, rng)


def make_xor() -> tuple[Points, list[int]]:
    """The four XOR points: label 1 where exactly one input is 1."""
    X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    return X, [0, 1, 1, 0]


def make_spirals(
    n_per_class: int = 50, classes: int = 3, noise: float = 0.2, seed: int = 0
) -> tuple[Points, list[int]]:
    """``classes`` interleaved spiral arms, labels 0..classes-1."""
    n_per_class, classes = whole_number("n_per_class", n_per_class), whole_number("classes", classes)
    noise = non_negative("noise", noise)
    rng = random.Random(seed_value(seed))
    X, y = [], []
    for c in range(classes):
        for i in range(n_per_class):
            r = i / max(n_per_class - 1, 1)
            t = c * 4.0 + 4.0 * r + rng.gauss(0.0, noise)
            X.append([r * math.sin(t), r * math.cos(t)])
            y.append(c)
    return _noisy_shuffle(X, y, 0.0, rng)


def make_sine(n: int = 50, noise: float = 0.05, seed: int = 0) -> tuple[Points, list[float]]:
    """A 1-D regression: y = sin(x) + noise for x in [-π, π]."""
    n, noise = whole_number("n", n), non_negative("noise", noise)
    rng = random.Random(seed_value(seed))
    X = [[-math.pi + 2 * math.pi * i / max(n - 1, 1)] for i in range(n)]
    return X, [math.sin(x[0]) + rng.gauss(0.0, noise) for x in X]


def _noisy_shuffle(X: Points, y: list[T], noise: float, rng: random.Random) -> tuple[Points, list[T]]:
    X = [[v + rng.gauss(0.0, noise) for v in x] for x in X] if noise else X
    order = list(range(len(X)))
    rng.shuffle(order)
    return [X[i] for i in order], [y[i] for i in order]


class Batch(NamedTuple):
    """One minibatch: its epoch k (from 1), its number b in the epoch (from 1), inputs and targets.

    (The field is ``number``, not ``index``: a tuple already has an ``index`` method.)
    """

    epoch: int
    number: int
    X: list[Any]
    y: list[Any]


def minibatches(X: Sequence[Any], y: Sequence[Any], batch_size: int, epochs: int = 1, seed: int = 0) -> Iterator[Batch]:
    """Yield shuffled minibatches for ``epochs`` passes over the data: the SGD loop of the notes.

    Every epoch is a new permutation from one seeded generator, so a run is reproducible.
    The last batch of an epoch may be smaller.
    """
    if len(X) != len(y):
        raise ValueError(f"X and y differ in length: {len(X)} and {len(y)}")
    batch_size, epochs = whole_number("batch_size", batch_size), whole_number("epochs", epochs, minimum=0)
    rng = random.Random(seed_value(seed))
    order = list(range(len(X)))
    for epoch in range(1, epochs + 1):
        rng.shuffle(order)
        for b, start in enumerate(range(0, len(order), batch_size), start=1):
            chosen = order[start : start + batch_size]
            yield Batch(epoch, b, [X[i] for i in chosen], [y[i] for i in chosen])
