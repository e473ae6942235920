"""A training playground: one self-contained HTML page that replays a small network learning.

TensorFlow Playground's lesson, as a static page a teacher can put on a course site or email:
a slider over the training steps shows, all at once, the decision boundary, the loss curve
with the current step marked, and the network with each weight coloured by its sign and drawn
as thick as it is large. Everything is computed here, by chainrule: the training is the usual
loop (forward, ``zero_grad``, ``backward``, optimiser ``step``) and each boundary is the model
evaluated over a grid under ``no_grad``. The page needs no network and no CDN.

    python -m demos.playground [--dataset moons|circles|spirals|xor] [--steps 100] [--out FILE]

Exit status: 0 the page was written; 1 training diverged (try a smaller --lr) or the page
could not be written; 2 bad arguments (checked before training starts).

Keys on the page: ← → (or the slider) move a step, Home / End jump, Space plays and pauses.
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import autograd
import nn
from autograd import Value, no_grad

MAX_FRAMES = 101  # snapshots kept in the page: every step up to 100 steps, then evenly spaced
GRID = 30  # the boundary is the model evaluated at GRID x GRID cell centres
Points = list[list[float]]


@dataclass(frozen=True)
class Dataset:
    """A toy problem with the network and optimiser settings that learn it in ~100 steps."""

    title: str
    about: str
    make: Callable[[int], tuple[Points, list[int]]]
    hidden: tuple[int, ...] = (8, 8)
    lr: float = 0.05


DATASETS: dict[str, Dataset] = {
    "moons": Dataset(
        "Two moons",
        "two interleaving half circles: no straight line separates them",
        lambda seed: nn.make_moons(100, noise=0.1, seed=seed),
    ),
    "circles": Dataset(
        "Circles",
        "a small circle inside a large one: the boundary must close around the middle",
        lambda seed: nn.make_circles(100, noise=0.05, seed=seed),
    ),
    "spirals": Dataset(
        "Spirals",
        "two interleaved spiral arms: the hardest of the four; give it more steps",
        lambda seed: nn.make_spirals(50, classes=2, noise=0.05, seed=seed),
        hidden=(16, 16),
        lr=0.03,
    ),
    "xor": Dataset(
        "XOR",
        "the four XOR points: one straight line cannot do it, one hidden layer can",
        lambda seed: nn.make_xor(),
        hidden=(4,),
        lr=0.1,
    ),
}


class TrainingDivergedError(FloatingPointError):
    """Training blew up: the loss stopped being a finite number, or an update overflowed.

    Attributes:
        step: the training step (0 is the untrained model) at which it happened.
    """

    def __init__(self, step: int, why: str) -> None:
        super().__init__(f"training diverged at step {step}: {why}")
        self.step = step


@dataclass
class Run:
    """A training run, snapshotted for the page.

    Attributes:
        dataset: its key in :data:`DATASETS`.
        points, labels: the training data (labels 0 and 1).
        sizes: the network's layer sizes, inputs first (``[2, 8, 8, 1]``).
        activation: the hidden activation.
        optimizer: a description of the optimiser (``"Adam, lr 0.05"``).
        extent: the plotted square ``(xmin, xmax, ymin, ymax)``.
        grid: cells per side of the boundary grid.
        loss, accuracy: per step, 0..steps (step t is the model after t updates).
        frames: the steps that have a snapshot.
        boundaries: per frame, the model's P(class 1) at each grid cell, as bytes 0..255, rows from the top.
        weights: per frame, per layer, per unit: its weights then its bias.
        seconds: how long training and the grid evaluation took.
    """

    dataset: str
    points: Points
    labels: list[int]
    sizes: list[int]
    activation: str
    optimizer: str
    extent: tuple[float, float, float, float]
    grid: int
    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    frames: list[int] = field(default_factory=list)
    boundaries: list[bytes] = field(default_factory=list)
    weights: list[list[list[list[float]]]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def steps(self) -> int:
        return len(self.loss) - 1


def logistic_loss(scores: Sequence[Value], labels: Sequence[int]) -> Value:
    """Mean binary cross-entropy on raw scores: log(1 + e^(−m)) with margin m = ±score.

    Written as relu(−m) + log(1 + e^(−|m|)), equal but never overflowing: exp only ever
    sees a non-positive number.
    """
    terms = []
    for s, t in zip(scores, labels):
        m = s if t == 1 else -s
        terms.append((-m).relu() + (1 + (-abs(m)).exp()).log())
    return autograd.sum(terms) / len(terms)


def frame_steps(steps: int, most: int = MAX_FRAMES) -> list[int]:
    """The steps that get a snapshot: all of 0..steps if they fit, else ``most`` evenly spaced."""
    if steps + 1 <= most:
        return list(range(steps + 1))
    return sorted({round(i * steps / (most - 1)) for i in range(most)})


def extent_of(points: Points, margin: float = 0.25) -> tuple[float, float, float, float]:
    """A square around the points with a margin, so the boundary has room to show."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 + margin
    return (cx - half, cx + half, cy - half, cy + half)


def boundary(model: nn.MLP, extent: tuple[float, float, float, float], n: int) -> bytes:
    """P(class 1) = σ(score) at the centre of each of n × n cells, top row first, as bytes 0..255."""
    x0, x1, y0, y1 = extent
    out = bytearray()
    with no_grad():  # values only: no graph for n² evaluations
        for row in range(n):
            y = y1 - (row + 0.5) * (y1 - y0) / n
            for col in range(n):
                x = x0 + (col + 0.5) * (x1 - x0) / n
                score = model([x, y])[0].data
                p = 1.0 / (1.0 + math.exp(-score)) if score >= 0 else 1.0 - 1.0 / (1.0 + math.exp(score))
                out.append(round(255 * p))
    return bytes(out)


def snapshot_weights(model: nn.MLP) -> list[list[list[float]]]:
    """Per layer, per unit: its weights then its bias, to 3 significant digits (enough to draw)."""
    return [[[float(f"{v.data:.3g}") for v in (*unit.w, unit.b)] for unit in layer.neurons] for layer in model.layers]


def train(
    dataset: str = "moons",
    steps: int = 100,
    *,
    seed: int = 0,
    grid: int = GRID,
    hidden: Sequence[int] | None = None,
    lr: float | None = None,
    activation: str = "tanh",
    optimizer: str = "adam",
    progress: Callable[[str], None] | None = None,
) -> Run:
    """Train a small MLP on a toy dataset, keeping what the page shows at each snapshot.

    Args:
        dataset: ``moons``, ``circles``, ``spirals`` or ``xor``.
        steps: full-batch training steps.
        seed: seeds the data and the initial weights.
        grid: cells per side of the decision-boundary grid.
        hidden: hidden layer sizes (default: the dataset's).
        lr: learning rate (default: the dataset's).
        activation: hidden activation: ``tanh``, ``relu`` or ``sigmoid``.
        optimizer: ``adam`` or ``sgd`` (with momentum 0.9).
        progress: called with a line of text now and then (``print`` for the command line).

    Raises:
        ValueError: an unknown dataset or optimiser, or a bad size, step count or rate.
        TrainingDivergedError: the loss became infinite or NaN, or the optimiser refused
            an update that overflows (usually: the learning rate is too large).
    """
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}: choose one of {', '.join(DATASETS)}")
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps!r}")
    if not 2 <= grid <= 200:
        raise ValueError(f"grid must be between 2 and 200 cells per side, got {grid!r}")
    spec = DATASETS[dataset]
    X, y = spec.make(seed)
    hidden = list(spec.hidden if hidden is None else hidden)
    lr = spec.lr if lr is None else lr
    model = nn.MLP(2, [*hidden, 1], activation=activation, seed=seed)
    if optimizer == "adam":
        opt: nn.Optimizer = nn.Adam(model.parameters(), lr=lr)
        described = f"Adam, learning rate {lr:g}"
    elif optimizer == "sgd":
        opt = nn.SGD(model.parameters(), lr=lr, momentum=0.9)
        described = f"SGD with momentum 0.9, learning rate {lr:g}"
    else:
        raise ValueError(f"optimizer must be 'adam' or 'sgd', got {optimizer!r}")
    run = Run(dataset, X, y, [2, *hidden, 1], activation, described, extent_of(X), grid)
    keep = set(frame_steps(steps))
    train_time = grid_time = 0.0
    for step in range(steps + 1):
        start = time.perf_counter()
        scores = [model(x)[0] for x in X]
        loss = logistic_loss(scores, y)
        if not math.isfinite(loss.data):
            raise TrainingDivergedError(step, f"the loss is {loss.data}")
        run.loss.append(loss.data)
        run.accuracy.append(sum((s.data > 0) == (t == 1) for s, t in zip(scores, y)) / len(y))
        if step in keep:
            run.frames.append(step)
            run.weights.append(snapshot_weights(model))
            mid = time.perf_counter()
            run.boundaries.append(boundary(model, run.extent, grid))
            grid_time += time.perf_counter() - mid
            start += time.perf_counter() - mid
        if step < steps:  # the last pass only measures the trained model
            opt.zero_grad()
            loss.backward()
            try:
                opt.step()
            except FloatingPointError as error:
                raise TrainingDivergedError(step + 1, str(error)) from error
        train_time += time.perf_counter() - start
        if progress and step % 25 == 0:
            progress(f"  step {step:4d}  loss {loss.data:.4f}  accuracy {run.accuracy[-1]:.0%}")
    run.seconds = {"training": train_time, "boundaries": grid_time}
    return run


# --- the page ---


def page(run: Run) -> str:
    """The whole run as one self-contained HTML page (inline CSS, JS and data; nothing fetched)."""
    spec = DATASETS[run.dataset]
    data = {
        "title": spec.title,
        "points": [[round(p[0], 4), round(p[1], 4), t] for p, t in zip(run.points, run.labels)],
        "extent": [round(v, 4) for v in run.extent],
        "grid": run.grid,
        "sizes": run.sizes,
        "loss": [float(f"{v:.4g}") for v in run.loss],
        "accuracy": [round(v, 4) for v in run.accuracy],
        "frames": run.frames,
        "boundaries": base64.b64encode(b"".join(run.boundaries)).decode("ascii"),
        "weights": run.weights,
    }
    blob = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
    e = html.escape
    network = " → ".join(str(n) for n in run.sizes)
    subtitle = (
        f"{e(spec.about[0].upper() + spec.about[1:])}. A network {e(network)} ({e(run.activation)} hidden units), "
        f"{e(run.optimizer)}, {len(run.points)} points, {run.steps} full-batch steps."
    )
    return (
        _PAGE.replace("__TITLE__", e(f"chainrule playground: {spec.title}"))
        .replace("__HEADING__", e(spec.title))
        .replace("__SUBTITLE__", subtitle)
        .replace("__LAST__", str(len(run.frames) - 1))
        .replace("__DATA__", blob)
    )


def write_playground(run: Run, path: str | Path) -> Path:
    """Write :func:`page` to ``path`` and return the path."""
    path = Path(path)
    path.write_text(page(run), encoding="utf-8")
    return path


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>
  :root { --neg: #e8710a; --pos: #1a73c8; --ink: #202124; --muted: #5f6368; }
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
         color: var(--ink); margin: 0 auto; padding: 16px 24px; max-width: 1400px; font-size: 18px; }
  h1 { font-size: 30px; margin: 0 0 4px; }
  p.sub { color: var(--muted); margin: 0 0 14px; }
  p.keys { margin-top: 14px; }
  .controls { display: flex; align-items: center; gap: 14px; margin: 8px 0 18px; flex-wrap: wrap; }
  .controls button { font-size: 22px; min-width: 52px; height: 44px; border-radius: 8px;
         border: 1px solid #bbb; background: #f8f9fa; cursor: pointer; }
  .controls button:focus-visible, #step:focus-visible { outline: 3px solid var(--pos); outline-offset: 2px; }
  #step { flex: 1; min-width: 240px; height: 32px; accent-color: var(--pos); }
  /* min-width keeps the readout from jumping as its numbers change, never wider than the screen */
  #readout { font-size: 24px; font-variant-numeric: tabular-nums; min-width: min(22em, 100%); }
  .panels { display: grid; grid-template-columns: 1fr 1fr; gap: 18px 26px; }
  .panels .boundary { grid-row: span 2; }
  .panel { min-width: 0; }
  /* a projector (1280x720): the three panels side by side, all above the fold */
  @media (min-width: 1200px) {
    .panels { grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 18px 22px; }
    .panels .boundary { grid-row: auto; }
  }
  @media (max-width: 800px) { .panels { grid-template-columns: 1fr; } .panels .boundary { grid-row: auto; } }
  @media (max-width: 600px) {
    body { padding: 12px 14px; }
    h1 { font-size: 24px; }
    #readout { font-size: 19px; }
    #step { min-width: 160px; }
  }
  .panel h2 { font-size: 20px; margin: 0 0 6px; }
  .panel p { color: var(--muted); font-size: 16px; margin: 6px 0 0; }
  canvas, svg.box { width: 100%; height: auto; border: 1px solid #ddd; border-radius: 6px; background: #fff; }
  .neg { color: var(--neg); font-weight: 600; } .pos { color: var(--pos); font-weight: 600; }
  kbd { border: 1px solid #bbb; border-radius: 4px; padding: 0 5px; font-size: 15px; background: #f8f9fa; }
</style>
</head>
<body>
<h1>__HEADING__: watching a network learn</h1>
<p class="sub">__SUBTITLE__</p>
<div class="controls">
  <button id="prev" title="previous step (←)" aria-label="previous step">◀</button>
  <button id="play" title="play / pause (Space)" aria-label="play">▶</button>
  <button id="next" title="next step (→)" aria-label="next step">▶|</button>
  <input id="step" type="range" min="0" max="__LAST__" value="0" aria-label="training step">
  <span id="readout" aria-live="polite"></span>
</div>
<div class="panels">
  <div class="panel boundary">
    <h2>Decision boundary</h2>
    <canvas id="boundary" width="600" height="600"></canvas>
    <p>Each cell is the network's probability of <span class="pos">blue</span> at that point
      (white: undecided, 50%). Dots are the training data, coloured by their true class.</p>
  </div>
  <div class="panel">
    <h2>Loss</h2>
    <svg id="loss" class="box" viewBox="0 0 600 360" role="img" aria-label="loss curve"></svg>
    <p>Mean cross-entropy over the training points, every step; the dot is the step shown.</p>
  </div>
  <div class="panel">
    <h2>Network</h2>
    <svg id="network" class="box" viewBox="0 0 600 360" role="img" aria-label="network weights"></svg>
    <p>Each line is a weight: <span class="pos">blue positive</span>,
      <span class="neg">orange negative</span>, thicker when larger. A unit's fill is its bias.</p>
  </div>
</div>
<p class="sub keys">Keys: <kbd>←</kbd> <kbd>→</kbd> a step, <kbd>Home</kbd> <kbd>End</kbd> first and last,
  <kbd>Space</kbd> play / pause. Made with chainrule: <code>python -m demos.playground</code>.</p>
<script type="application/json" id="playground-data">__DATA__</script>
<script>
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("playground-data").textContent);
  var raw = atob(D.boundaries), cells = D.grid * D.grid;
  var bytes = new Uint8Array(raw.length);
  for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  var NEG = [232, 113, 10], POS = [26, 115, 200], SVGNS = "http://www.w3.org/2000/svg";
  var slider = document.getElementById("step"), readout = document.getElementById("readout");
  var playButton = document.getElementById("play"), timer = null;

  function mix(p) {  // 0 -> orange, 0.5 -> white, 1 -> blue
    var c = p < 0.5 ? NEG : POS, t = Math.abs(p - 0.5) * 2 * 0.6;
    return [0, 1, 2].map(function (k) { return Math.round(255 + (c[k] - 255) * t); });
  }
  var palette = [];
  for (var v = 0; v < 256; v++) palette.push(mix(v / 255));

  // --- decision boundary: the grid as an image, scaled up, with the points on top ---
  var canvas = document.getElementById("boundary"), ctx = canvas.getContext("2d");
  var small = document.createElement("canvas");
  small.width = small.height = D.grid;
  var sctx = small.getContext("2d"), image = sctx.createImageData(D.grid, D.grid);
  var E = D.extent;
  function toCanvas(x, y) {
    return [(x - E[0]) / (E[1] - E[0]) * canvas.width, (E[3] - y) / (E[3] - E[2]) * canvas.height];
  }
  function drawBoundary(f) {
    var off = f * cells;
    for (var c = 0; c < cells; c++) {
      var rgb = palette[bytes[off + c]];
      image.data[4 * c] = rgb[0]; image.data[4 * c + 1] = rgb[1];
      image.data[4 * c + 2] = rgb[2]; image.data[4 * c + 3] = 255;
    }
    sctx.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
    D.points.forEach(function (p) {
      var xy = toCanvas(p[0], p[1]);
      ctx.beginPath();
      ctx.arc(xy[0], xy[1], D.points.length > 20 ? 7 : 14, 0, 2 * Math.PI);
      ctx.fillStyle = p[2] ? "rgb(" + POS + ")" : "rgb(" + NEG + ")";
      ctx.fill();
      ctx.lineWidth = 2; ctx.strokeStyle = "#202124"; ctx.stroke();
    });
  }

  function el(name, attrs, parent, text) {
    var node = document.createElementNS(SVGNS, name);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  // --- loss curve: drawn once; only the marker moves ---
  var lossSvg = document.getElementById("loss"), L = D.loss, n = L.length - 1;
  var top = Math.max.apply(null, L) * 1.05 || 1, left = 80, right = 580, upper = 20, lower = 310;
  function lx(step) { return left + (right - left) * step / Math.max(n, 1); }
  function ly(value) { return lower - (lower - upper) * value / top; }
  el("line", {x1: left, y1: lower, x2: right, y2: lower, stroke: "#888"}, lossSvg);
  el("line", {x1: left, y1: upper, x2: left, y2: lower, stroke: "#888"}, lossSvg);
  [0, top / 2, top].forEach(function (t) {
    el("text", {x: left - 8, y: ly(t) + 6, "text-anchor": "end", "font-size": 22, fill: "#5f6368"},
       lossSvg, t.toPrecision(2));
  });
  el("text", {x: left, y: lower + 32, "font-size": 22, fill: "#5f6368"}, lossSvg, "step 0");
  el("text", {x: right, y: lower + 32, "text-anchor": "end", "font-size": 22, fill: "#5f6368"}, lossSvg,
     "step " + n);
  el("polyline", {points: L.map(function (v, s) { return lx(s) + "," + ly(v); }).join(" "),
                  fill: "none", stroke: "#202124", "stroke-width": 3}, lossSvg);
  var cursor = el("line", {y1: upper, y2: lower, stroke: "#9aa0a6", "stroke-dasharray": "6 5",
                           "stroke-width": 2}, lossSvg);
  var dot = el("circle", {r: 9, fill: "rgb(" + POS + ")", stroke: "#fff", "stroke-width": 3}, lossSvg);
  var lossLabel = el("text", {y: upper + 26, "font-size": 26, "font-weight": 600}, lossSvg);
  function drawLoss(step) {
    var x = lx(step), y = ly(L[step]);
    cursor.setAttribute("x1", x); cursor.setAttribute("x2", x);
    dot.setAttribute("cx", x); dot.setAttribute("cy", y);
    lossLabel.textContent = "loss " + L[step].toPrecision(3);
    var leftSide = x > (left + right) / 2;
    lossLabel.setAttribute("x", leftSide ? x - 12 : x + 12);
    lossLabel.setAttribute("text-anchor", leftSide ? "end" : "start");
  }

  // --- network: units in columns, one line per weight ---
  var net = document.getElementById("network"), S = D.sizes;
  var biggest = 1e-9;
  D.weights.forEach(function (layers) { layers.forEach(function (units) { units.forEach(function (ws) {
    ws.forEach(function (w) { biggest = Math.max(biggest, Math.abs(w)); }); }); }); });
  var tallest = Math.max.apply(null, S), R = Math.min(16, 130 / tallest);
  function ux(k) { return 60 + (480 * k) / (S.length - 1); }
  function uy(k, j) { var gap = 310 / tallest; return 170 + (j - (S[k] - 1) / 2) * gap; }
  var edgeLayer = el("g", {}, net), unitLayer = el("g", {}, net), edges = [], units = [];
  for (var k = 1; k < S.length; k++) {
    for (var j = 0; j < S[k]; j++) {
      for (var i2 = 0; i2 < S[k - 1]; i2++) {
        edges.push([k, j, i2, el("line", {x1: ux(k - 1), y1: uy(k - 1, i2), x2: ux(k), y2: uy(k, j),
                                           "stroke-linecap": "round"}, edgeLayer)]);
      }
    }
  }
  for (var k2 = 0; k2 < S.length; k2++) {
    for (var j2 = 0; j2 < S[k2]; j2++) {
      units.push([k2, j2, el("circle", {cx: ux(k2), cy: uy(k2, j2), r: R, stroke: "#202124",
                                         "stroke-width": 2, fill: "#fff"}, unitLayer)]);
    }
    var name = k2 === 0 ? "x" : (k2 === S.length - 1 ? "out" : "h" + k2);
    el("text", {x: ux(k2), y: 352, "text-anchor": "middle", "font-size": 22, fill: "#5f6368"}, net, name);
  }
  function colour(w, strength) {
    var p = 0.5 + 0.5 * Math.max(-1, Math.min(1, strength));
    return "rgb(" + palette[Math.round(p * 255)] + ")";
  }
  function drawNetwork(f) {
    var W = D.weights[f];
    edges.forEach(function (e) {
      var w = W[e[0] - 1][e[1]][e[2]], size = Math.abs(w) / biggest;
      e[3].setAttribute("stroke", w >= 0 ? "rgb(" + POS + ")" : "rgb(" + NEG + ")");
      e[3].setAttribute("stroke-width", (0.6 + 9 * size).toFixed(2));
      e[3].setAttribute("stroke-opacity", (0.35 + 0.65 * size).toFixed(2));
    });
    units.forEach(function (u) {
      if (u[0] === 0) return;
      var ws = W[u[0] - 1][u[1]], b = ws[ws.length - 1];
      u[2].setAttribute("fill", colour(b, b / biggest));
    });
  }

  function show(f) {
    f = Math.max(0, Math.min(D.frames.length - 1, f));
    slider.value = f;
    var step = D.frames[f];
    drawBoundary(f); drawLoss(step); drawNetwork(f);
    readout.textContent = "step " + step + " of " + n + " · loss " + L[step].toFixed(4) +
      " · accuracy " + Math.round(100 * D.accuracy[step]) + "%";
  }
  function current() { return Number(slider.value); }
  function stop() { if (timer) { clearInterval(timer); timer = null; playButton.textContent = "▶";
                                 playButton.setAttribute("aria-label", "play"); } }
  function play() {
    if (timer) { stop(); return; }
    if (current() >= D.frames.length - 1) show(0);
    playButton.textContent = "❚❚"; playButton.setAttribute("aria-label", "pause");
    timer = setInterval(function () {
      if (current() >= D.frames.length - 1) { stop(); return; }
      show(current() + 1);
    }, 90);
  }
  slider.addEventListener("input", function () { stop(); show(current()); });
  document.getElementById("prev").addEventListener("click", function () { stop(); show(current() - 1); });
  document.getElementById("next").addEventListener("click", function () { stop(); show(current() + 1); });
  playButton.addEventListener("click", play);
  document.addEventListener("keydown", function (ev) {
    if (ev.target === slider && ev.key !== " ") return;  // the slider handles its own arrows
    if (ev.target.tagName === "BUTTON" && (ev.key === " " || ev.key === "Enter")) return;
    var moves = {ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1};
    if (ev.key in moves) { stop(); show(current() + moves[ev.key]); }
    else if (ev.key === "Home") { stop(); show(0); }
    else if (ev.key === "End") { stop(); show(D.frames.length - 1); }
    else if (ev.key === " ") { play(); }
    else return;
    ev.preventDefault();
  });
  show(0);
  slider.focus();
})();
</script>
</body>
</html>
"""


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def hidden_sizes(text: str) -> list[int]:
    """An argparse type: hidden layer sizes separated by commas, each at least 1 (``8,8``)."""
    try:
        sizes = [int(n) for n in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"takes sizes separated by commas, e.g. 8,8; got {text!r}") from None
    if any(n < 1 for n in sizes):
        raise argparse.ArgumentTypeError(f"every layer needs at least 1 unit, e.g. 8,8; got {text!r}")
    return sizes


def learning_rate(text: str) -> float:
    """An argparse type: a finite number greater than 0."""
    try:
        lr = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not (math.isfinite(lr) and lr > 0):
        raise argparse.ArgumentTypeError(f"must be a finite number greater than 0, got {text!r}")
    return lr


def writable_problem(path: Path) -> str | None:
    """Why ``path`` cannot be written as a file, or None; checked before the training run.

    It opens the file for appending, which changes nothing in a file that exists, and
    removes it again if it did not; so a read-only disk or ``/proc`` is caught too.
    """
    if path.is_dir():
        return f"{path} is a folder; give a file name such as {path / 'playground.html'}"
    if not path.parent.is_dir():
        return f"the folder {path.parent} does not exist"
    existed = path.exists()
    try:
        with open(path, "ab"):
            pass
    except OSError as error:
        return f"cannot write {path}: {error.strerror or error}"
    if not existed:
        path.unlink(missing_ok=True)
    return None


def main(argv: list[str] | None = None) -> Path:
    """The command line; returns the page written. Bad arguments and failures exit with one line on stderr."""
    parser = argparse.ArgumentParser(
        prog="python -m demos.playground",
        description="Write a self-contained HTML page replaying a small network learning a toy dataset.",
        epilog="Exit status: 0 the page was written; 1 training diverged or the page could not be written; "
        "2 bad arguments (all checked before training starts).",
    )
    parser.add_argument("--dataset", choices=sorted(DATASETS), default="moons", help="the toy problem (moons)")
    parser.add_argument("--steps", type=positive_int, default=100, help="full-batch training steps (100)")
    parser.add_argument("--out", default=None, help="the page to write (playground-DATASET.html)")
    parser.add_argument("--seed", type=int, default=0, help="seeds the data and the weights (0)")
    parser.add_argument("--grid", type=int, default=GRID, help=f"boundary cells per side, 2 to 200 ({GRID})")
    parser.add_argument(
        "--hidden", type=hidden_sizes, default=None, help="hidden layer sizes, e.g. 8,8 (the dataset's)"
    )
    parser.add_argument("--lr", type=learning_rate, default=None, help="learning rate, > 0 (the dataset's)")
    parser.add_argument("--activation", choices=["tanh", "relu", "sigmoid"], default="tanh")
    parser.add_argument("--optimizer", choices=["adam", "sgd"], default="adam")
    args = parser.parse_args(argv)
    if not 2 <= args.grid <= 200:
        parser.error("--grid must be between 2 and 200")
    if args.out is not None and not args.out.strip():
        parser.error("--out needs a file name")
    out = Path(args.out or f"playground-{args.dataset}.html")
    problem = writable_problem(out)
    if problem:
        parser.error(f"--out: {problem}")
    print(f"Training on {args.dataset} for {args.steps} steps:")
    try:
        run = train(
            args.dataset,
            args.steps,
            seed=args.seed,
            grid=args.grid,
            hidden=args.hidden,
            lr=args.lr,
            activation=args.activation,
            optimizer=args.optimizer,
            progress=print,
        )
    except TrainingDivergedError as error:
        lr = args.lr if args.lr is not None else DATASETS[args.dataset].lr
        fail(f"{error}; try a smaller --lr (this run used {lr:g})")
    try:
        path = write_playground(run, out)
        size = path.stat().st_size
    except OSError as error:
        fail(f"cannot write {out}: {error.strerror or error}")
    print(
        f"final loss {run.loss[-1]:.4f}, accuracy {run.accuracy[-1]:.0%}; "
        f"{run.seconds['training']:.1f} s training, {run.seconds['boundaries']:.1f} s for "
        f"{len(run.frames)} boundaries of {run.grid}×{run.grid} cells"
    )
    print(f"wrote {path} ({size / 1024:.0f} KB): open it in a browser, no network needed")
    return path


def fail(message: str, status: int = 1) -> NoReturn:
    """End the command with one line on stderr."""
    print(f"demos.playground: {message}", file=sys.stderr)
    raise SystemExit(status)


def run_command() -> int:
    """The command line: :func:`main`, plus a quiet end on Ctrl-C or a closed output pipe."""
    try:
        main()
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(run_command())
