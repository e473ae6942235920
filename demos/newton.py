"""Newton's method beside gradient descent, with f'' taken from the graph of f'.

Gradient descent steps x ← x − η f'(x): it needs a step size η and, near a minimum, gains
a constant factor of accuracy per step. Newton's method steps x ← x − f'(x) / f''(x): it
divides by the curvature instead, and near a minimum the number of correct digits doubles
per step. Both derivatives come out of the graph: ``grad(f, [x], create_graph=True)`` gives
f'(x) as a graph, and ``grad`` of that graph gives f''(x). The demo minimises
f(x) = eˣ − 2x (minimum at x* = ln 2, where f'' = 2), prints both runs side by side and
plots them (needs matplotlib: pip install -e ".[plot]"). Then a warning: on a function that
is not convex, Newton heads for the nearest stationary point, which may be a maximum.

    python -m demos.newton [--out DIR]
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from autograd import Value
from autograd.higher import grad
from demos.lecture.agreement import Report, Result

Function = Callable[[Value], Value]


def f(x: Value) -> Value:
    """eˣ − 2x: convex, with its minimum at ln 2."""
    return x.exp() - 2 * x


MINIMUM = math.log(2.0)
START = 2.5
LEARNING_RATE = 0.1


def derivatives(fn: Function, x: float) -> tuple[float, float, float]:
    """f(x), f'(x) and f''(x), the last two from the graph: f' as a graph, then its gradient."""
    v = Value(x, label="x")
    y = fn(v)
    (dy,) = grad(y, [v], create_graph=True)
    (d2y,) = grad(dy, [v])
    return y.data, dy.data, d2y.data


def newton(fn: Function, x: float, steps: int) -> list[float]:
    """Iterates of x ← x − f'(x) / f''(x)."""
    xs = [x]
    for _ in range(steps):
        _, d1, d2 = derivatives(fn, x)
        x = x - d1 / d2
        xs.append(x)
    return xs


def gradient_descent(fn: Function, x: float, steps: int, lr: float) -> list[float]:
    """Iterates of x ← x − η f'(x), with f'(x) from the float fast path (no graph kept)."""
    xs = [x]
    for _ in range(steps):
        v = Value(x)
        (d1,) = grad(fn(v), [v])
        x = x - lr * d1.data
        xs.append(x)
    return xs


def plot(fn: Function, runs: dict[str, list[float]], path: Path, show: Callable[[str], object]) -> Path | None:
    """f with the first iterates and Newton's parabola on it, and |x_k − x*| per step on a log scale."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        show('  (matplotlib is not installed: pip install -e ".[plot]" for the picture)')
        return None
    fig = figure(fn, runs)
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    show(f"  wrote {path}")
    return path


def figure(fn: Function, runs: dict[str, list[float]]) -> Any:
    """The two panels of :func:`plot` as a matplotlib figure (needs matplotlib)."""
    import matplotlib.pyplot as plt

    colours = {"Newton": "#d62728", "gradient descent": "#1f77b4"}
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    grid = [-0.5 + 3.3 * i / 200 for i in range(201)]
    left.plot(grid, [fn(Value(x)).data for x in grid], color="0.3", lw=1.5, label="f(x) = eˣ − 2x")
    # Newton's step lands on the minimum of the parabola with f's value, slope and curvature at x_0.
    x0 = runs["Newton"][0]
    y0, d1, d2 = derivatives(fn, x0)
    near = [x for x in grid if x > 0.3]
    parabola = [y0 + d1 * (x - x0) + d2 * (x - x0) ** 2 / 2 for x in near]
    left.plot(near, parabola, "--", color=colours["Newton"], lw=1, alpha=0.6, label="Newton's parabola at x₀")
    for name, xs in runs.items():
        shown = xs[:6]
        ys = [fn(Value(x)).data for x in shown]
        left.plot(shown, ys, "o-", ms=4, lw=0.8, color=colours[name], label=f"{name}: x₀ … x₅")
    left.axvline(MINIMUM, color="0.6", ls=":", lw=1)
    left.annotate(
        "x* = ln 2", (MINIMUM, 10.6), xytext=(4, 0), textcoords="offset points", color="0.35", va="top", fontsize=9
    )
    left.set(xlabel="x", ylabel="f(x)", title=f"the first iterates from x₀ = {x0}", ylim=(0, 11))
    # Under the panel, not on it: inside, every corner hides the curve or the iterates.
    left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=9, frameon=False)
    for name, xs in runs.items():
        errors = [abs(x - MINIMUM) for x in xs]
        steps = [k for k, e in enumerate(errors) if e > 0]  # an exact hit has no logarithm
        right.semilogy(steps, [errors[k] for k in steps], "o-", ms=3, lw=1, color=colours[name], label=name)
    right.axhline(1e-12, color="0.6", ls=":", lw=1)
    right.annotate(
        "1e-12, the tolerance the step counts use",
        (0.1, 1e-12),
        xycoords=("axes fraction", "data"),
        xytext=(0, 3),
        textcoords="offset points",
        ha="left",
        color="0.35",
        fontsize=9,
    )
    right.set(xlabel="step k", ylabel=r"$|x_k - x^*|$", title="distance to the minimum x* = ln 2")
    right.legend(loc="upper right")
    fig.tight_layout()
    return fig


def run(show: Callable[[str], object] = print, out: Path | None = None) -> list[Result]:
    r = Report(show, __doc__)

    r.say("f(x) = eˣ − 2x, so f'(x) = eˣ − 2 and f''(x) = eˣ by hand; from the graph:")
    for x in (-1.0, MINIMUM, START):
        _, d1, d2 = derivatives(f, x)
        r.agree(f"f'({x:.3f}) = eˣ − 2", math.exp(x) - 2, d1)
        r.agree(f"f''({x:.3f}) = eˣ", math.exp(x), d2)

    runs = {"Newton": newton(f, START, 10), "gradient descent": gradient_descent(f, START, 150, LEARNING_RATE)}
    r.say(f"\nFrom x₀ = {START}: Newton, and gradient descent with η = {LEARNING_RATE}:")
    r.say(f"{'k':>3}  {'Newton x_k':>20}  {'|x_k − x*|':>10}    {'descent x_k':>20}  {'|x_k − x*|':>10}")
    for k in (*range(11), 20, 50, 100, 150):
        row = [f"{k:>3}"]
        for xs in runs.values():
            row.append(f"{xs[k]:>20.16f}  {abs(xs[k] - MINIMUM):>10.2e}" if k < len(xs) else " " * 32)
        r.say("  ".join(row).rstrip())

    newton_steps = next(k for k, x in enumerate(runs["Newton"]) if abs(x - MINIMUM) < 1e-12)
    descent_steps = next(k for k, x in enumerate(runs["gradient descent"]) if abs(x - MINIMUM) < 1e-12)
    r.say(f"\nWithin 1e-12 of ln 2: Newton after {newton_steps} steps, gradient descent after {descent_steps}.")
    r.agree("Newton's limit = ln 2", MINIMUM, runs["Newton"][-1])
    r.claim("Newton needs at most 8 steps", newton_steps <= 8)
    r.claim("gradient descent needs over 100", descent_steps > 100)

    r.say("\nNear x*, Newton squares the error, e_k+1 ≈ f'''/(2f'') · e_k², while gradient descent")
    r.say("multiplies it by a constant, e_k+1 ≈ (1 − η f'') · e_k. At x* = ln 2, f'' = f''' = 2:")
    e = [abs(x - MINIMUM) for x in runs["Newton"]]
    r.agree("Newton: e_5 / e_4² → f'''/(2f'') = 1/2", 0.5, e[5] / e[4] ** 2, tolerance=1e-2)
    g = [abs(x - MINIMUM) for x in runs["gradient descent"]]
    r.agree("descent: e_61 / e_60 → 1 − η f'' = 0.8", 1 - LEARNING_RATE * 2.0, g[61] / g[60], tolerance=1e-4)

    r.say("\nNewton finds stationary points, not minima: on g(x) = x⁴ − 3x² + x, from x₀ = 0.1,")
    r.say("where g'' < 0, it walks uphill to the local maximum.")

    def g4(x: Value) -> Value:
        return x**4 - 3 * x**2 + x

    xs = newton(g4, 0.1, 8)
    _, slope, curvature = derivatives(g4, xs[-1])
    r.say(f"  x_8 = {xs[-1]:.12f}, g'(x_8) = {slope:.1e}, g''(x_8) = {curvature:.3f}")
    r.claim("Newton converged to a point with g' = 0", abs(slope) < 1e-12)
    r.claim("... and it is a maximum (g'' < 0)", curvature < 0)

    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        plot(f, runs, out / "newton.png", show)
    return r.summary()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m demos.newton", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="out", help="folder for newton.png (default out)")
    args = parser.parse_args(argv)
    run(out=Path(args.out))


if __name__ == "__main__":
    main()
