"""`Module.load` and `load_state_dict` check everything before they change anything.

Every hostile file below must give a ``ValueError`` that names the key or the problem, and
leave the model exactly as it was (compared bit for bit). Reaching the file is a different
matter: a missing file or a directory raises the ``OSError`` that ``open()`` raises.
"""

import json
import math
from pathlib import Path

import pytest

import nn


def make_model() -> nn.MLP:
    return nn.MLP(2, [3, 1], activation="tanh", seed=1)


def snapshot(model: nn.Module) -> str:
    """The parameters, bit for bit (``float.hex``), as one string."""
    return json.dumps([(name, value.hex()) for name, value in model.state_dict().items()])


def saved(model: nn.Module) -> dict:
    """What ``save`` writes, as a dict to spoil."""
    return {
        "format": "chainrule.nn",
        "version": 1,
        "architecture": {"class": type(model).__name__, **model.config()},
        "parameters": model.state_dict(),
    }


FIRST = "layers.0.neurons.0.w.0"  # the first parameter's name
LAST = "layers.1.neurons.0.b"  # the last one's: a bad last value must not leave the others changed


DELETE = object()


def make_other() -> nn.MLP:
    """The model the hostile files come from: same architecture, other weights, so a half-done load would show."""
    return nn.MLP(2, [3, 1], activation="tanh", seed=2)


def spoil(**changes):
    """A saved document of ``make_other()``, with ``{"a/b": value}`` set (or deleted with DELETE)."""

    def build():
        document = saved(make_other())
        for dotted, value in changes.items():
            *path, key = dotted.split("/")
            target = document
            for part in path:
                target = target[part]
            if value is DELETE:
                del target[key]
            else:
                target[key] = value
        return json.dumps(document)

    return build


def edit(old: str, new: str):
    """The saved JSON text of ``make_other()`` with the first ``old`` replaced by ``new``."""

    def build():
        text = json.dumps(saved(make_other()))
        assert old in text
        return text.replace(old, new, 1)

    return build


def raw(content: str | bytes):
    return lambda: content


def truncated():
    text = json.dumps(saved(make_other()), indent=1)
    return text[: len(text) // 2]


LAST_VALUE = repr(make_other().state_dict()[LAST])
DEEP = 100_000

# (id, a builder of the file's content, a regex the message must match)
HOSTILE = [
    # the parameters' values
    ("weight-string", spoil(**{f"parameters/{LAST}": "0.5"}), rf"{LAST}.*must be a number.*string"),
    ("weight-bool", spoil(**{f"parameters/{LAST}": True}), rf"{LAST}.*must be a number.*boolean"),
    ("weight-list", spoil(**{f"parameters/{LAST}": [0.5]}), rf"{LAST}.*must be a number.*list"),
    ("weight-dict", spoil(**{f"parameters/{LAST}": {"v": 0.5}}), rf"{LAST}.*must be a number.*object"),
    ("weight-null", spoil(**{f"parameters/{LAST}": None}), rf"{LAST}.*must be a number.*null"),
    ("weight-huge-int", spoil(**{f"parameters/{LAST}": 10**400}), rf"{LAST}.*too large"),
    ("weight-5000-digits", edit(f'"{LAST}": {LAST_VALUE}', f'"{LAST}": ' + "9" * 5000), "digits"),
    # the document's shape
    ("top-level-list", raw("[1, 2, 3]"), "list, not a saved chainrule module"),
    ("top-level-string", raw('"chainrule.nn"'), "string, not a saved chainrule module"),
    ("top-level-null", raw("null"), r"null\), not a saved chainrule module"),
    ("no-format", spoil(format=DELETE), "not a saved chainrule module"),
    ("other-format", spoil(format="torch"), "not a saved chainrule module"),
    ("format-not-string", spoil(format=["chainrule.nn"]), "not a saved chainrule module"),
    ("missing-parameters", spoil(parameters=DELETE), "missing key 'parameters'"),
    ("missing-architecture", spoil(architecture=DELETE), "missing key 'architecture'"),
    ("missing-version", spoil(version=DELETE), "missing key 'version'"),
    ("extra-top-level-key", spoil(optimizer={"lr": 0.1}), "unexpected key 'optimizer'"),
    ("newer-version", spoil(version=2), "version 2.*reads version 1"),
    ("version-bool", spoil(version=True), "version True"),
    ("version-string", spoil(version="1"), "version '1'"),
    ("parameters-list", spoil(parameters=[0.5] * 13), "parameters must be .*got a list"),
    ("parameters-null", spoil(parameters=None), "parameters must be .*got None \\(null\\)"),
    ("missing-parameter", spoil(**{f"parameters/{LAST}": DELETE}), rf"missing {LAST}"),
    ("extra-parameter", spoil(**{"parameters/layers.2.neurons.0.b": 0.0}), r"unexpected layers\.2\.neurons\.0\.b"),
    ("duplicate-key", edit(f'"{FIRST}": ', f'"{FIRST}": 0.25, "{FIRST}": '), f"duplicate key '{FIRST}'"),
    # the architecture
    ("architecture-list", spoil(architecture=["MLP", 2, [3, 1]]), "architecture must be an object, got a list"),
    ("architecture-string", spoil(architecture="MLP"), "architecture must be an object, got a string"),
    ("architecture-sizes", spoil(**{"architecture/sizes": [4, 1]}), r"sizes: file has \[4, 1\], model has \[3, 1\]"),
    ("architecture-class", spoil(**{"architecture/class": "Layer"}), "class: file has 'Layer', model has 'MLP'"),
    ("architecture-bool-for-int", spoil(**{"architecture/nin": True}), "nin: file has True, model has 2"),
    ("architecture-int-for-bool", spoil(**{"architecture/fused": 1}), "fused: file has 1, model has True"),
    ("architecture-extra-key", spoil(**{"architecture/dropout": 0.5}), "dropout: file has 0.5, model has nothing"),
    ("architecture-missing-key", spoil(**{"architecture/output": DELETE}), "output: file has nothing"),
    # the JSON text itself
    ("truncated", truncated, "not JSON.*truncated"),
    ("empty", raw(""), "empty"),
    ("whitespace-only", raw("  \n"), "empty"),
    ("not-json", raw("weights: 1, 2, 3"), "not JSON"),
    ("non-utf8", raw(b'{"format": "chainrule.nn\xff\xfe"}'), "not UTF-8"),
    ("binary", raw(bytes(range(256))), "not UTF-8"),
    ("deep-lists", raw("[" * DEEP + "]" * DEEP), "nested too deeply"),
    ("deep-objects", raw('{"a":' * DEEP + "1" + "}" * DEEP), "nested too deeply"),
    ("deep-in-parameters", edit(f'"{LAST}": ', f'"{LAST}": ' + "[" * DEEP), "nested too deeply"),
    ("deep-truncated", raw("[" * DEEP), "nested too deeply"),
]


NONFINITE = ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"]  # json reads 1e400 as inf


def write(path: Path, content) -> None:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


@pytest.mark.parametrize(("content", "message"), [c[1:] for c in HOSTILE], ids=[c[0] for c in HOSTILE])
def test_a_hostile_file_is_a_value_error_and_changes_nothing(tmp_path, content, message):
    model = make_model()
    before = snapshot(model)
    path = tmp_path / "model.json"
    write(path, content())
    with pytest.raises(ValueError, match=message) as caught:
        model.load(path)
    assert type(caught.value) is ValueError  # not a JSONDecodeError or UnicodeDecodeError in disguise
    assert str(path) in str(caught.value)
    assert snapshot(model) == before


@pytest.mark.parametrize("literal", NONFINITE)
@pytest.mark.parametrize("where", [FIRST, LAST])
def test_non_finite_weights_are_refused(tmp_path, literal, where):
    model = make_model()
    before = snapshot(model)
    text = json.dumps(saved(make_other()))
    value = repr(make_other().state_dict()[where])
    assert text.count(f'"{where}": {value}') == 1
    path = tmp_path / "model.json"
    path.write_text(text.replace(f'"{where}": {value}', f'"{where}": {literal}'))
    with pytest.raises(ValueError, match=rf"'{where}' is -?(nan|inf).*finite"):
        model.load(path)
    assert snapshot(model) == before


def test_a_missing_file_and_a_directory_stay_os_errors(tmp_path):
    """Not reaching the file is not a malformed file: the OSError of open() passes through."""
    model = make_model()
    before = snapshot(model)
    with pytest.raises(FileNotFoundError):
        model.load(tmp_path / "nowhere.json")
    with pytest.raises(OSError):  # IsADirectoryError on Linux, PermissionError on Windows
        model.load(tmp_path)
    assert snapshot(model) == before


def test_a_good_file_still_loads_and_returns_the_model(tmp_path):
    model, other = make_model(), make_other()
    path = tmp_path / "model.json"
    other.save(path)
    assert model.load(path) is model
    assert snapshot(model) == snapshot(other)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # a byte-order mark, as some editors write
    assert snapshot(make_model().load(path)) == snapshot(other)


def test_save_refuses_a_non_finite_weight_instead_of_writing_invalid_json(tmp_path):
    model = make_model()
    model.layers[1].neurons[0].b.data = math.nan
    path = tmp_path / "model.json"
    with pytest.raises(ValueError, match=rf"{LAST}.*nan"):
        model.save(path)
    assert not path.exists()


# --- load_state_dict: the same checks, from Python objects ---

STATE_CASES = [
    ("not-a-mapping", lambda s: list(s.values()), "must be a mapping.*list"),
    ("none", lambda s: None, "must be a mapping.*None"),
    ("string-value", lambda s: {**s, LAST: "0.5"}, rf"{LAST}.*must be a number.*string"),
    ("bool-value", lambda s: {**s, LAST: False}, rf"{LAST}.*must be a number.*boolean"),
    ("none-value", lambda s: {**s, LAST: None}, rf"{LAST}.*must be a number.*None"),
    ("nan", lambda s: {**s, LAST: math.nan}, rf"{LAST}.*nan.*finite"),
    ("inf", lambda s: {**s, LAST: -math.inf}, rf"{LAST}.*-inf.*finite"),
    ("huge-int", lambda s: {**s, LAST: 10**400}, rf"{LAST}.*too large"),
    ("gigantic-int", lambda s: {**s, LAST: 10**10_000}, rf"{LAST}.*too large"),  # str() of it would fail
    ("missing", lambda s: {k: v for k, v in s.items() if k != LAST}, rf"missing {LAST}"),
    ("extra", lambda s: {**s, "bias": 0.0}, "unexpected bias"),
    ("non-string-key", lambda s: {**s, 7: 0.0}, "unexpected 7"),
]


@pytest.mark.parametrize(("spoil_state", "message"), [c[1:] for c in STATE_CASES], ids=[c[0] for c in STATE_CASES])
def test_load_state_dict_checks_everything_first(spoil_state, message):
    model = make_model()
    before = snapshot(model)
    state = spoil_state(make_other().state_dict())
    with pytest.raises(ValueError, match=message):
        model.load_state_dict(state)
    assert snapshot(model) == before


def test_load_state_dict_takes_ints_and_numpy_numbers():
    np = pytest.importorskip("numpy")
    model = make_model()
    state = {name: np.float32(0.5) if i % 2 else 1 for i, name in enumerate(model.state_dict())}
    model.load_state_dict(state)
    assert set(model.state_dict().values()) == {0.5, 1.0}
    assert all(type(v) is float for v in model.state_dict().values())
