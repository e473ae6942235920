"""chainrule's neural networks: modules, losses, optimisers and data, all made of `autograd.Value`s.

>>> import nn
>>> model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
>>> opt = nn.SGD(model.parameters(), lr=0.1)
"""

from nn import diagram  # noqa: F401 - registers how autograd.draw draws an MLP or a Layer
from nn.data import Batch, make_circles, make_moons, make_sine, make_spirals, make_xor, minibatches
from nn.functional import ACTIVATIONS, activation, log_softmax, logsumexp, softmax
from nn.layers import MLP, Layer, Neuron, Trace
from nn.losses import (
    binary_cross_entropy,
    cross_entropy,
    hinge_loss,
    l1_penalty,
    l2_penalty,
    mse_loss,
    one_hot,
)
from nn.module import Module, SummaryRow
from nn.optim import SGD, Adam, Optimizer
from nn.schedules import LinearDecay, Schedule, StepDecay

__all__ = [
    "ACTIVATIONS",
    "MLP",
    "SGD",
    "Adam",
    "Batch",
    "Layer",
    "LinearDecay",
    "Module",
    "Neuron",
    "Optimizer",
    "Schedule",
    "StepDecay",
    "SummaryRow",
    "Trace",
    "activation",
    "binary_cross_entropy",
    "cross_entropy",
    "hinge_loss",
    "l1_penalty",
    "l2_penalty",
    "log_softmax",
    "logsumexp",
    "make_circles",
    "make_moons",
    "make_sine",
    "make_spirals",
    "make_xor",
    "minibatches",
    "mse_loss",
    "one_hot",
    "softmax",
]
