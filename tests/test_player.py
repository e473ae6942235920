"""The HTML player: one drawing shared by every frame, legible at any size, inline in notebooks."""

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_stepping import assert_products_add_up

from autograd import Value, backward_steps
from autograd.expression import build
from autograd.narrate import Namer, equation
from autograd.player import MAX_NODES, Player, player, write_player
from demos.examples import readme_example
from demos.step import tiny_model_loss

ROOT = Path(__file__).resolve().parent.parent


def tanh_chain(depth: int = 60) -> Value:
    x = Value(0.5, label="x")
    y = x
    for _ in range(depth):
        y = y.tanh()
    return y


def svg_titles(svg: str, kind: str) -> list[str]:
    groups = re.findall(rf'<g id="[^"]*" class="{kind}">\s*<title>(.*?)</title>', svg)
    return [html.unescape(t) for t in groups]


# --- page size and structure ----------------------------------------------------------------


def test_the_graph_is_drawn_once_and_frames_only_say_what_changes():
    page = Player(tanh_chain(60)).html()
    assert page.count("<svg") == 1
    # Was 6 MB (8 MB in the issue) when every frame carried its own SVG.
    assert len(page.encode()) < 300_000, len(page.encode())
    assert len(Player(readme_example()).html().encode()) < 60_000


def test_every_frame_points_at_nodes_and_edges_that_are_in_the_drawing():
    for root in (readme_example(), tiny_model_loss(), build("(y - t)**2", {"y": 0.3, "t": 1.0})[0]):
        data = Player(root).data
        nodes, edges = set(svg_titles(data["svg"], "node")), svg_titles(data["svg"], "edge")
        assert data["root"] in nodes
        assert set(data["grads"]) <= nodes
        for step in data["steps"]:
            assert {step["node"], step["node"] + "_op", step["parent"]} <= nodes
            (title, _), k = step["edge"]
            assert edges.count(title) > k, title


def test_the_page_is_self_contained():
    page = Player(readme_example()).html()
    assert "http" not in page.replace("http://www.w3.org", "")
    assert "<script src" not in page and "<link" not in page


def test_player_object_saves_and_shows_inline_in_its_own_frame(tmp_path):
    p = player(readme_example())
    assert p.save(tmp_path / "p.html").read_text(encoding="utf-8") == p.html()
    inline = p._repr_html_()
    assert inline.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in inline
    assert html.unescape(re.search(r'srcdoc="([^"]*)"', inline).group(1)) == p.html()
    assert "5 chain-rule steps" in repr(p)
    assert write_player(readme_example(), tmp_path / "w.html").exists()


def test_a_graph_too_big_to_step_is_refused_with_a_reason():
    with pytest.raises(ValueError, match=f"up to {MAX_NODES}"):
        Player(tanh_chain(MAX_NODES + 1))


def test_the_players_equations_are_the_steppers():
    root = readme_example()
    data = Player(root).data
    name = Namer(root)
    steps = list(backward_steps(root))
    assert [f["eq"] for f in data["steps"]] == [equation(s, name) for s in steps]
    assert data["seed"] == "Seed: ∂L/∂L = 1 at the output L"


# --- in a real browser ----------------------------------------------------------------------


def run_step(*args):
    return subprocess.run(
        [sys.executable, "-m", "demos.step", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def open_page(browser, path, width=1280, height=720):
    page = browser.new_page(viewport={"width": width, "height": height})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(Path(path).as_uri())
    return page, errors


LIT = "els => els.filter(g => g.classList.contains('lit')).map(g => g.querySelector('title').textContent)"


@pytest.mark.slow
def test_html_player_in_a_real_browser(browser, tmp_path):
    page_file = tmp_path / "backprop.html"
    result = run_step("tanh(a*b + c)", "a=2", "b=-3", "c=10", "--html", str(page_file))
    assert result.returncode == 0, result.stderr
    data = Player(build("tanh(a*b + c)", {"a": 2.0, "b": -3.0, "c": 10.0})[0]).data
    steps = data["steps"]
    page, errors = open_page(browser, page_file)

    def lit():
        return set(page.eval_on_selector_all(".cr-viewport g.node", LIT))

    def grad_texts():
        return page.eval_on_selector_all(".cr-viewport text", "ts => ts.map(t => t.textContent)")

    assert page.inner_text(".cr-equation").startswith("Seed")
    shown = []
    for n in (1, 2, 3, 4):
        page.click(".cr-next")
        step = steps[n - 1]
        assert page.inner_text(".cr-equation") == step["eq"]
        shown.append(page.inner_text(".cr-equation"))
        assert {step["node"], step["parent"]} <= lit()
        assert page.get_attribute(".cr-viewport", "data-node") == step["node"]
    assert "grad -0.004023" in grad_texts()  # a's gradient, filled in at step 4
    assert len(page.eval_on_selector_all(".cr-viewport g.edge.lit", "es => es")) == 1
    page.click(".cr-prev")
    assert page.inner_text(".cr-equation") == steps[2]["eq"]
    assert "grad -0.004023" not in grad_texts()
    page.keyboard.press("ArrowRight")
    assert page.inner_text(".cr-equation") == steps[3]["eq"]
    page.fill(".cr-slider", "1")
    page.dispatch_event(".cr-slider", "input")
    assert page.inner_text(".cr-equation") == steps[0]["eq"]
    page.click(".cr-play")
    page.wait_for_function("document.querySelector('.cr-counter').textContent === 'step 5 of 5'", timeout=20_000)
    shown.append(page.inner_text(".cr-equation"))
    assert shown[-1] == steps[4]["eq"]
    assert_products_add_up("\n".join(shown), 5)  # what the page shows multiplies out
    assert errors == []


@pytest.mark.slow
def test_the_model_player_is_legible_and_follows_the_step(browser, tmp_path):
    path = write_player(tiny_model_loss(), tmp_path / "model.html")
    for width, height in ((1280, 720), (390, 844)):
        page, errors = open_page(browser, path, width, height)
        sizes = page.eval_on_selector_all(
            ".cr-viewport text",
            "ts => ts.map(t => [parseFloat(getComputedStyle(t).fontSize), t.getBoundingClientRect().height])",
        )
        records = [h for points, h in sizes if points >= 12]
        assert min(records) >= 11, f"record text only {min(records):.1f} px high at {width}px"  # was about 5 px
        assert min(h for _, h in sizes) >= 9  # edge labels and constants are smaller, still legible
        for _ in range(8):
            page.keyboard.press("ArrowRight")
            inside = page.evaluate(
                """() => {
                const view = document.querySelector('.cr-viewport');
                const v = view.getBoundingClientRect();
                const parent = [...view.querySelectorAll('g.node.lit')].find(
                    g => g.querySelector('title').textContent === view.dataset.parent);
                const r = parent.getBoundingClientRect();
                return r.left >= v.left && r.right <= v.right && r.top >= v.top && r.bottom <= v.bottom;
            }"""
            )
            assert inside, "the parent being updated is out of view"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        scale = page.inner_text(".cr-scale")
        page.click(".cr-fit")
        fitted = page.evaluate(
            "(() => { const v = document.querySelector('.cr-viewport');"
            " return v.querySelector('svg').getBoundingClientRect().width / v.clientWidth; })()"
        )
        assert 0.95 < fitted <= 1.01
        page.click(".cr-one")
        assert page.inner_text(".cr-scale") == "100%"
        page.keyboard.press("-")
        assert page.inner_text(".cr-scale") == "80%"
        assert scale.endswith("%")
        assert errors == []


@pytest.mark.slow
def test_two_inline_players_on_one_page_work_independently(browser, tmp_path):
    first = player(readme_example())
    second = player(build("(y - t)**2", {"y": 0.3, "t": 1.0})[0])
    notebook = tmp_path / "notebook.html"
    notebook.write_text(
        f"<!DOCTYPE html><html><body><h1>notebook</h1>{first._repr_html_()}<p>text</p>{second._repr_html_()}"
        "</body></html>",
        encoding="utf-8",
    )
    page, errors = open_page(browser, notebook)
    one, two = page.frame_locator("iframe").nth(0), page.frame_locator("iframe").nth(1)
    one.locator(".cr-next").click()
    one.locator(".cr-next").click()
    two.locator(".cr-next").click()
    assert one.locator(".cr-equation").inner_text() == first.data["steps"][1]["eq"]
    assert two.locator(".cr-equation").inner_text() == second.data["steps"][0]["eq"]
    assert one.locator(".cr-counter").inner_text() == "step 2 of 5"
    two.locator(".cr-prev").click()
    assert two.locator(".cr-equation").inner_text().startswith("Seed")
    assert one.locator(".cr-counter").inner_text() == "step 2 of 5"
    two.locator(".cr-viewport").click()
    page.keyboard.press("ArrowRight")  # keys go to the player that has the focus
    assert two.locator(".cr-counter").inner_text() == f"step 1 of {len(second.data['steps'])}"
    assert one.locator(".cr-counter").inner_text() == "step 2 of 5"
    assert errors == []


@pytest.mark.slow
def test_the_page_says_when_leaves_hold_earlier_gradient(browser, tmp_path):
    root = readme_example()
    root.backward()
    page, errors = open_page(browser, write_player(root, tmp_path / "again.html"))
    assert "a.grad, b.grad and c.grad include 1 earlier backward pass" in page.inner_text(".cr-note")
    assert "grad -0.004023" in page.eval_on_selector_all(".cr-viewport text", "ts => ts.map(t => t.textContent)")
    assert errors == []


@pytest.mark.slow
def test_players_shown_by_a_notebook_kernel_work_side_by_side(browser, tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    cells = [
        "from autograd.player import player\nfrom autograd.expression import build",
        'player(build("tanh(a*b + c)", {"a": 2.0, "b": -3.0, "c": 10.0})[0])',
        'player(build("(y - t)**2", {"y": 0.3, "t": 1.0})[0], quiz=True)',
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    shown = [cell.outputs[0]["data"] for cell in notebook.cells[1:]]
    assert all("text/html" in data for data in shown)
    page_file = tmp_path / "outputs.html"
    page_file.write_text("<html><body>" + "".join(d["text/html"] for d in shown) + "</body></html>", encoding="utf-8")
    page, errors = open_page(browser, page_file)
    one, two = page.frame_locator("iframe").nth(0), page.frame_locator("iframe").nth(1)
    one.locator(".cr-next").click()
    two.locator(".cr-next").click()
    two.locator(".cr-answer").fill("-1.4")
    two.locator(".cr-answer").press("Enter")
    assert one.locator(".cr-counter").inner_text() == "step 1 of 5"
    assert two.locator(".cr-score").inner_text() == "Score 1 / 1"
    one.locator(".cr-prev").click()
    assert one.locator(".cr-equation").inner_text().startswith("Seed")
    assert two.locator(".cr-counter").inner_text() == "step 1 of 4"
    assert errors == []


# The rows of text (heading, help, controls, equation, total or hint, answer box, verdict, the
# graph): where each one's box and the text in it reach. A row squeezed by the flex layout keeps a
# small box while its text spills over the next row, so the text's own extent counts too.
OVERLAPS = """() => {
    const rows = [...document.querySelectorAll(
        '.cr-player > *:not(script), .cr-answer, .cr-verdict')]
        .filter(e => e.getClientRects().length && getComputedStyle(e).display !== 'none');
    const extent = (e) => {
        const box = e.getBoundingClientRect();
        const range = document.createRange();
        range.selectNodeContents(e);
        const text = range.getBoundingClientRect();
        const folded = e.tagName === 'DETAILS' && !e.open;
        if (!text.width || folded || e.classList.contains('cr-viewport')) { return box; }
        return { left: Math.min(box.left, text.left), right: Math.max(box.right, text.right),
                 top: Math.min(box.top, text.top), bottom: Math.max(box.bottom, text.bottom) };
    };
    const hits = [];
    for (let i = 0; i < rows.length; i++) {
        for (let j = i + 1; j < rows.length; j++) {
            const e = rows[i], f = rows[j];
            if (e.contains(f) || f.contains(e)) { continue; }
            const a = extent(e), b = extent(f);
            const apart = a.right <= b.left + 0.5 || b.right <= a.left + 0.5 ||
                a.bottom <= b.top + 0.5 || b.bottom <= a.top + 0.5;
            if (!apart) { hits.push(e.className + ' / ' + f.className); }
        }
    }
    return hits;
}"""


@pytest.mark.slow
@pytest.mark.parametrize("quiz", [False, True], ids=["player", "quiz"])
def test_text_rows_never_overlap_in_a_narrow_notebook_frame(browser, tmp_path, quiz):
    # The notebook's frame is 420 px tall; at 370 px wide (VS Code's side panel, a phone) the
    # rows of text were squeezed on top of each other: the hint was drawn over the answer box.
    shown = player(readme_example(), quiz=quiz)
    notebook = tmp_path / "narrow.html"
    notebook.write_text(f"<!DOCTYPE html><html><body style='margin:0'>{shown._repr_html_()}</body></html>")
    for width in (370, 1100):
        page, errors = open_page(browser, notebook, width, 440)
        frame = page.frame_locator("iframe").first
        for _ in range(3):
            frame.locator(".cr-next").click()
            hits = frame.locator("body").evaluate(f"(body) => ({OVERLAPS})()")
            assert hits == [], f"at {width}px: {hits}"
        if quiz:
            frame.locator(".cr-answer").fill("5")
            frame.locator(".cr-answer").press("Enter")
            assert frame.locator(".cr-verdict").inner_text().startswith("✗ Not yet")
            assert frame.locator("body").evaluate(f"(body) => ({OVERLAPS})()") == []
        # the graph is still there, at a usable height, below the text (the frame scrolls)
        view = frame.locator(".cr-viewport").bounding_box()
        assert view is not None and view["height"] >= 150
        assert errors == []
        page.close()


@pytest.mark.slow
def test_a_zoom_keeps_the_lit_step_in_view_and_the_key_glyphs_are_legible(browser, tmp_path):
    path = write_player(readme_example(), tmp_path / "backprop.html")
    page, errors = open_page(browser, path)
    sizes = page.eval_on_selector_all("kbd", "ks => ks.map(k => parseFloat(getComputedStyle(k).fontSize))")
    assert sizes and min(sizes) >= 12  # were about 8 px
    inside = """() => {
        const view = document.querySelector('.cr-viewport');
        const v = view.getBoundingClientRect();
        const node = [...view.querySelectorAll('g.node.lit')].find(
            g => g.querySelector('title').textContent === view.dataset.parent);
        const r = node.getBoundingClientRect();
        return r.left >= v.left && r.right <= v.right && r.top >= v.top && r.bottom <= v.bottom;
    }"""
    for _ in range(4):
        page.keyboard.press("ArrowRight")  # step 4: a, at the far left, gets its gradient
    for button in (".cr-one", ".cr-in", ".cr-in", ".cr-fit", ".cr-one"):
        page.click(button)
        assert page.evaluate(inside), f"after {button} the node being updated is out of view"
    page.keyboard.press("+")
    page.keyboard.press("+")
    assert page.evaluate(inside)
    assert errors == []


def test_the_earlier_pass_note_is_on_the_page_once_not_also_in_the_picture():
    root = readme_example()
    root.backward()
    page = Player(root).html()
    assert page.count("include 1 earlier backward pass") == 1


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize("root", [3.0, None, "L", [Value(1.0)]])
def test_a_player_of_a_non_value_is_a_type_error_naming_it(root):
    with pytest.raises(TypeError, match=rf"player\(\) takes a Value .*got {type(root).__name__}"):
        player(root)


def test_a_player_of_a_compiled_result_says_to_call_the_uncompiled_function():
    from test_stepping import compiled_result

    with pytest.raises(TypeError, match="CompiledValue.*call the uncompiled function"):
        player(compiled_result())


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"title": 5}, TypeError, "title must be text"),
        ({"title": b"x"}, TypeError, "title must be text"),
        ({"height": "abc"}, TypeError, "height must be a positive whole number, got str"),
        ({"height": 300.5}, ValueError, "height must be a positive whole number"),
        ({"height": True}, TypeError, "height must be a positive whole number"),
        ({"height": -5}, ValueError, "height must be a positive whole number, got -5"),
        ({"height": 0}, ValueError, "height must be a positive whole number"),
        ({"digits": "4"}, TypeError, "digits must be a whole number from 1 to 17, got str"),
        ({"digits": 2.5}, ValueError, "digits must be a whole number"),
        ({"digits": 0}, ValueError, "digits must be a whole number from 1 to 17, got 0"),
        ({"digits": 10**10}, ValueError, "digits must be a whole number from 1 to 17"),
        ({"quiz": "no"}, TypeError, "quiz must be True or False, got str"),
    ],
)
def test_player_options_are_checked_before_anything_is_drawn(options, error, message):
    root = build("a*b", {"a": 1.0, "b": 2.0})[0]
    with pytest.raises(error, match=message):
        player(root, **options)


def test_a_chosen_height_sizes_the_inline_frame():
    root = build("a*b", {"a": 1.0, "b": 2.0})[0]
    assert "height: 500px;" in player(root, height=500)._repr_html_()
    assert player(root, digits=17, title="").title == "Backpropagation, step by step"


def test_too_big_for_the_player_is_a_graph_too_large_error():
    from autograd.dot import GraphTooLargeError

    with pytest.raises(GraphTooLargeError, match=f"the graph has {MAX_NODES + 2} nodes"):
        Player(tanh_chain(MAX_NODES + 1))
