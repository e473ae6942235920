"""§6 Learning: gradient descent, then minibatch SGD with momentum, Nesterov and L2.

Gradient descent is θ_{t+1} = θ_t − η ∇θ_t, repeated for max_iterations (the notes use
1000). Stochastic gradient descent runs epochs k = 1..K, each a pass over the data in
minibatches b = 1..B, with a learning-rate schedule, momentum or Nesterov momentum, and
L2 (or L1) regularisation of the weights. The loss curves are plotted to a PNG when
matplotlib is installed (pip install -e ".[plot]").

    python -m demos.lecture.s6_training [--out DIR]
"""

import sys
from pathlib import Path

import nn
from autograd import Value
from demos.lecture.agreement import Report


def gradient_descent(r: Report, max_iterations: int = 1000) -> list[float]:
    r.say("Gradient descent on XOR (sigmoid units, squared error), η = 2:")
    X, y = nn.make_xor()
    model = nn.MLP(2, [3, 1], activation="sigmoid", output="sigmoid", seed=1)
    params, eta, losses = model.parameters(), 2.0, []
    for t in range(max_iterations):
        loss = nn.mse_loss([model(x)[0] for x in X], y, reduction="sum")
        model.zero_grad()
        loss.backward()
        checked = [("first weight", params[0]), ("last bias", params[-1])] if t == 0 else []
        by_hand = [(name, p, p.data - eta * p.grad) for name, p in checked]
        for p in params:  # θ_{t+1} = θ_t − η ∇θ_t
            p.data -= eta * p.grad
        for name, p, expected in by_hand:
            r.agree(f"θ_1 = θ_0 − η ∇θ_0 ({name})", expected, p.data)
        losses.append(loss.data)
    outputs = [model(x)[0].data for x in X]
    r.say(
        f"  loss {losses[0]:.4f} → {losses[-1]:.4f} after {max_iterations} iterations; outputs "
        f"{[round(o, 3) for o in outputs]}"
    )
    r.claim("gradient descent learns XOR", all((o > 0.5) == (t == 1) for o, t in zip(outputs, y)))
    return losses


def minibatch_sgd(r: Report, nesterov: bool) -> list[float]:
    kind = "Nesterov" if nesterov else "momentum"
    r.say(f"\nMinibatch SGD with {kind} (μ = 0.9), L2 weight decay 1e-4, step decay, on two moons:")
    X, labels = nn.make_moons(100, noise=0.1, seed=0)
    y = [2 * t - 1 for t in labels]
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    opt = nn.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=nesterov, weight_decay=1e-4)
    schedule = nn.StepDecay(opt, step_size=15, gamma=0.5)
    epoch_losses, total = [], 0.0
    for batch in nn.minibatches(X, y, batch_size=20, epochs=30, seed=0):
        loss = nn.hinge_loss([model(x)[0] for x in batch.X], batch.y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.data
        if batch.index == 5:  # the last of B = 5 minibatches: the epoch is over
            epoch_losses.append(total / 5)
            total = 0.0
            schedule.step()
    accuracy = sum((model(x)[0].data > 0) == (t > 0) for x, t in zip(X, y)) / len(y)
    r.say(f"  mean loss per epoch {epoch_losses[0]:.3f} → {epoch_losses[-1]:.3f}")
    r.say(f"  training accuracy {accuracy:.0%}")
    r.claim(f"SGD with {kind} reaches ≥ 95% on moons", accuracy >= 0.95)
    return epoch_losses


def update_rules(r: Report) -> None:
    r.say("\nThe update rules, one parameter, by hand:")
    w = 0.5
    theta = Value(w)
    loss = theta * theta * 3.0  # ∇ = 6θ
    lam = 0.01
    (loss + lam * theta * theta).backward()
    r.agree("∇(L + λ Σ w²) = ∇L + 2 λ w", 6 * w + 2 * lam * w, theta.grad)
    theta.grad = 0.0
    (loss + lam * abs(theta)).backward()
    r.agree("∇(L + λ Σ |w|) = ∇L + λ sign(w)", 6 * w + lam, theta.grad)
    theta = Value(w)
    opt = nn.SGD([theta], lr=0.1, momentum=0.9)
    v = 0.0
    expected = w
    for _ in range(3):
        opt.zero_grad()
        (theta * theta * 3.0).backward()
        v = 0.9 * v + 6 * expected  # v ← μ v + ∇θ
        expected -= 0.1 * v  # θ ← θ − η v
        opt.step()
    r.agree("momentum: v ← μv + ∇θ, θ ← θ − ηv (3 steps)", expected, theta.data)


def plot(curves: dict[str, list[float]], path: Path, show) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        show('\n(matplotlib is not installed: pip install -e ".[plot]" to plot the loss curves)')
        return
    fig, axes = plt.subplots(1, len(curves), figsize=(5 * len(curves), 3.5))
    for ax, (title, values) in zip(axes, curves.items()):
        ax.plot(range(1, len(values) + 1), values)
        ax.set_title(title)
        ax.set_yscale("log")
        ax.set_xlabel("iteration" if "descent" in title else "epoch")
        ax.set_ylabel("loss")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    show(f"\nwrote the loss curves to {path}")


def run(show=print, out: Path = Path("out")) -> list:
    r = Report(show, __doc__)
    curves = {"gradient descent (XOR)": gradient_descent(r)}
    curves["SGD + momentum (moons)"] = minibatch_sgd(r, nesterov=False)
    curves["SGD + Nesterov (moons)"] = minibatch_sgd(r, nesterov=True)
    update_rules(r)
    plot(curves, Path(out) / "loss_curves.png", show)
    return r.summary()


if __name__ == "__main__":
    run(out=Path(sys.argv[sys.argv.index("--out") + 1]) if "--out" in sys.argv else Path("out"))
