"""softmax, log-softmax and the losses: values by hand, gradients by central differences."""

import math

import pytest

import nn
from autograd import Value, gradcheck


def test_softmax_is_stable_and_sums_to_one():
    out = nn.softmax([1000.0, 0.0])
    assert out[0].data == pytest.approx(1.0) and out[1].data == pytest.approx(math.exp(-1000.0), abs=1e-300)
    probs = nn.softmax([1.0, 2.0, 3.0])
    assert sum(p.data for p in probs) == pytest.approx(1.0)
    assert probs[2].data == pytest.approx(math.exp(3) / (math.exp(1) + math.exp(2) + math.exp(3)))


def test_log_softmax_is_stable():
    out = nn.log_softmax([1000.0, 0.0])
    assert out[0].data == pytest.approx(0.0, abs=1e-12)
    assert out[1].data == pytest.approx(-1000.0)


def test_softmax_gradient_matches_finite_differences():
    xs = [Value(v, label=f"a{i}") for i, v in enumerate([0.3, -1.2, 2.0])]
    gradcheck(lambda *a: nn.softmax(a)[1] * 3.0 + nn.log_softmax(a)[0], xs)


def test_mse_conventions():
    pred, target = [Value(1.0), Value(3.0)], [0.0, 1.0]
    assert nn.mse_loss(pred, target).data == pytest.approx((1 + 4) / 2)
    assert nn.mse_loss(pred, target, reduction="sum").data == pytest.approx(5.0)
    assert nn.mse_loss(pred, target, reduction="sum", half=True).data == pytest.approx(2.5)
    nn.mse_loss(pred, target, reduction="sum", half=True).backward()
    assert [p.grad for p in pred] == pytest.approx([1.0, 2.0])  # ŷ − y, the ½ cancels the 2


def test_cross_entropy_is_minus_log_of_the_true_class_probability():
    logits = [Value(2.0), Value(1.0), Value(0.1)]
    loss = nn.cross_entropy(logits, 0)
    p0 = math.exp(2.0) / (math.exp(2.0) + math.exp(1.0) + math.exp(0.1))
    assert loss.data == pytest.approx(-math.log(p0))
    assert nn.cross_entropy([1000.0, 0.0], 1).data == pytest.approx(1000.0)


def test_binary_cross_entropy_and_hinge():
    p = [Value(0.8), Value(0.3)]
    assert nn.binary_cross_entropy(p, [1, 0]).data == pytest.approx(-(math.log(0.8) + math.log(0.7)) / 2)
    s = [Value(0.5), Value(-2.0), Value(3.0)]
    assert nn.hinge_loss(s, [1, 1, -1], reduction="sum").data == pytest.approx(0.5 + 3.0 + 4.0)
    gradcheck(lambda *v: nn.binary_cross_entropy(v, [1, 0]), p)


def test_penalties():
    ps = [Value(1.5), Value(-2.0)]
    assert nn.l1_penalty(ps).data == pytest.approx(3.5)
    assert nn.l2_penalty(ps).data == pytest.approx(6.25)
    (nn.l1_penalty(ps) + nn.l2_penalty(ps)).backward()
    assert [p.grad for p in ps] == pytest.approx([1 + 3.0, -1 - 4.0])


def test_one_hot():
    assert nn.one_hot(2, 4) == [0.0, 0.0, 1.0, 0.0]
    with pytest.raises(ValueError, match="0..3"):
        nn.one_hot(4, 4)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: nn.mse_loss([1.0, 2.0], [1.0]), "2 and 1"),
        (lambda: nn.mse_loss([], []), "at least one"),
        (lambda: nn.mse_loss([1.0], [1.0], reduction="max"), "reduction"),
        (lambda: nn.cross_entropy([1.0, 2.0], 2), "class index in 0..1"),
        (lambda: nn.hinge_loss([1.0], [0]), "-1 or \\+1"),
        (lambda: nn.softmax([]), "empty"),
        (lambda: nn.binary_cross_entropy([1.0], [1.0]), "log"),
    ],
)
def test_losses_refuse_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
