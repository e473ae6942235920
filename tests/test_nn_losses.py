"""softmax, log-softmax and the losses: values by hand, gradients by central differences."""

import math

import pytest

import nn
from autograd import Value, gradcheck
from nn.functional import logsumexp


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


def test_logsumexp_is_one_stable_node_whose_gradient_is_the_softmax():
    xs = [Value(v) for v in (0.3, -1.2, 2.0)]
    out = logsumexp(xs)
    assert out.op == "logsumexp" and out.parents == tuple(xs)
    assert out.data == pytest.approx(math.log(sum(math.exp(x.data) for x in xs)))
    out.backward()
    assert [x.grad for x in xs] == pytest.approx([p.data for p in nn.softmax([0.3, -1.2, 2.0])])
    assert logsumexp([1e5, 0.0]).data == 1e5 and logsumexp([-1e5, -1e5]).data == pytest.approx(-1e5 + math.log(2))
    gradcheck(lambda *a: logsumexp(a), [Value(0.1), Value(-0.4), Value(1.3)])


def test_softmax_and_log_softmax_stay_finite_for_huge_inputs():
    xs = [Value(v * 1e5) for v in (0.3, -1.2, 2.0)]
    ys = nn.softmax(xs)
    (ys[0] + nn.log_softmax(xs)[1]).backward()
    assert all(math.isfinite(v) for v in [*(y.data for y in ys), *(x.grad for x in xs)])


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


def test_cross_entropy_takes_a_one_hot_target_or_class_probabilities():
    logits = [Value(2.0), Value(1.0), Value(0.1)]
    by_index = nn.cross_entropy(logits, 1)
    by_index.backward()
    grads = [a.grad for a in logits]
    for a in logits:
        a.grad = 0.0
    one_hot = nn.cross_entropy(logits, nn.one_hot(1, 3))
    one_hot.backward()
    assert one_hot.data == pytest.approx(by_index.data, rel=1e-15)
    assert [a.grad for a in logits] == pytest.approx(grads, rel=1e-15)
    soft = nn.cross_entropy(logits, [0.25, 0.75, 0.0])
    log_p = [v.data for v in nn.log_softmax([2.0, 1.0, 0.1])]
    assert soft.data == pytest.approx(-(0.25 * log_p[0] + 0.75 * log_p[1]))
    gradcheck(lambda *a: nn.cross_entropy(a, [0.25, 0.75, 0.0]), [Value(2.0), Value(1.0), Value(0.1)])


def test_cross_entropy_refuses_a_value_as_class_index():
    """A traced target index would be frozen by indexing: one-hot keeps the target in the graph."""
    with pytest.raises(TypeError, match="one-hot"):
        nn.cross_entropy([Value(1.0), Value(2.0)], Value(1.0))


def test_hinge_loss_takes_labels_that_are_values():
    s, y = [Value(0.5), Value(-2.0)], [Value(1.0), Value(-1.0)]
    assert nn.hinge_loss(s, y, reduction="sum").data == pytest.approx(0.5 + 0.0)


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
        (lambda: nn.cross_entropy([1.0, 2.0], [1.0]), "needs 2 entries"),
        (lambda: nn.cross_entropy([1.0, 2.0], [0.5, 0.6]), "sum to 1"),
        (lambda: nn.cross_entropy([1.0, 2.0], "a"), "one-hot"),
        (lambda: nn.cross_entropy([], 0), "at least one"),
        (lambda: nn.hinge_loss([1.0], [0]), "-1 or \\+1"),
        (lambda: nn.softmax([]), "empty"),
        (lambda: nn.binary_cross_entropy([1.0], [1.0]), "log"),
    ],
)
def test_losses_refuse_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_loss_inputs_are_checked_alike():
    import numpy as np

    assert nn.one_hot(np.int64(3), 10)[3] == 1.0
    for penalty in (nn.l1_penalty, nn.l2_penalty):
        with pytest.raises(ValueError, match="needs at least one parameter"):
            penalty([])
    with pytest.raises(ValueError, match=r"targets must be in \[0, 1\], got -1"):
        nn.binary_cross_entropy([0.3], [-1.0])
    with pytest.raises(ValueError, match=r"targets must be in \[0, 1\]"):
        nn.binary_cross_entropy([0.3], [float("nan")])
