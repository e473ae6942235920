"""Handwritten digits with the scalar engine, compiled: what to do when moons is not enough.

scikit-learn ships 1,797 8×8 images of handwritten digits (no download). An MLP 64-32-10
with tanh units, softmax and cross-entropy, trained with Adam on minibatches of 32, is
a graph of about 7,000 scalar nodes and 150,000 edges per step: some 30 ms eagerly.
``autograd.compile`` traces one step, then replays it as a handful of numpy array
operations (each layer becomes one matrix product), so the same training loop runs
about a hundred times faster per step, with the same gradients.

    python -m demos.digits                   # about 20 s; needs pip install -e ".[data]"
    python -m demos.digits --epochs 40 --out chainrule-digits

It prints one epoch's time eager and compiled, shows a progress bar while training, and
writes ``confusion.png`` and ``misclassified.png`` into ``--out``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import autograd
import nn
from autograd.compile import compile as autograd_compile  # autograd.compile once the package exports it


def load(seed: int = 0) -> tuple[Any, Any, Any, Any]:
    """The digits, pixels scaled to [0, 1], split 80/20 (stratified) into training and held-out sets."""
    import numpy as np
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    data = load_digits()
    X, y = data.data / 16.0, data.target
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=seed, stratify=y)
    return X_train, np.asarray(y_train), X_test, np.asarray(y_test)


def make_step(model: nn.MLP) -> Callable[[Any, Any], Any]:
    """The mean cross-entropy of a minibatch; targets are one-hot rows, so they are data."""

    def loss_fn(X: Any, Y: Any) -> autograd.Value:
        losses = [nn.cross_entropy(model(x), y) for x, y in zip(X, Y)]
        return autograd.sum(losses) * (1.0 / len(losses))

    return loss_fn


def run_epoch(step: Callable[[Any, Any], Any], opt: nn.Optimizer, batches: Sequence[tuple[Any, Any]]) -> float:
    """One pass over the batches: the PyTorch-style loop, unchanged whether ``step`` is compiled or not."""
    total = 0.0
    for X, Y in batches:
        loss = step(X, Y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.data
    return total / len(batches)


def epoch_batches(X: Any, Y: Any, size: int, epoch: int, seed: int = 0) -> list[tuple[Any, Any]]:
    """The minibatches of one epoch, as numpy arrays (a compiled step takes arrays or nested lists)."""
    import numpy as np

    order = np.random.default_rng([seed, epoch]).permutation(len(X))
    return [(X[order[i : i + size]], Y[order[i : i + size]]) for i in range(0, len(X), size)]


def predictor(model: nn.MLP) -> Callable[[Any], Any]:
    """The most likely class of each row: a compiled forward pass, run without recording a graph."""
    import numpy as np

    forward = autograd_compile(lambda rows: [model(x) for x in rows])

    def predict(X: Any) -> Any:
        with autograd.no_grad():
            logits = forward(X)
        return np.array([[v.data for v in row] for row in logits]).argmax(axis=1)

    return predict


def draw_confusion(y_true: Any, y_pred: Any, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    counts = np.zeros((10, 10), dtype=int)
    for t, p in zip(y_true, y_pred):
        counts[t, p] += 1
    fig, ax = plt.subplots(figsize=(5.5, 5))
    ax.imshow(counts, cmap="Blues")
    for t in range(10):
        for p in range(10):
            if counts[t, p]:
                color = "white" if counts[t, p] > counts.max() / 2 else "black"
                ax.text(p, t, str(counts[t, p]), ha="center", va="center", color=color, fontsize=9)
    ax.set_xticks(range(10))
    ax.set_yticks(range(10))
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    accuracy = np.trace(counts) / counts.sum()
    ax.set_title(f"held-out digits: {accuracy:.1%} correct ({counts.sum()} images)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def grid_shape(count: int, most_columns: int = 8) -> tuple[int, int]:
    """Rows and columns for ``count`` pictures: as few rows as ``most_columns`` allow, filled evenly
    (10 pictures are 2 rows of 5, not a row of 8 and a row of 2)."""
    rows = max(1, -(-count // most_columns))
    return rows, max(1, -(-count // rows))


def draw_misclassified(X: Any, y_true: Any, y_pred: Any, path: Path, most: int = 24) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    wrong = np.flatnonzero(y_true != y_pred)[:most]
    rows, columns = grid_shape(len(wrong))
    fig, axes = plt.subplots(rows, columns, figsize=(columns * 1.25, rows * 1.5 + 0.5), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, i in zip(axes.flat, wrong):
        ax.axis("on")
        ax.imshow(X[i].reshape(8, 8), cmap="gray_r", vmin=0.0, vmax=1.0)
        # A frame, so that the digit's white pixels do not run into the page.
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set(color="0.55", linewidth=1.0)
        ax.set_title(f"{y_pred[i]} (is {y_true[i]})", fontsize=10, color="firebrick")
    shown = f"{len(wrong)} of {int((y_true != y_pred).sum())}"
    fig.suptitle(f"misclassified held-out digits ({shown}): predicted (true)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return len(wrong)


def main(argv: Sequence[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=30, help="training epochs (default 30)")
    parser.add_argument("--batch", type=int, default=32, help="minibatch size (default 32)")
    parser.add_argument("--lr", type=float, default=1e-2, help="Adam's learning rate (default 0.01)")
    parser.add_argument("--out", default="chainrule-digits", help="folder for the pictures")
    parser.add_argument("--no-eager", action="store_true", help="skip timing an eager epoch")
    args = parser.parse_args(argv)

    import numpy as np
    from tqdm import tqdm

    X_train, y_train, X_test, y_test = load()
    Y_train = np.eye(10)[y_train]  # one-hot: the targets stay data in the compiled graph
    print(f"digits: {len(X_train)} training and {len(X_test)} held-out 8×8 images; MLP 64-32-10, tanh")

    model = nn.MLP(64, [32, 10], activation="tanh", seed=0)
    loss_fn = make_step(model)
    step = autograd_compile(loss_fn)  # the one added line
    start = model.state_dict()

    # The same first epoch, eager and compiled, from the same weights.
    first = epoch_batches(X_train, Y_train, args.batch, 0)
    if not args.no_eager:
        as_lists = [(X.tolist(), Y.tolist()) for X, Y in first]
        t0 = time.perf_counter()
        run_epoch(loss_fn, nn.Adam(model.parameters(), lr=args.lr), as_lists)
        eager_s = time.perf_counter() - t0
        model.load_state_dict(start)
    opt = nn.Adam(model.parameters(), lr=args.lr)
    t0 = time.perf_counter()
    run_epoch(step, opt, first)
    compiled_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    run_epoch(step, opt, epoch_batches(X_train, Y_train, args.batch, 1))
    replay_s = time.perf_counter() - t0
    steps = len(first)
    print(f"one epoch ({steps} steps of {args.batch}, Adam updates included):")
    if not args.no_eager:
        print(f"  eager     {eager_s:7.3f} s")
    print(f"  compiled  {compiled_s:7.3f} s  (first epoch: {step.traces} traces, one per batch shape)")
    print(f"  compiled  {replay_s:7.3f} s  (next epoch: replays only)")
    if not args.no_eager:
        print(f"  → {eager_s / replay_s:.0f}× faster per epoch once compiled")

    predict = predictor(model)
    bar = tqdm(range(2, args.epochs), desc="training", unit="epoch", initial=2, total=args.epochs)
    for epoch in bar:
        loss = run_epoch(step, opt, epoch_batches(X_train, Y_train, args.batch, epoch))
        accuracy = float((predict(X_test) == y_test).mean())
        bar.set_postfix(loss=f"{loss:.4f}", accuracy=f"{accuracy:.1%}")
    bar.close()

    y_pred = predict(X_test)
    accuracy = float((y_pred == y_test).mean())
    print(f"held-out accuracy: {accuracy:.1%} ({int((y_pred == y_test).sum())} of {len(y_test)})")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    draw_confusion(y_test, y_pred, out / "confusion.png")
    shown = draw_misclassified(X_test, y_test, y_pred, out / "misclassified.png")
    print(f"wrote {out / 'confusion.png'} and {out / 'misclassified.png'} ({shown} misclassified digits)")
    return accuracy


if __name__ == "__main__":
    main()
