"""The notebooks: each .ipynb is its .py twin without outputs, runs top to bottom in a fresh kernel,
shows what it should (SVG drawings, HTML players), and its players work in a browser."""

from __future__ import annotations

import html
import os
import time
from pathlib import Path
from typing import Any

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
CELL_TIMEOUT = 600  # seconds per cell: generous, for a loaded CI machine

# The MIME types each notebook must show: drawings as SVG, players as HTML, plots as PNG.
EXPECTED = {
    "01_backprop_from_the_graph": {"image/svg+xml", "text/html"},
    "02_from_a_neuron_to_an_mlp": {"image/svg+xml", "image/png", "text/html"},
    "03_lecture_notes": {"image/svg+xml"},
}


def need(module: str) -> Any:
    """Import a notebook tool from the test extra; in CI its absence fails, elsewhere it skips."""
    try:
        return __import__(module)
    except ImportError:
        why = f"{module} is missing: pip install -e '.[test]'"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)


def test_there_are_three_notebooks() -> None:
    assert NAMES == sorted(EXPECTED)


@pytest.mark.parametrize("name", NAMES)
def test_each_notebook_is_its_py_twin_without_outputs(name: str) -> None:
    """The .py (jupytext percent format) is the source; the .ipynb is the same cells, never outputs."""
    nbformat = need("nbformat")
    jupytext = need("jupytext")
    stored = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    source = jupytext.read(NOTEBOOKS / f"{name}.py")
    assert [(c.cell_type, c.source) for c in stored.cells] == [(c.cell_type, c.source) for c in source.cells], (
        f"{name}.ipynb is out of step with {name}.py: run `jupytext --sync notebooks/{name}.py`"
    )
    for cell in stored.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{name}.ipynb stores outputs: clear them (Edit → Clear Outputs of All Cells) and save"
            )
    assert stored.metadata.kernelspec.name == "python3"


_executed: dict[str, Any] = {}


def executed(name: str) -> Any:
    """The notebook run top to bottom in a fresh kernel (once per test session)."""
    if name not in _executed:
        nbformat = need("nbformat")
        nbclient = need("nbclient")
        need("ipykernel")
        notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        client = nbclient.NotebookClient(
            notebook,
            timeout=CELL_TIMEOUT,
            kernel_name="python3",  # jupyter_client starts it with this interpreter
            resources={"metadata": {"path": str(NOTEBOOKS)}},
        )
        start = time.perf_counter()
        client.execute()  # raises CellExecutionError, naming the cell, on the first error
        notebook.metadata["seconds"] = time.perf_counter() - start
        _executed[name] = notebook
    return _executed[name]


def outputs(notebook: Any) -> list[Any]:
    return [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_each_notebook_runs_and_shows_its_pictures(name: str) -> None:
    notebook = executed(name)
    shown = outputs(notebook)
    assert not [out for out in shown if out.output_type == "error"]
    assert not [out for out in shown if out.output_type == "stream" and out.name == "stderr"]
    mime = {kind for out in shown for kind in out.get("data", {})}
    assert EXPECTED[name] <= mime, f"{name} shows {sorted(mime)}"
    print(f"{name}: {notebook.metadata['seconds']:.1f} s")


@pytest.mark.slow
def test_the_lecture_notebook_catches_every_slip() -> None:
    text = "".join(out.text for out in outputs(executed("03_lecture_notes")) if out.output_type == "stream")
    assert "DISAGREES" not in text
    lines = text.splitlines()
    for slip in ("(a)", "(b)", "(c)", "(d)", "(e)"):
        caught = [line for line in lines if line.strip().startswith(slip) and "slide WRONG, corrected agrees" in line]
        assert caught, f"slip {slip} is not shown disagreeing with the graph"
    assert "slide formulas disagree with the graph,\nas the notes' slips predict." in text


def page_of_outputs(notebook: Any) -> str:
    """The notebook's rich outputs in order, on one page, as a notebook front end shows them."""
    parts = ['<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>']
    for out in outputs(notebook):
        data = out.get("data", {})
        if "text/html" in data:
            parts.append(f'<div class="output">{data["text/html"]}</div>')
        elif "image/svg+xml" in data:
            parts.append(f'<div class="output">{data["image/svg+xml"]}</div>')
        elif out.output_type == "stream":
            parts.append(f"<pre>{html.escape(out.text)}</pre>")
    parts.append("</body></html>")
    return "\n".join(parts)


@pytest.mark.slow
def test_the_players_in_the_executed_notebook_work_in_a_browser(browser: Any, tmp_path: Path) -> None:
    notebook = executed("01_backprop_from_the_graph")
    page_path = tmp_path / "notebook-outputs.html"
    page_path.write_text(page_of_outputs(notebook), encoding="utf-8")

    page = browser.new_page(viewport={"width": 1100, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_path.as_uri())
    page.wait_for_load_state("load")

    frames = page.locator("iframe")
    assert frames.count() >= 3  # player(L), player(y), the quiz: all on one page
    first, second = page.frame_locator("iframe").nth(0), page.frame_locator("iframe").nth(1)

    def counter(player: Any) -> str:
        text: str = player.locator(".cr-counter").inner_text()
        return text

    def equation(player: Any) -> str:
        text: str = player.locator(".cr-equation").inner_text()
        return text

    assert counter(first) == "step 0 of 5"
    assert counter(second) == "step 0 of 4"  # y = x*x + x: y→x², y→x and x²→x twice
    seed = equation(first)

    first.locator(".cr-next").click()
    first.locator(".cr-next").click()
    assert counter(first) == "step 2 of 5"
    assert equation(first) != seed
    after_two = equation(first)
    first.locator(".cr-prev").click()
    assert counter(first) == "step 1 of 5"
    assert equation(first) not in (seed, after_two)
    assert counter(second) == "step 0 of 4"  # the other player did not move

    second.locator(".cr-next").click()
    assert counter(second) == "step 1 of 4"
    assert counter(first) == "step 1 of 5"

    # Keyboard: arrows step the player that has the focus.
    second.locator(".cr-viewport").focus()
    page.keyboard.press("ArrowRight")
    assert counter(second) == "step 2 of 4"
    assert counter(first) == "step 1 of 5"

    assert errors == []
    page.close()
