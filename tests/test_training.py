"""End to end: the networks of the lecture notes and micrograd's demo actually train."""

import pytest

import autograd
import nn
from demos.examples import train_moons

pytestmark = pytest.mark.slow


def accuracy(predicted, labels):
    return sum(p == t for p, t in zip(predicted, labels)) / len(labels)


def mean_cross_entropy(model, X, y):
    return autograd.sum([nn.cross_entropy(model(x), t) for x, t in zip(X, y)]) * (1 / len(X))


def test_micrograd_demo_reaches_full_accuracy_on_moons():
    # MLP 2-16-16-1 (ReLU), hinge loss + 1e-4·Σp², 100 full-batch SGD steps, lr 1 − 0.9·k/100
    model, X, y, accuracy = train_moons(steps=100)
    assert accuracy == 1.0
    assert len(model.parameters()) == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1


def test_xor_with_sigmoid_units_and_squared_error():
    X, y = nn.make_xor()
    model = nn.MLP(2, [4, 1], activation="sigmoid", output="sigmoid", seed=1)
    opt = nn.SGD(model.parameters(), lr=2.0, momentum=0.9)
    for _ in range(400):
        loss = nn.mse_loss([model(x)[0] for x in X], y, reduction="sum")
        opt.zero_grad()
        loss.backward()
        opt.step()
    outputs = [model(x)[0].data for x in X]
    assert accuracy([o > 0.5 for o in outputs], [t == 1 for t in y]) == 1.0
    assert loss.data < 0.05


def test_three_class_spiral_with_softmax_and_cross_entropy():
    X, y = nn.make_spirals(40, classes=3, noise=0.1, seed=0)
    model = nn.MLP(2, [24, 24, 3], activation="tanh", seed=0)
    opt = nn.Adam(model.parameters(), lr=0.03)
    for batch in nn.minibatches(X, y, batch_size=40, epochs=120, seed=0):
        loss = mean_cross_entropy(model, batch.X, batch.y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    outputs = [[v.data for v in model(x)] for x in X]
    predicted = [out.index(max(out)) for out in outputs]
    assert accuracy(predicted, y) >= 0.95


def test_sine_regression():
    X, y = nn.make_sine(40, noise=0.05, seed=0)
    model = nn.MLP(1, [16, 16, 1], activation="tanh", seed=0)
    opt = nn.Adam(model.parameters(), lr=0.02)
    schedule = nn.StepDecay(opt, step_size=150, gamma=0.3)
    for _ in range(400):
        loss = nn.mse_loss([model(x)[0] for x in X], y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        schedule.step()
    assert loss.data < 0.01  # noise alone contributes 0.05² = 0.0025
