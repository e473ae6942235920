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


# --- counts are whole numbers >= 1 (numpy's too), noise levels finite and >= 0 ---


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: nn.make_moons(-5), ValueError, "n must be a positive whole number, got -5"),
        (lambda: nn.make_moons(0), ValueError, "n must be a positive whole number, got 0"),
        (lambda: nn.make_moons(2.5), ValueError, "got 2.5"),
        (lambda: nn.make_moons("10"), TypeError, "n must be a positive whole number, got str"),
        (lambda: nn.make_moons(10, noise=-1), ValueError, "noise must be >= 0 and finite"),
        (lambda: nn.make_moons(10, noise=float("nan")), ValueError, "noise"),
        (lambda: nn.make_circles(0), ValueError, "n must be a positive whole number"),
        (lambda: nn.make_circles(10, noise=float("nan")), ValueError, "noise"),
        (lambda: nn.make_circles(10, factor=-0.5), ValueError, "factor"),
        (lambda: nn.make_spirals(0), ValueError, "n_per_class must be a positive whole number"),
        (lambda: nn.make_spirals(10, classes=0), ValueError, "classes must be a positive whole number, got 0"),
        (lambda: nn.make_spirals(10, classes=-1), ValueError, "classes"),
        (lambda: nn.make_spirals(10, noise=float("inf")), ValueError, "noise"),
        (lambda: nn.make_sine(0), ValueError, "n must be a positive whole number"),
        (lambda: nn.make_sine(-1), ValueError, "n must be a positive whole number"),
        (lambda: list(nn.minibatches([1], [1], batch_size=0)), ValueError, "batch_size must be a positive whole"),
        (lambda: list(nn.minibatches([1], [1], batch_size=2.5)), ValueError, "batch_size"),
        (
            lambda: list(nn.minibatches([1], [1], batch_size=1, epochs=-1)),
            ValueError,
            "epochs must be a whole number >= 0",
        ),
    ],
)
def test_empty_or_nan_datasets_are_refused_by_name(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_numpy_integers_count_and_seed():
    np = pytest.importorskip("numpy")
    assert nn.make_moons(np.int64(10), seed=np.int64(3)) == nn.make_moons(10, seed=3)
    assert nn.make_spirals(np.int32(5), classes=np.int64(2)) == nn.make_spirals(5, classes=2)
    assert len(nn.make_sine(np.uint8(7))[0]) == 7
    assert len(list(nn.minibatches([1, 2, 3], [1, 2, 3], batch_size=np.int64(2), epochs=np.int64(2)))) == 4


def test_the_smallest_datasets_still_work():
    assert len(nn.make_moons(1)[0]) == 1
    assert len(nn.make_spirals(1, classes=1)[0]) == 1
    assert list(nn.minibatches([1], [1], batch_size=1, epochs=0)) == []
