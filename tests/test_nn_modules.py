"""Modules: parameters, naming, initialisation, forward passes, saving and loading."""

import json
import random
from html.parser import HTMLParser

import pytest

import autograd
import nn
from autograd import Value


def test_parameters_are_flat_ordered_and_unique():
    model = nn.MLP(3, [4, 2], seed=0)
    params = model.parameters()
    assert len(params) == (3 * 4 + 4) + (4 * 2 + 2)
    assert len({id(p) for p in params}) == len(params)
    assert params == model.parameters()
    names = [n for n, _ in model.named_parameters()]
    assert names[0] == "layers.0.neurons.0.w.0" and names[-1] == "layers.1.neurons.1.b"


def test_shared_parameters_are_listed_once():
    class Twice(nn.Module):
        def __init__(self):
            self.neuron = nn.Neuron(2)

        def children(self):
            return [("first", self.neuron), ("second", self.neuron)]

    assert len(Twice().parameters()) == 3


def test_zero_grad():
    model = nn.MLP(2, [3, 1], seed=0)
    model([1.0, 2.0])[0].backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_repr_shows_the_architecture():
    text = repr(nn.MLP(2, [16, 16, 1], activation="relu", seed=0))
    assert "sizes=[16, 16, 1]" in text and "Layer(2 -> 16, relu)" in text and "Layer(16 -> 1, linear)" in text


def test_seeded_initialisation_is_reproducible_and_leaves_global_random_alone():
    random.seed(123)
    expected_next = random.random()
    random.seed(123)
    a = nn.MLP(2, [8, 1], seed=7).state_dict()
    b = nn.MLP(2, [8, 1], seed=7).state_dict()
    assert a == b
    assert random.random() == expected_next
    assert nn.MLP(2, [8, 1], seed=8).state_dict() != a


@pytest.mark.parametrize(
    ("activation", "nin", "nout", "bound"),
    [("relu", 50, 10, (6 / 50) ** 0.5), ("tanh", 50, 10, (6 / 60) ** 0.5)],
)
def test_initial_scale_follows_the_activation(activation, nin, nout, bound):
    layer = nn.Layer(nin, nout, activation, rng=random.Random(0))
    weights = [w.data for n in layer.neurons for w in n.w]
    assert max(abs(w) for w in weights) <= bound
    assert max(abs(w) for w in weights) > 0.8 * bound  # it uses the range, not a tiny corner of it
    assert all(n.b.data == 0.0 for n in layer.neurons)


def test_outputs_are_always_lists():
    model = nn.MLP(2, [3, 1], seed=0)
    out = model([0.5, 0.5])
    assert isinstance(out, list) and len(out) == 1 and isinstance(out[0], Value)
    assert isinstance(nn.Layer(2, 1)([1.0, 2.0]), list)


@pytest.mark.parametrize("bad", [[1.0], [1.0, 2.0, 3.0]])
def test_wrong_input_length_names_both_sizes(bad):
    with pytest.raises(ValueError, match=f"expected 2 inputs, got {len(bad)}"):
        nn.MLP(2, [3, 1], seed=0)(bad)


def test_bad_names_and_sizes_are_refused():
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        nn.MLP(2, [3, 1], activation="swish")
    with pytest.raises(ValueError, match="unknown output 'tanh'"):
        nn.MLP(2, [3, 1], output="tanh")
    with pytest.raises(ValueError, match="positive whole number"):
        nn.MLP(2, [0, 1])
    with pytest.raises(TypeError, match="str"):
        nn.MLP(2, [3, 1], seed=0)(["a", "b"])


def test_inputs_may_be_values_and_get_gradients():
    model = nn.MLP(2, [3, 1], seed=0)
    x = [Value(0.5), Value(-1.0)]
    model(x)[0].backward()
    assert any(v.grad != 0.0 for v in x)


def test_one_node_per_preactivation_and_binary_option_agree():
    fused = nn.MLP(3, [4, 2], activation="tanh", seed=3)
    binary = nn.MLP(3, [4, 2], activation="tanh", fused=False, seed=3)
    assert fused.state_dict() == binary.state_dict()
    x = [0.3, -0.7, 1.1]
    yf, yb = fused(x), binary(x)
    assert [v.data for v in yf] == pytest.approx([v.data for v in yb], rel=1e-12)
    (yf[0] + yf[1]).backward()
    (yb[0] + yb[1]).backward()
    assert [p.grad for p in fused.parameters()] == pytest.approx([p.grad for p in binary.parameters()], rel=1e-12)
    inner_fused = [n for n in autograd.topological_order(yf[0]) if n.parents]
    inner_binary = [n for n in autograd.topological_order(yb[0]) if n.parents]
    assert len(inner_fused) == 4 + 4 + 1  # a1 (4), h1 (4), a2[0]
    assert len(inner_binary) == 4 * (3 + 3) + 4 + (4 + 4)  # every * and + of b + Σ w·h


def test_trace_has_the_lectures_a_and_h():
    model = nn.MLP(2, [3, 3, 2], activation="sigmoid", output="softmax", seed=0)
    trace = model.forward_trace([0.2, 0.4])
    assert [len(a) for a in trace.a] == [3, 3, 2]
    assert [len(h) for h in trace.h] == [2, 3, 3, 2]
    assert trace.a[0][1].label == "a1[1]" and trace.h[1][1].label == "h1[1]" and trace.h[0][0].label == "x[0]"
    assert trace.h[1][0].data == pytest.approx(1 / (1 + 2.718281828459045 ** -trace.a[0][0].data))
    assert sum(v.data for v in trace.output) == pytest.approx(1.0)
    assert [v.data for v in model([0.2, 0.4])] == pytest.approx([v.data for v in trace.output])


def test_save_and_load_round_trip(tmp_path):
    model = nn.MLP(2, [5, 1], activation="tanh", seed=1)
    path = tmp_path / "model.json"
    model.save(path)
    document = json.loads(path.read_text())
    assert document["architecture"]["sizes"] == [5, 1]
    other = nn.MLP(2, [5, 1], activation="tanh", seed=2)
    assert other([0.3, 0.9])[0].data != pytest.approx(model([0.3, 0.9])[0].data)
    other.load(path)
    for x in ([0.3, 0.9], [-1.0, 2.0]):
        assert other(x)[0].data == pytest.approx(model(x)[0].data, rel=1e-15)


def test_load_refuses_a_different_architecture(tmp_path):
    path = tmp_path / "model.json"
    nn.MLP(2, [5, 1], seed=1).save(path)
    with pytest.raises(ValueError, match=r"sizes: file has \[5, 1\], model has \[4, 1\]"):
        nn.MLP(2, [4, 1], seed=1).load(path)
    with pytest.raises(ValueError, match="activation"):
        nn.MLP(2, [5, 1], activation="relu", seed=1).load(path)


def test_load_refuses_missing_parameters_and_other_files(tmp_path):
    path = tmp_path / "model.json"
    model = nn.MLP(2, [2, 1], seed=1)
    model.save(path)
    document = json.loads(path.read_text())
    del document["parameters"]["layers.1.neurons.0.b"]
    path.write_text(json.dumps(document))
    with pytest.raises(ValueError, match=r"missing layers\.1\.neurons\.0\.b"):
        model.load(path)
    path.write_text('{"hello": 1}')
    with pytest.raises(ValueError, match="not a saved chainrule module"):
        model.load(path)
    path.write_text("not json")
    with pytest.raises(ValueError, match="not JSON"):
        model.load(path)


class Tagged(Value):
    """A user's subclass of Value, as a learner might write to carry a note."""

    __slots__ = ("note",)


@pytest.mark.parametrize(
    "model",
    [nn.MLP(2, [3, 1], seed=0), nn.MLP(2, [3, 2], output="softmax", seed=0), nn.Layer(2, 3), nn.Neuron(2)],
    ids=["mlp", "mlp-softmax", "layer", "neuron"],
)
def test_value_subclasses_are_inputs_like_values(model):
    x = [Tagged(0.5), Tagged(-1.0)]
    out = model(x)
    root = out if isinstance(out, Value) else out[0]
    root.backward()
    assert any(v.grad != 0.0 for v in x)  # the very objects passed in are the graph's leaves


def test_mlp_labels_plain_number_inputs_but_keeps_given_values():
    model = nn.MLP(2, [3, 1], seed=0)
    trace = model.forward_trace([Tagged(0.5, label="mine"), 2.0])
    assert trace.h[0][0].label == "mine" and type(trace.h[0][0]) is Tagged
    assert trace.h[0][1].label == "x[1]" and trace.h[0][1].data == 2.0


class TableReader(HTMLParser):
    """Collects the text of every cell, and checks that every tag it opens is closed in order."""

    def __init__(self):
        super().__init__()
        self.open, self.rows, self.caption, self.in_caption = [], [], "", False

    def handle_starttag(self, tag, attrs):
        self.open.append(tag)
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self.rows[-1].append("")
        self.in_caption = tag == "caption"

    def handle_endtag(self, tag):
        assert self.open and self.open.pop() == tag, f"</{tag}> closes {self.open}"
        self.in_caption = False

    def handle_data(self, data):
        if self.in_caption:
            self.caption += data
        elif self.open and self.open[-1] in ("td", "th"):
            self.rows[-1][-1] += data


def read_table(html: str) -> TableReader:
    reader = TableReader()
    reader.feed(html)
    reader.close()
    assert reader.open == []
    return reader


def test_notebook_summary_of_an_mlp():
    model = nn.MLP(2, [16, 16, 3], activation="relu", output="softmax", seed=0)
    table = read_table(model._repr_html_())
    assert table.caption.startswith("MLP(nin=2, sizes=[16, 16, 3], activation='relu'")
    header, *layers, total = table.rows
    assert header == ["part", "type", "shape", "activation", "parameters"]
    assert layers == [
        ["layers.0", "Layer", "2 → 16", "relu", "48"],
        ["layers.1", "Layer", "16 → 16", "relu", "272"],
        ["layers.2", "Layer", "16 → 3", "linear, then softmax", "51"],
    ]
    assert total == ["total parameters", str(len(model.parameters()))] == ["total parameters", "371"]
    assert "MLP(nin=2" in repr(model) and "Layer(2 -> 16, relu)" in repr(model)  # the text repr stays


def test_notebook_summary_of_a_layer_a_neuron_and_a_big_model():
    assert read_table(nn.Layer(3, 4, "sigmoid")._repr_html_()).rows[1] == ["", "Layer", "3 → 4", "sigmoid", "16"]
    assert read_table(nn.Neuron(5, "relu")._repr_html_()).rows[1] == ["", "Neuron", "5 → 1", "relu", "6"]
    big = nn.MLP(40, [30, 1], seed=0)
    assert read_table(big._repr_html_()).rows[-1] == ["total parameters", "1,261"]


def test_notebook_summary_escapes_names_and_counts_shared_parameters_once():
    class Sneaky(nn.Module):
        def __init__(self):
            self.neuron = nn.Neuron(2, "relu")
            self.scale = Value(1.0)

        def own_parameters(self):
            return [("scale", self.scale)]

        def children(self):
            return [("<script>alert('x')</script>", self.neuron), ("a & b", self.neuron)]

        def config(self):
            return {"note": "<b>bold</b>"}

    html = Sneaky()._repr_html_()
    assert "<script>" not in html and "<b>" not in html
    table = read_table(html)
    assert table.caption == "Sneaky(note='<b>bold</b>')"
    assert [row[0] for row in table.rows[1:-1]] == ["(own)", "<script>alert('x')</script>", "a & b"]
    assert table.rows[-1] == ["total parameters", "4"]  # the shared neuron's 3 once, plus the scale


# --- only ordered inputs; numpy integers are whole numbers ---


@pytest.mark.parametrize(
    "make",
    [
        lambda: nn.MLP(2, [3, 1], seed=0),
        lambda: nn.Layer(2, 3, rng=random.Random(0)),
        lambda: nn.Neuron(2, rng=random.Random(0)),
    ],
)
@pytest.mark.parametrize("unordered", [{0: 5.0, 1: 7.0}, {5.0, 7.0}, frozenset({5.0, 7.0}), {"a": 1.0, "b": 2.0}])
def test_a_dict_or_a_set_is_refused_not_read_by_its_keys(make, unordered):
    with pytest.raises(TypeError, match=r"inputs must be a sequence of 2 numbers or Values .*got (dict|set|frozenset)"):
        make()(unordered)


@pytest.mark.parametrize("bad", [iter([5.0, 7.0]), (x for x in [5.0, 7.0]), "ab", b"ab", None, 5.0])
def test_other_non_sequences_are_refused_with_a_type_error(bad):
    with pytest.raises(TypeError, match="inputs must be a sequence of 2 numbers"):
        nn.MLP(2, [3, 1], seed=0)(bad)


def test_lists_tuples_ranges_and_1d_arrays_give_the_same_output():
    np = pytest.importorskip("numpy")
    model = nn.MLP(2, [3, 1], seed=0)
    expected = model([5.0, 7.0])[0].data
    for xs in ([5.0, 7.0], (5.0, 7.0), np.array([5.0, 7.0]), np.array([5, 7])):
        assert model(xs)[0].data == pytest.approx(expected)
    assert model(range(2))[0].data == pytest.approx(model([0.0, 1.0])[0].data)
    with pytest.raises(TypeError, match="got a 2-D array"):
        model(np.array([[5.0, 7.0]]))


def test_numpy_integer_sizes_are_accepted_and_stored_as_int():
    np = pytest.importorskip("numpy")
    model = nn.MLP(np.int64(2), [np.int64(4), np.int32(1)], seed=np.int64(0))
    reference = nn.MLP(2, [4, 1], seed=0)
    assert model.config() == reference.config()
    assert type(model.nin) is int and all(type(n) is int for n in model.sizes)
    assert [p.data for p in model.parameters()] == [p.data for p in reference.parameters()]
    json.dumps(model.config())  # saving needs plain ints
    assert nn.MLP(2, np.array([4, 1]), seed=0).sizes == [4, 1]
    assert nn.Layer(np.int64(3), np.uint8(2)).shape() == (3, 2)
    assert nn.Neuron(np.int16(3)).shape() == (3, 1)


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((0, [1]), ValueError, "nin must be a positive whole number, got 0"),
        ((2, [1.5]), ValueError, "every size must be a positive whole number, got 1.5"),
        ((2.0, [1]), ValueError, "nin must be a positive whole number, got 2.0"),
        ((2, [True]), TypeError, "every size must be a positive whole number, got bool"),
        (("2", [1]), TypeError, "nin must be a positive whole number, got str"),
        ((None, [1]), TypeError, "nin .* got NoneType"),
        ((2, 16), TypeError, "sizes must be a list of layer sizes, e.g. \\[16, 1\\], got int"),
        ((2, "16"), TypeError, "sizes must be a list .* got str"),
        ((2, {4, 1}), TypeError, "sizes must be a list .* got set"),
    ],
)
def test_size_messages_do_not_contradict_themselves(args, error, message):
    with pytest.raises(error, match=message):
        nn.MLP(*args)
