"""The small networks the lecture demos differentiate."""

from __future__ import annotations

import random

import nn


def network(nin: int, sizes: list[int], activation: str, output: str = "linear", seed: int = 0) -> nn.MLP:
    """An ``nn.MLP`` whose biases are not zero.

    nn starts every bias at 0, as PyTorch does; here each gets a value in (−0.5, 0.5) from
    ``seed``, so that a check of a = b + W h would notice a missing or misplaced b.
    """
    model = nn.MLP(nin, sizes, activation=activation, output=output, seed=seed)
    rng = random.Random(seed)
    for layer in model.layers:
        for neuron in layer.neurons:
            neuron.b.data = rng.uniform(-0.5, 0.5)
    return model
