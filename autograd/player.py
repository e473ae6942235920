"""The backprop player: one self-contained HTML page that steps through a backward pass.

The graph is drawn once, as SVG. Each frame is only what changes: which node, op and edge
to highlight, the gradients to write into the records, and the chain-rule step in words
(:mod:`autograd.narrate`). A little plain JavaScript switches frames (Prev / Next / Play,
← →, a slider), pans (drag, scroll) and zooms (+ −, fit to width, 1:1). No network, no CDN:
it opens from disk and works offline.

``quiz=True`` asks before revealing each step: the learner types the contribution (or the
parent's new gradient), and the player marks it and keeps score. An answer worked from the
rounded numbers on the graph counts, as far as their rounding allows (``1 - 0.9993²`` for
tanh's local derivative when the graph shows L = 0.9993; :func:`autograd.narrate.marking`),
a wrong sign never does, and a wrong answer gets one more try, with what slipped named (the
sign, the upstream forgotten, a factor of 2) before the step is shown.

In Jupyter or VS Code, ``autograd.player(root)`` shows the player inline, in an iframe of
its own, so any number of players work on one page.
"""

from __future__ import annotations

import html
import itertools
import json
import math
import re
from pathlib import Path
from typing import Any

from autograd.checks import flag, whole_number
from autograd.dot import GraphTooLargeError
from autograd.graph import backward_steps
from autograd.narrate import (
    MAX_DIGITS,
    Namer,
    describe,
    earlier_passes_note,
    marking,
    require_value,
    value_of,
)
from autograd.numbers import DIGITS, format_number
from autograd.value import Value

MAX_STEPS = 1000
MAX_NODES = 500
TITLE = "Backpropagation, step by step"
QUIZ_TITLE = "Backpropagation quiz"
_SVG_PREAMBLE = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->\n?", re.DOTALL)


class Player:
    """The player for ``root``'s backward pass; ``save(path)`` writes it, Jupyter shows it inline.

    Building a player runs the backward pass step by step and then puts every ``.grad``
    back as it was, so it changes nothing in the graph. It starts from the state
    ``backward()`` would start from: a leaf that already holds gradient from an earlier
    pass keeps it (and the page says so); every other node starts at 0.

    Args:
        root: the output node.
        quiz: ask the learner for each contribution before revealing it.
        digits: significant digits for the numbers shown.
        title: the page's heading.
        height: the inline frame's height in pixels (in notebooks); by default enough for
            the graph at a legible size, between 420 and 860.

    Raises:
        TypeError: ``root`` is not a Value, or an option has the wrong type.
        ValueError: ``digits`` is not from 1 to 17, or ``height`` is not positive.
        GraphTooLargeError: more than :data:`MAX_NODES` nodes or :data:`MAX_STEPS` steps
            (a ``ValueError``).
    """

    def __init__(
        self,
        root: Value,
        *,
        quiz: bool = False,
        digits: int = DIGITS,
        title: str | None = None,
        height: int | None = None,
    ) -> None:
        self.root = require_value(root, "player()")
        self.quiz = flag("quiz", quiz)
        self.digits = _digits(digits)
        if title is not None and not isinstance(title, str):
            raise TypeError(f"title must be text (a str) or None, got {type(title).__name__}: {title!r}")
        chosen = None if height is None else whole_number("height", height)
        self.title = title or (QUIZ_TITLE if quiz else TITLE)
        self.data = player_data(root, quiz=quiz, digits=digits)
        self.height = chosen if chosen is not None else _inline_height(self.data["svg"])

    def html(self) -> str:
        """The whole page, self-contained."""
        data = json.dumps(self.data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        data = data.replace("</", "<\\/")  # nothing in the data can close the script element
        return (
            TEMPLATE.replace("{{TITLE}}", html.escape(self.title))
            .replace("{{QUIZ}}", "quiz" if self.quiz else "")
            .replace("{{DATA}}", data)
            .replace("{{SCRIPT}}", SCRIPT)
        )

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` and return the path."""
        path = Path(path)
        path.write_text(self.html(), encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        """An iframe holding the page: its scripts and ids cannot meet another player's."""
        return (
            f'<iframe srcdoc="{html.escape(self.html(), quote=True)}" title="{html.escape(self.title)}" '
            f'sandbox="allow-scripts" style="width: 100%; height: {self.height}px; border: 1px solid #ccc;">'
            "</iframe>"
        )

    def __repr__(self) -> str:
        kind = "quiz" if self.quiz else "player"
        return f"<Player ({kind}): {len(self.data['steps'])} chain-rule steps; .save(path), or display it in Jupyter>"


def player(root: Value, quiz: bool = False, **options: Any) -> Player:
    """The step-by-step player for ``root``'s backward pass, shown inline in Jupyter.

    Args:
        root: the output node.
        quiz: before each step is revealed, ask for the contribution ``local × upstream``.
        **options: ``digits``, ``title``, ``height`` (see :class:`Player`).

    Example:
        >>> from autograd import Value
        >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
        >>> p = player((a * b).tanh())
        >>> len(p.data["steps"])
        3
    """
    return Player(root, quiz=quiz, **options)


def write_player(
    root: Value, path: str | Path, title: str | None = None, quiz: bool = False, digits: int = DIGITS
) -> Path:
    """Write the player for ``root``'s graph to ``path`` and return the path.

    Raises what :class:`Player` raises, and ``OSError`` when the file cannot be written.
    """
    return Player(root, quiz=quiz, title=title, digits=digits).save(path)


def _digits(digits: object) -> int:
    """``digits`` checked: a whole number from 1 to 17 (17 digits round-trip any float)."""
    return whole_number("digits", digits, 1, MAX_DIGITS)


def _inline_height(svg: str) -> int:
    """Pixels for the inline frame: the page's header plus the graph at the legible scale (0.7)."""
    found = re.search(r'<svg[^>]*\sheight="([\d.]+)pt"', svg)
    graph = float(found.group(1)) * 4 / 3 * 0.7 if found else 400.0
    return int(min(860, max(420, 300 + graph)))


def _number(x: float) -> float | str:
    """A float for JSON: non-finite numbers as the strings JavaScript's ``Number()`` reads."""
    if math.isfinite(x):
        return x
    return "NaN" if math.isnan(x) else ("Infinity" if x > 0 else "-Infinity")


def player_data(root: Value, quiz: bool = False, digits: int = DIGITS) -> dict[str, Any]:
    """Everything the page needs: the SVG once, the starting gradients, and one entry per step."""
    name = Namer(require_value(root, "player()"), _digits(digits))
    quiz = flag("quiz", quiz)
    if len(name.order) > MAX_NODES:
        raise GraphTooLargeError(
            f"the graph has {len(name.order)} nodes; the player steps through graphs of up to {MAX_NODES}"
            " (draw() shows bigger ones)"
        )
    note = earlier_passes_note(root, name)
    saved = [node.grad for node in name.order]
    try:
        start = {
            name.ids[node]: format_number(node.grad if not node.parents else 0.0, digits)
            for node in name.order
            if node.requires_grad
        }
        start[name.ids[root]] = format_number((root.grad if not root.parents else 0.0) + 1.0, digits)
        steps: list[dict[str, Any]] = []
        for step in itertools.islice(backward_steps(root), MAX_STEPS + 1):
            if len(steps) == MAX_STEPS:
                raise GraphTooLargeError(
                    f"the backward pass has more than {MAX_STEPS} chain-rule steps; the player shows up to {MAX_STEPS}"
                )
            told = describe(step, name)
            child, parent = name.ids[value_of(step.node)], name.ids[value_of(step.parent)]
            same = sum(1 for p in step.node.parents[: step.edge] if p is step.parent)
            frame: dict[str, Any] = {
                "node": child,
                "parent": parent,
                "edge": [[f"{parent}->{child}_op", f"{parent}->{child}"], same],
                "eq": told.equation(),
                "ask": told.question(),
                "total": told.total(),
                "grad": format_number(step.after, digits),
                "c": _number(step.contribution),
                "after": _number(step.after),
                "explain": told.explain(),
                "parent_symbol": told.parent_symbol,
            }
            if quiz:
                # The drawing shows its numbers to DIGITS significant digits: answers worked
                # from them count, as far as their rounding allows (narrate.marking).
                marks = marking(step, told, name, digits, DIGITS)
                more = f"; to more digits, {marks.more}" if marks.more else ""
                frame.update(
                    contribution=told.contribution,
                    hint=f"{told.local_symbol} · {told.upstream_symbol} ({told.node} is "
                    f"{name.how(value_of(step.node))}{more}; {told.upstream_symbol} = {told.upstream})",
                    **marks.data(),
                )
            steps.append(frame)
        svg = _svg(root, quiz)
    finally:
        for node, grad in zip(name.order, saved):
            node.grad = grad
    out, shown = name.output(), name.drawn(root)
    return {
        "svg": svg,
        "quiz": quiz,
        "digits": digits,
        "grads": start,
        "root": name.ids[root],
        "intro": name.introduce(),
        "seed": f"Seed: ∂{out}/∂{out} = 1 at the output {out}" + ("" if shown == out else f" = {shown}"),
        "note": note,
        "steps": steps,
    }


def _svg(root: Value, quiz: bool) -> str:
    """The graph, drawn once with the final gradients (the widest the records need)."""
    from autograd.dot import to_dot
    from autograd.drawing import Drawing  # deferred: drawing needs the renderer

    # In a quiz the edges do not give away the local derivatives. The page says itself when
    # leaves hold earlier gradient, so the picture need not.
    source = to_dot(root, edge_labels=False if quiz else "local", note=False)
    return _SVG_PREAMBLE.sub("", Drawing(source).svg()).strip()


TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}}</title>
<style>
  html, body { margin: 0; height: 100%; }
  body { font-family: Helvetica, Arial, sans-serif; color: #222; background: #fff; }
  .cr-player { box-sizing: border-box; height: 100%; min-height: 420px; display: flex;
    flex-direction: column; gap: .35em; padding: .6em .9em; }
  /* Text rows keep their height in a short frame (a notebook's 420 px, a phone): only the
     graph shrinks, down to its minimum; below that the page scrolls. */
  .cr-player > * { flex-shrink: 0; }
  .cr-player h1 { font-size: 1.3em; margin: .1em 0; }
  .cr-help { margin: 0; color: #555; font-size: .92em; line-height: 1.6; }
  .cr-help summary { cursor: pointer; }
  .cr-help[open] summary { display: none; }
  .cr-help-text { margin: 0; }
  .cr-note { margin: 0; padding: .3em .6em; background: #fff4ce; border-left: 4px solid #e0a800; }
  .cr-note:empty, .cr-intro:empty { display: none; }
  .cr-intro { margin: 0; font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; }
  .cr-controls { display: flex; flex-wrap: wrap; gap: .4em; align-items: center; }
  .cr-controls button { font-size: .95em; padding: .25em .7em; }
  .cr-slider { flex: 1 1 8em; max-width: 24em; }
  .cr-zoom { margin-left: auto; display: flex; gap: .25em; align-items: center; }
  .cr-zoom button { padding: .2em .5em; }
  .cr-equation { font-size: 1.15em; font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace;
    min-height: 1.4em; overflow-wrap: anywhere; }
  .cr-total { color: #555; font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; min-height: 1.3em;
    overflow-wrap: anywhere; }
  .cr-quiz { display: none; flex-wrap: wrap; gap: .5em; align-items: center; }
  .quiz .cr-quiz.active { display: flex; }
  .cr-answer { font-size: 1.1em; width: 12em; font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; }
  .cr-verdict.right { color: #1a7f37; font-weight: bold; }
  .cr-verdict.wrong { color: #b42318; }
  .cr-score { font-weight: bold; }
  .cr-player > .cr-viewport { flex: 0 1 auto; min-height: 160px; overflow: auto; border: 1px solid #ddd;
    background: #fff; cursor: grab; touch-action: pan-x pan-y; }
  .cr-viewport.dragging { cursor: grabbing; user-select: none; }
  .cr-viewport svg { display: block; }
  .cr-viewport .lit polygon, .cr-viewport .lit ellipse, .cr-viewport .lit path,
  .cr-viewport .lit polyline { stroke: #d62728; stroke-width: 2.5px; }
  .cr-viewport g.edge.lit polygon { fill: #d62728; }
  .cr-viewport text.fresh { fill: #d62728; font-weight: bold; }
  kbd { border: 1px solid #bbb; border-radius: 3px; padding: 0 .3em; font-size: max(13px, 1em);
    font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; }
  @media (max-width: 480px) { .cr-player h1 { font-size: 1.1em; } .cr-equation { font-size: 1em; } }
</style>
</head>
<body>
<div class="cr-player {{QUIZ}}">
<h1>{{TITLE}}</h1>
<details class="cr-help" open><summary>How it works</summary><p class="cr-help-text">Each step applies the
chain rule along one edge: the parent's gradient grows by the edge's local derivative times the gradient
arriving from above. Keys: <kbd>&larr;</kbd> <kbd>&rarr;</kbd>, <kbd>+</kbd> <kbd>&minus;</kbd> to zoom;
drag the graph to pan.</p></details>
<p class="cr-intro"></p>
<p class="cr-note" role="note"></p>
<div class="cr-controls">
  <button class="cr-prev" type="button">&larr; Prev</button>
  <button class="cr-play" type="button">Play</button>
  <button class="cr-next" type="button">Next &rarr;</button>
  <input class="cr-slider" type="range" min="0" value="0" aria-label="step">
  <span class="cr-counter"></span>
  <span class="cr-score" aria-live="polite"></span>
  <span class="cr-zoom">
    <button class="cr-out" type="button" title="zoom out (-)">&minus;</button>
    <button class="cr-in" type="button" title="zoom in (+)">+</button>
    <button class="cr-fit" type="button" title="fit to width (f)">Fit width</button>
    <button class="cr-one" type="button" title="actual size (1)">1:1</button>
    <span class="cr-scale"></span>
  </span>
</div>
<div class="cr-equation" aria-live="polite"></div>
<div class="cr-total"></div>
<div class="cr-quiz">
  <label>Your answer: <input class="cr-answer" type="text" inputmode="decimal" autocomplete="off"
    spellcheck="false" aria-label="your answer"></label>
  <span class="cr-verdict" aria-live="polite"></span>
</div>
<div class="cr-viewport" tabindex="0" aria-label="the computation graph"></div>
<script type="application/json" class="cr-data">{{DATA}}</script>
<script>{{SCRIPT}}</script>
</div>
</body>
</html>
"""

SCRIPT = r"""
(function () {
"use strict";
const root = document.currentScript.closest(".cr-player");
const data = JSON.parse(root.querySelector(".cr-data").textContent);
const $ = (name) => root.querySelector(".cr-" + name);
const steps = data.steps;
const last = steps.length;
const quiz = data.quiz;
const view = $("viewport");
view.innerHTML = data.svg;
const svg = view.querySelector("svg");

// --- find the drawing's nodes, edges and gradient fields ---
const nodes = {}, slots = {}, edges = {};
for (const g of svg.querySelectorAll("g.node")) {
  const id = g.querySelector("title").textContent.trim();
  nodes[id] = g;
  for (const t of g.querySelectorAll("text")) {
    const m = /^(\s*grad\s*[=:]?\s*)/.exec(t.textContent);
    if (m) { slots[id] = { text: t, prefix: m[1] }; }
  }
}
const edgeNumber = (g) => Number((g.id || "").replace(/\D/g, "")) || 0;
for (const g of svg.querySelectorAll("g.edge")) {
  const id = g.querySelector("title").textContent.trim();
  (edges[id] = edges[id] || []).push(g);
}
for (const id in edges) { edges[id].sort((a, b) => edgeNumber(a) - edgeNumber(b)); }

// gradients after each step: grads[i] is the state once steps 1..i are done
const grads = [Object.assign({}, data.grads)];
for (const s of steps) {
  const next = Object.assign({}, grads[grads.length - 1]);
  next[s.parent] = s.grad;
  grads.push(next);
}

// In a short or narrow frame (a notebook's 420 px, a phone) the help folds into one line.
if (window.innerHeight < 560 || window.innerWidth < 520) { $("help").open = false; }

// --- state ---
let current = 0, timer = null;
const revealed = steps.map(() => !quiz);
const verdicts = steps.map(() => null);
const slider = $("slider");
slider.max = String(last);
$("intro").textContent = data.intro;
$("note").textContent = data.note;
const tries = steps.map(() => null);  // the first wrong answer of a step still open: one more try
if (quiz) {
  $("play").hidden = true;
  $("help-text").innerHTML = "Before each step is shown, type its contribution local \u00d7 upstream (a number, " +
    "or arithmetic such as -3*0.25 or 1 - 0.9993^2) and press Enter; Enter again moves on. " +
    "3 significant digits are enough, and an answer worked from the rounded numbers on the graph counts, " +
    "as far as their rounding allows. " +
    "A wrong answer gets one more try. Keys: <kbd>\u2190</kbd> <kbd>\u2192</kbd> move between steps, " +
    "<kbd>+</kbd> <kbd>\u2212</kbd> zoom; drag the graph to pan.";
}

function stepAt(i) { return i > 0 ? steps[i - 1] : null; }
function isOpen(i) { return i > 0 && !revealed[i - 1]; }

function paint(i) {
  const s = stepAt(i);
  const state = isOpen(i) ? grads[i - 1] : grads[i];
  for (const id in slots) {
    const slot = slots[id];
    if (!(id in state)) { continue; }  // a constant: no gradient
    slot.text.textContent = slot.prefix + state[id];
    slot.text.classList.toggle("fresh", !!s && !isOpen(i) && id === s.parent);
  }
  for (const g of svg.querySelectorAll(".lit")) { g.classList.remove("lit"); }
  const lit = [];
  if (s) {
    for (const id of [s.node, s.node + "_op"]) { if (nodes[id]) { lit.push(nodes[id]); } }
    const [titles, k] = s.edge;
    for (const t of titles) { if (edges[t] && edges[t][k]) { lit.push(edges[t][k]); break; } }
    if (nodes[s.parent]) { lit.push(nodes[s.parent]); }  // last: reveal() falls back to it
  } else if (nodes[data.root]) {
    lit.push(nodes[data.root]);
  }
  for (const g of lit) { g.classList.add("lit"); }
  view.dataset.node = s ? s.node : data.root;
  view.dataset.parent = s ? s.parent : "";
  return lit;
}

function words(i) {
  const s = stepAt(i);
  const answer = $("answer"), verdict = $("verdict");
  $("quiz").classList.toggle("active", quiz && i > 0);
  if (!s) {
    $("equation").textContent = data.seed;
    $("total").textContent = quiz ? "Press \u2192 or Enter for the first step." : "";
    return;
  }
  if (isOpen(i)) {
    $("equation").textContent = s.ask + " ?";
    $("total").textContent = "Type the contribution " + s.hint + " (or the new " + s.parent_symbol +
      "), then Enter.";
    const tried = tries[i - 1];
    answer.readOnly = false;
    answer.value = tried ? tried.answer : "";
    verdict.textContent = tried ? tried.text : "";
    verdict.className = "cr-verdict" + (tried ? " wrong" : "");
  } else {
    $("equation").textContent = s.eq;
    $("total").textContent = s.total;
    const v = verdicts[i - 1];
    answer.readOnly = true;
    answer.value = v ? v.answer : "";
    verdict.textContent = v ? v.text : "";
    verdict.className = "cr-verdict" + (v ? " " + v.kind : "");
  }
}

function score() {
  if (!quiz) { return; }
  const asked = verdicts.filter((v) => v !== null);
  const right = asked.filter((v) => v.kind === "right").length;
  $("score").textContent = "Score " + right + " / " + asked.length;
}

let shownLit = [];
function show(i) {
  current = Math.max(0, Math.min(last, i));
  const lit = paint(current);
  shownLit = lit;
  words(current);
  score();
  $("counter").textContent = "step " + current + " of " + last;
  slider.value = String(current);
  if (current === last) { stop(); }
  reveal(lit);
  if (quiz && isOpen(current)) { $("answer").focus({ preventScroll: true }); }
}

function forward() {
  if (isOpen(current)) { judge(""); return; }
  show(current + 1);
}

// --- quiz ---
function read(text) {
  // numbers and + - * / ( ) and powers (^ or **, exponent at most 10), also × · − ² ³; never eval.
  // The same answers as narrate.read_answer, with the same precedence (-2^2 is -4).
  const src = text.replace(/[\u00d7\u00b7]/g, "*").replace(/\u2212/g, "-").replace(/\u00b2/g, "^2")
    .replace(/\u00b3/g, "^3").replace(/\*\*/g, "^").replace(/\s+/g, "");
  let at = 0;
  const fail = () => { throw new Error("not a number"); };
  function number() {
    const m = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(at));
    if (!m) { fail(); }
    at += m[0].length;
    return Number(m[0]);
  }
  function atom() {
    if (src[at] === "(") { at++; const v = sum(); if (src[at] !== ")") { fail(); } at++; return v; }
    return number();
  }
  function power() {
    const base = atom();
    if (src[at] !== "^") { return base; }
    at++;
    const exponent = unary();
    if (Math.abs(exponent) > 10) { fail(); }
    const v = Math.pow(base, exponent);
    if (Number.isNaN(v)) { fail(); }
    return v;
  }
  function unary() {
    if (src[at] === "-") { at++; return -unary(); }
    if (src[at] === "+") { at++; return unary(); }
    return power();
  }
  function product() {
    let v = unary();
    while (src[at] === "*" || src[at] === "/") {
      const op = src[at++], w = unary();
      v = op === "*" ? v * w : v / w;
    }
    return v;
  }
  function sum() {
    let v = product();
    while (src[at] === "+" || src[at] === "-") {
      const op = src[at++], w = product();
      v = op === "+" ? v + w : v - w;
    }
    return v;
  }
  if (!src) { fail(); }
  const v = sum();
  if (at !== src.length) { fail(); }
  return v;
}

function close(answer, truth) {
  if (Number.isNaN(truth)) { return Number.isNaN(answer); }
  if (!Number.isFinite(truth)) { return answer === truth; }
  if (truth === 0) { return answer === 0; }
  const tol = Math.pow(10, Math.floor(Math.log10(Math.abs(truth))) - (data.digits - 2));
  return Math.abs(answer - truth) <= tol * (1 + 1e-9);
}

function within(x, range) { return !!range && x >= range[0] && x <= range[1]; }

function mark(value, s) {
  // As narrate.Marking.mark: right to 3 digits, or as near as the graph's rounded numbers
  // allow (s.accept, worked out in Python); else, when it can be told, what slipped.
  if (close(value, Number(s.c))) { return ["right", ""]; }
  if (within(value, s.accept[0])) { return ["rounded", ""]; }
  if (close(value, Number(s.after))) { return ["after", ""]; }
  if (within(value, s.accept[1])) { return ["after rounded", ""]; }
  const slip = s.slips.find((x) => value >= x[0] && value <= x[1]);
  return ["wrong", slip ? slip[2] : ""];
}

function judge(text) {
  const s = stepAt(current), i = current - 1;
  let verdict;
  if (text.trim() === "") {
    verdict = { kind: "shown", answer: "", text: "Shown without an answer: " + s.explain };
  } else {
    let value;
    try { value = read(text); } catch (e) {
      $("verdict").textContent = "Type a number, or arithmetic such as -3 * 0.25 or 1 - 0.9993^2.";
      $("verdict").className = "cr-verdict wrong";
      return;
    }
    const [kind, slip] = mark(value, s);
    const right = "\u2713 Right" + (tries[i] ? " on the second try" : "");
    const rounded = ", as near as the rounded numbers on the graph allow (to more digits, " + s.contribution + ")";
    if (kind === "right") {
      verdict = { kind: "right", answer: text, text: right + ": " + s.explain };
    } else if (kind === "rounded") {
      verdict = { kind: "right", answer: text, text: right + rounded + ": " + s.explain };
    } else if (kind === "after" || kind === "after rounded") {
      const what = right + ", that is the new " + s.parent_symbol + (kind === "after" ? "" : rounded) + ": ";
      verdict = { kind: "right", answer: text, text: what + s.explain };
    } else if (!tries[i]) {
      tries[i] = { answer: text, text: "\u2717 Not yet" + (slip ? ": " + slip : "") +
        ". One more try (Enter on an empty answer shows it)." };
      $("verdict").textContent = tries[i].text;
      $("verdict").className = "cr-verdict wrong";
      $("answer").select();
      return;
    } else {
      const why = slip ? " (" + slip + ")" : "";
      verdict = { kind: "wrong", answer: text, text: "\u2717 Not quite" + why + ". The contribution is " + s.explain };
    }
  }
  verdicts[i] = verdict;
  revealed[i] = true;
  show(current);
}

// --- pan and zoom ---
const natural = (attr) => {
  const m = /([\d.]+)\s*(pt|px)?/.exec(svg.getAttribute(attr) || "0");
  return m ? Number(m[1]) * (m[2] === "pt" ? 4 / 3 : 1) : 0;
};
const width = natural("width") || 800, height = natural("height") || 400;
svg.removeAttribute("width");
svg.removeAttribute("height");
const LEGIBLE = 0.7;  // node text at 12pt is over 11px on screen at this scale
let scale = 1;
function fitScale() { return Math.max(0.05, (view.clientWidth - 4) / width); }
function zoom(s) {
  const cx = (view.scrollLeft + view.clientWidth / 2) / scale, cy = (view.scrollTop + view.clientHeight / 2) / scale;
  scale = Math.max(0.05, Math.min(4, s));
  svg.style.width = (width * scale) + "px";
  svg.style.height = (height * scale) + "px";
  view.scrollLeft = cx * scale - view.clientWidth / 2;
  view.scrollTop = cy * scale - view.clientHeight / 2;
  $("scale").textContent = Math.round(scale * 100) + "%";
}
function reveal(lit) {
  // Scroll the highlighted step into view; when it is wider than the view, the parent
  // (whose gradient just changed) wins.
  if (!lit.length) { return; }
  const v = view.getBoundingClientRect();
  const box = (gs) => {
    const b = { left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity };
    for (const g of gs) {
      const r = g.getBoundingClientRect();
      b.left = Math.min(b.left, r.left); b.top = Math.min(b.top, r.top);
      b.right = Math.max(b.right, r.right); b.bottom = Math.max(b.bottom, r.bottom);
    }
    return b;
  };
  let b = box(lit);
  if (b.right - b.left > v.width || b.bottom - b.top > v.height) { b = box(lit.slice(-1)); }
  if (b.left < v.left || b.right > v.right) { view.scrollLeft += (b.left + b.right) / 2 - (v.left + v.right) / 2; }
  if (b.top < v.top || b.bottom > v.bottom) { view.scrollTop += (b.top + b.bottom) / 2 - (v.top + v.bottom) / 2; }
}
// A zoom by button or key keeps the lit step in view (1:1 used to leave it off-screen).
function zoomTo(s) { zoom(s); reveal(shownLit); }
$("in").addEventListener("click", () => zoomTo(scale * 1.25));
$("out").addEventListener("click", () => zoomTo(scale / 1.25));
$("fit").addEventListener("click", () => zoomTo(fitScale()));
$("one").addEventListener("click", () => zoomTo(1));
view.addEventListener("wheel", (event) => {
  if (!event.ctrlKey) { return; }  // plain wheel scrolls; ctrl + wheel (and pinch) zooms
  event.preventDefault();
  zoom(scale * (event.deltaY < 0 ? 1.1 : 1 / 1.1));
}, { passive: false });
let drag = null;
view.addEventListener("pointerdown", (event) => {
  if (event.button !== 0 || event.pointerType === "touch") { return; }
  drag = { x: event.clientX, y: event.clientY, left: view.scrollLeft, top: view.scrollTop };
  view.classList.add("dragging");
});
window.addEventListener("pointermove", (event) => {
  if (!drag) { return; }
  view.scrollLeft = drag.left - (event.clientX - drag.x);
  view.scrollTop = drag.top - (event.clientY - drag.y);
});
window.addEventListener("pointerup", () => { drag = null; view.classList.remove("dragging"); });

// --- controls ---
function stop() {
  if (timer !== null) { clearInterval(timer); timer = null; }
  $("play").textContent = "Play";
}
function play() {
  if (timer !== null) { stop(); return; }
  if (current === last) { show(0); }
  $("play").textContent = "Pause";
  timer = setInterval(() => show(current + 1), 1200);
}
$("prev").addEventListener("click", () => { stop(); show(current - 1); });
$("next").addEventListener("click", () => { stop(); forward(); });
$("play").addEventListener("click", play);
slider.addEventListener("input", () => { stop(); show(Number(slider.value)); });
$("answer").addEventListener("keydown", (event) => {
  if (event.key === "Enter") {
    event.preventDefault();
    event.stopPropagation();
    if (isOpen(current)) { judge($("answer").value); } else { show(current + 1); }
  } else if ((event.key === "ArrowRight" || event.key === "ArrowLeft") && isOpen(current) && $("answer").value) {
    event.stopPropagation();  // the arrows move the caret while an answer is being typed
  }
});
document.addEventListener("keydown", (event) => {
  // With several players pasted into one page, keys belong to the one that has the focus.
  const mine = root.contains(event.target) ||
    (event.target === document.body && document.querySelector(".cr-player") === root);
  if (!mine || event.altKey || event.metaKey || event.ctrlKey) { return; }
  if (event.target === slider && event.key.startsWith("Arrow")) { return; }  // the slider moves itself
  const typing = event.target === $("answer");
  if (event.key === "ArrowRight") { stop(); forward(); event.preventDefault(); }
  else if (event.key === "ArrowLeft") { stop(); show(current - 1); event.preventDefault(); }
  else if (typing) { return; }
  else if (event.key === "Enter" && event.target.tagName !== "BUTTON") { stop(); forward(); }
  else if (event.key === "+" || event.key === "=") { zoomTo(scale * 1.25); }
  else if (event.key === "-") { zoomTo(scale / 1.25); }
  else if (event.key === "f") { zoomTo(fitScale()); }
  else if (event.key === "1") { zoomTo(1); }
});
zoom(Math.min(1, Math.max(LEGIBLE, fitScale())));
show(0);
})();
"""
