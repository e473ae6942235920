"""Datasets are seeded and shaped as documented; minibatches cover each epoch once."""

import pytest

import nn


@pytest.mark.parametrize(
    ("make", "n", "labels"),
    [
        (lambda: nn.make_moons(100, seed=1), 100, {0, 1}),
        (lambda: nn.make_circles(60, seed=1), 60, {0, 1}),
        (lambda: nn.make_spirals(20, classes=3, seed=1), 60, {0, 1, 2}),
        (lambda: nn.make_xor(), 4, {0, 1}),
    ],
)
def test_classification_sets(make, n, labels):
    X, y = make()
    assert len(X) == len(y) == n and set(y) == labels
    assert all(len(x) == 2 for x in X)
    assert make() == (X, y)


def test_seeds_change_the_data():
    assert nn.make_moons(50, seed=1) != nn.make_moons(50, seed=2)


def test_sine():
    X, y = nn.make_sine(40, noise=0.0)
    assert len(X) == 40 and X[0] == [pytest.approx(-3.14159265)]
    assert max(abs(t) for t in y) == pytest.approx(1.0, abs=0.01)


def test_minibatches_cover_every_sample_once_per_epoch():
    X, y = list(range(10)), list(range(10))
    batches = list(nn.minibatches(X, y, batch_size=4, epochs=3, seed=0))
    assert [(b.epoch, b.number, len(b.X)) for b in batches[:3]] == [(1, 1, 4), (1, 2, 4), (1, 3, 2)]
    for epoch in (1, 2, 3):
        seen = [v for b in batches if b.epoch == epoch for v in b.X]
        assert sorted(seen) == X
    orders = [[v for b in batches if b.epoch == e for v in b.X] for e in (1, 2)]
    assert orders[0] != orders[1]
    assert batches == list(nn.minibatches(X, y, batch_size=4, epochs=3, seed=0))
    assert all(b.X == b.y for b in batches)


def test_minibatches_refuse_mismatched_data():
    with pytest.raises(ValueError, match="3 and 2"):
        list(nn.minibatches([1, 2, 3], [1, 2], batch_size=2))


def test_a_batch_number_does_not_shadow_tuple_index():
    batch = next(nn.minibatches([1, 2, 3], [4, 5, 6], batch_size=2))
    assert batch.number == 1 and batch.epoch == 1
    assert batch.index(1) == 0  # tuple.index still works: the epoch, 1, is at position 0
    assert nn.Batch._fields == ("epoch", "number", "X", "y")
