"""Optimisers follow PyTorch's update rules: a few steps on f(θ) = (θ − 3)², worked by hand."""

import math

import pytest

import nn
from autograd import Value


def run(make_optimizer, theta0, steps):
    theta = Value(theta0)
    opt = make_optimizer([theta])
    history = []
    for _ in range(steps):
        opt.zero_grad()
        ((theta - 3.0) ** 2).backward()  # ∇ = 2 (θ − 3)
        opt.step()
        history.append(theta.data)
    return history


def test_plain_sgd():
    # θ ← θ − η ∇: 0 → 0 − 0.1·(−6) = 0.6 → 0.6 − 0.1·(−4.8) = 1.08
    assert run(lambda ps: nn.SGD(ps, lr=0.1), 0.0, 2) == pytest.approx([0.6, 1.08])


def test_sgd_momentum():
    # buf₁ = g₁ = −6, θ₁ = 0.6; g₂ = −4.8, buf₂ = 0.9·(−6) − 4.8 = −10.2, θ₂ = 0.6 + 1.02;
    # g₃ = 2(1.62 − 3) = −2.76, buf₃ = 0.9·(−10.2) − 2.76 = −11.94, θ₃ = 1.62 + 1.194
    assert run(lambda ps: nn.SGD(ps, lr=0.1, momentum=0.9), 0.0, 3) == pytest.approx([0.6, 1.62, 2.814])


def test_sgd_nesterov():
    # g₁ = −6, buf₁ = −6, direction = g + μ·buf = −11.4, θ₁ = 1.14
    # g₂ = −3.72, buf₂ = −5.4 − 3.72 = −9.12, direction = −3.72 − 8.208 = −11.928, θ₂ = 2.3328
    assert run(lambda ps: nn.SGD(ps, lr=0.1, momentum=0.9, nesterov=True), 0.0, 2) == pytest.approx([1.14, 2.3328])


def test_sgd_weight_decay_is_l2_added_to_the_gradient():
    # g₁ = 2(1 − 3) + 0.1·1 = −3.9, θ₁ = 1.39; g₂ = −3.22 + 0.139 = −3.081, θ₂ = 1.6981
    assert run(lambda ps: nn.SGD(ps, lr=0.1, weight_decay=0.1), 1.0, 2) == pytest.approx([1.39, 1.6981])


def test_sgd_l1_adds_the_sign():
    # g₁ = −4 + 0.5·sign(1) = −3.5, θ₁ = 1.35
    assert run(lambda ps: nn.SGD(ps, lr=0.1, l1=0.5), 1.0, 1) == pytest.approx([1.35])


def test_adam_with_bias_correction():
    # step 1: m = 0.1·(−6) = −0.6, v = 0.001·36, m̂ = −6, v̂ = 36, θ₁ = 0.1·6/(6 + 1e-8)
    theta1 = 0.1 * 6 / (6 + 1e-8)
    # step 2: g = 2(θ₁ − 3); m = 0.9·m + 0.1·g; v = 0.999·v + 0.001·g²
    g2 = 2 * (theta1 - 3)
    m2, v2 = 0.9 * -0.6 + 0.1 * g2, 0.999 * 0.036 + 0.001 * g2 * g2
    theta2 = theta1 - 0.1 * (m2 / (1 - 0.9**2)) / (math.sqrt(v2 / (1 - 0.999**2)) + 1e-8)
    assert run(lambda ps: nn.Adam(ps, lr=0.1), 0.0, 2) == pytest.approx([theta1, theta2], rel=1e-12)
    assert theta2 == pytest.approx(0.1998973, abs=1e-6)


def test_adam_weight_decay():
    # g₁ = 2(1 − 3) + 0.5·1 = −3.5; the first Adam step is lr·sign(g) (up to ε)
    assert run(lambda ps: nn.Adam(ps, lr=0.1, weight_decay=0.5), 1.0, 1) == pytest.approx([1.1], rel=1e-8)


def test_optimisers_refuse_bad_settings():
    p = [Value(0.0)]
    with pytest.raises(ValueError, match="Nesterov"):
        nn.SGD(p, lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="learning rate"):
        nn.SGD(p, lr=-1.0)
    with pytest.raises(ValueError, match="no parameters"):
        nn.Adam([])
    with pytest.raises(TypeError, match="float"):
        nn.SGD([1.0], lr=0.1)


def test_step_decay():
    opt = nn.SGD([Value(0.0)], lr=1.0)
    schedule = nn.StepDecay(opt, step_size=2, gamma=0.5)
    assert [schedule.step() for _ in range(5)] == pytest.approx([1.0, 0.5, 0.5, 0.25, 0.25])
    assert opt.lr == pytest.approx(0.25)


def test_linear_decay_is_micrograds_schedule_and_works_with_adam():
    opt = nn.SGD([Value(0.0)], lr=1.0)
    schedule = nn.LinearDecay(opt, 1.0, 0.1, 100)
    for k in range(1, 120):
        schedule.step()
        assert opt.lr == pytest.approx(1.0 - 0.9 * min(k, 100) / 100)
    adam = nn.Adam([Value(0.0)], lr=0.01)
    nn.LinearDecay(adam, 1.0, 0.0, 4).step()
    assert adam.lr == pytest.approx(0.0075)
