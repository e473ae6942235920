"""Optimisers follow PyTorch's update rules: a few steps on f(θ) = (θ − 3)², worked by hand."""

import math

import pytest

import autograd
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


# --- a step is all or nothing: a non-finite gradient, parameter or update changes nothing ---

OPTIMISERS = {
    "sgd": lambda ps: nn.SGD(ps, lr=0.1),
    "sgd-momentum": lambda ps: nn.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01),
    "sgd-nesterov": lambda ps: nn.SGD(ps, lr=0.1, momentum=0.9, nesterov=True, l1=0.01),
    "adam": lambda ps: nn.Adam(ps, lr=0.1, weight_decay=0.01),
}


def trained_state(opt):
    """Everything a step may change: the parameters and the optimiser's own state, bit for bit."""
    state = {k: v for k, v in vars(opt).items() if k != "params"}
    return repr([p.data.hex() for p in opt.params]) + repr(state)


def backward_on(model, x):
    for p in model.parameters():
        p.grad = 0.0
    model(x)[0].backward()


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("make", OPTIMISERS.values(), ids=OPTIMISERS.keys())
def test_a_non_finite_gradient_is_refused_naming_the_parameter_and_changes_nothing(make, bad):
    model = nn.MLP(2, [3, 2], seed=0)
    params = model.parameters()
    opt = make(params)
    backward_on(model, [0.5, -1.0])
    opt.step()  # one good step first, so there is momentum or moment state to protect
    backward_on(model, [0.3, 0.2])
    before = trained_state(opt)
    target = params[-3]  # W2[1,1]: neither the first nor the last
    assert target.label == "W2[1,1]"
    target.grad = bad
    with pytest.raises(
        FloatingPointError, match=rf"gradient of 'W2\[1,1\]' \(params\[{len(params) - 3}\]\) is -?(nan|inf)"
    ):
        opt.step()
    assert trained_state(opt) == before
    target.grad = 1.0  # once the gradient is fixed, stepping works again
    opt.step()
    assert trained_state(opt) != before


def test_the_refused_step_leaves_no_trace_in_later_steps():
    """Momentum and Adam state: a refused step then a good one equals the good one alone."""
    for make in OPTIMISERS.values():
        runs = []
        for refuse in (False, True):
            model = nn.MLP(2, [3, 1], seed=0)
            opt = make(model.parameters())
            for x in ([0.5, -1.0], [0.2, 0.4], [-0.3, 0.9]):
                backward_on(model, x)
                if refuse:
                    saved, model.parameters()[0].grad = model.parameters()[0].grad, math.nan
                    with pytest.raises(FloatingPointError):
                        opt.step()
                    model.parameters()[0].grad = saved
                opt.step()
            runs.append(trained_state(opt))
        assert runs[0] == runs[1]


def test_the_message_counts_the_others_and_names_unlabelled_parameters_by_position():
    a, b, c = Value(1.0), Value(2.0), Value(3.0)
    opt = nn.SGD([a, b, c], lr=0.1)
    b.grad, c.grad = math.inf, math.nan
    with pytest.raises(FloatingPointError, match=r"SGD.step: the gradient of params\[1\] is inf \(and 1 more\)"):
        opt.step()
    assert (a.data, b.data, c.data) == (1.0, 2.0, 3.0)


def test_a_non_finite_parameter_is_refused():
    w, v = Value(1.0, label="w"), Value(math.nan, label="v")
    for opt in (nn.SGD([w, v], lr=0.1), nn.Adam([w, v])):
        with pytest.raises(FloatingPointError, match=r"parameter 'v' \(params\[1\]\) is nan"):
            opt.step()
        assert w.data == 1.0


def test_an_update_that_overflows_is_refused():
    w = Value(1e308, label="w")
    w.grad = -1e308
    with pytest.raises(FloatingPointError, match="update of 'w'.*inf.*lr = 10.0"):
        nn.SGD([w], lr=10.0).step()
    assert w.data == 1e308
    opt = nn.SGD([w], lr=1e-300, momentum=0.9)
    w.grad = 1.7e308
    opt.step()  # the buffer is the gradient, 1.7e308; θ moves by 1.7e8, nothing at this size
    w.grad = 1.7e308
    with pytest.raises(FloatingPointError, match=r"momentum buffer of 'w' \(params\[0\]\) is inf"):
        opt.step()  # 0.9 · 1.7e308 + 1.7e308 overflows
    assert opt.buffers == [1.7e308]


def test_adam_refuses_a_gradient_whose_square_overflows():
    """Otherwise v = inf and the step is m/∞ = 0: the parameter would freeze without a word."""
    w = Value(1.0, label="w")
    w.grad = 1e200
    opt = nn.Adam([w], lr=0.1)
    with pytest.raises(FloatingPointError, match="second moment v of 'w'"):
        opt.step()
    assert w.data == 1.0 and opt.t == 0 and opt.m == [0.0] and opt.v == [0.0]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: nn.SGD(p, lr=math.nan), "learning rate"),
        (lambda p: nn.SGD(p, lr=math.inf), "learning rate"),
        (lambda p: nn.SGD(p, lr=0.1, momentum=math.nan), "momentum"),
        (lambda p: nn.SGD(p, lr=0.1, weight_decay=-1.0), "weight_decay"),
        (lambda p: nn.Adam(p, eps=-1e-8), "eps"),
        (lambda p: nn.Adam(p, weight_decay=math.nan), "weight_decay"),
        (lambda p: nn.Adam(p, betas=(math.nan, 0.9)), "betas"),
        (lambda p: nn.SGD(p + p, lr=0.1), r"params\[1\] is params\[0\] again"),
    ],
)
def test_bad_settings_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make([Value(0.0)])


def test_a_constant_cannot_be_trained():
    constant = getattr(autograd, "constant", None)
    if constant is None:
        pytest.skip("autograd.constant is not there yet")
    with pytest.raises(ValueError, match=r"params\[1\] is a constant"):
        nn.SGD([Value(1.0), constant(2.0)], lr=0.1)


# --- Adam's betas and eps; gradients that are not numbers ---


@pytest.mark.parametrize(
    ("settings", "error", "message"),
    [
        ({"betas": (0.9,)}, ValueError, r"betas must be a pair of numbers \(beta1, beta2\), got 1"),
        ({"betas": (0.9, 0.999, 0.5)}, ValueError, "betas must be a pair .* got 3"),
        ({"betas": 0.9}, TypeError, "betas must be a pair of numbers .* got float"),
        ({"betas": "ab"}, TypeError, "betas must be a pair .* got str"),
        ({"betas": {0.9, 0.999}}, TypeError, "betas must be a pair .* got set"),
        ({"betas": ("a", 0.9)}, TypeError, "betas must be numbers, got beta1 = 'a'"),
        ({"betas": (0.9, None)}, TypeError, "betas must be numbers, got beta2 = None"),
        ({"betas": (0.9, True)}, TypeError, "beta2"),
        ({"betas": (1.0, 0.9)}, ValueError, r"betas must be in \[0, 1\), got beta1 = 1.0"),
        ({"betas": (0.9, -0.1)}, ValueError, "beta2 = -0.1"),
        ({"betas": (0.9, math.nan)}, ValueError, "beta2 = nan"),
        ({"eps": 0}, ValueError, "eps must be > 0 and finite, got 0"),
        ({"eps": 0.0}, ValueError, "eps must be > 0"),
        ({"eps": math.inf}, ValueError, "eps must be > 0 and finite, got inf"),
        ({"eps": math.nan}, ValueError, "eps"),
        ({"eps": "1e-8"}, TypeError, "eps must be a number"),
        ({"lr": math.inf}, ValueError, "learning rate must be >= 0 and finite"),
        ({"lr": None}, TypeError, "learning rate must be a number"),
    ],
)
def test_adam_settings_are_checked_when_it_is_made(settings, error, message):
    with pytest.raises(error, match=message):
        nn.Adam([Value(1.0)], **settings)


def test_adam_takes_betas_as_a_list_or_numpy_pair():
    np = pytest.importorskip("numpy")
    assert nn.Adam([Value(1.0)], betas=[0.8, 0.99]).betas == (0.8, 0.99)
    assert nn.Adam([Value(1.0)], betas=np.array([0.8, 0.99])).betas == (0.8, 0.99)
    assert nn.Adam([Value(1.0)], betas=(0, 0)).betas == (0.0, 0.0)


def test_adam_with_a_tiny_eps_steps_a_zero_gradient_without_dividing_by_zero():
    w = Value(1.0)
    opt = nn.Adam([w], lr=0.1, eps=1e-300)
    w.grad = 0.0
    opt.step()
    assert w.data == 1.0 and opt.t == 1


@pytest.mark.parametrize("name", sorted(OPTIMISERS))
@pytest.mark.parametrize(
    ("grad", "shown"),
    [(None, r"None \(NoneType\)"), ("1", r"'1' \(str\)"), ([1.0], r"\[1.0\] \(list\)"), (Value(1.0), r"\(Value\)")],
)
def test_a_gradient_that_is_not_a_number_is_named_and_nothing_changes(name, grad, shown):
    params = [Value(1.0, label="w"), Value(2.0, label="v")]
    opt = OPTIMISERS[name](params)
    params[0].grad, params[1].grad = 0.5, grad
    with pytest.raises(TypeError, match=rf"\.step: the gradient of 'v' \(params\[1\]\) is .*{shown}, not a number"):
        opt.step()
    assert [p.data for p in params] == [1.0, 2.0]


def test_a_parameter_whose_data_is_not_a_number_is_named():
    params = [Value(1.0), Value(2.0)]
    opt = nn.SGD(params, lr=0.1)
    params[1].data = None
    for p in params:
        p.grad = 1.0
    with pytest.raises(TypeError, match=r"SGD.step: the data of parameter params\[1\] is None"):
        opt.step()
    assert params[0].data == 1.0
