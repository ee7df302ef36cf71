"""Export to ONNX, ONNX Runtime inference, int8 quantization, and 'nlptut export'."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
import torch

from nlptut.classifier import TextClassifier
from nlptut.cli import main
from nlptut.datasets import load_dataset
from nlptut.deploy import (
    EXPORTABLE,
    OnnxClassifier,
    export_onnx,
    quantize_int8,
    quantize_onnx,
)
from nlptut.errors import NlptutError
from nlptut.models import build_model
from nlptut.predictor import load_classifier
from nlptut.text import Vocabulary

LABELS = ["anger", "joy", "sadness"]
CUES = {
    "joy": ["happy", "glad", "delighted", "cheerful"],
    "sadness": ["sad", "lonely", "miserable", "gloomy"],
    "anger": ["angry", "furious", "annoyed", "irritated"],
}
FILLER = ["today", "i", "feel", "so", "really", "am", "this", "morning", "we", "were"]
TEXTS = [
    "I feel so happy today!",
    "sad",
    "a " * 100 + "long text, cut to the model's max_len",
    "words it never saw: zyzzyva quux",
    "?",
]


def _rows(n: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        label = LABELS[i % 3]
        words = [rng.choice(FILLER) for _ in range(rng.randint(2, 9))]
        words.insert(rng.randint(0, len(words)), rng.choice(CUES[label]))
        rows.append((" ".join(words), label))
    return rows


@pytest.fixture(scope="module")
def data_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("deploy") / "cues.tsv"
    lines = ["text\tlabel"] + [f"{t}\t{label}" for t, label in _rows(600, 0)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def trained(data_file: Path) -> TextClassifier:
    data = load_dataset(data_file)
    classifier, _ = TextClassifier.fit(data, "nbow", epochs=3, amp=False, progress=False)
    return classifier


def _untrained(name: str) -> TextClassifier:
    torch.manual_seed(0)
    vocab = Vocabulary.build([t for t, _ in _rows(200, 1)], min_freq=1)
    model = build_model(name, len(vocab), len(LABELS)).eval()
    return TextClassifier(name, LABELS, model, vocab, max_len=16)


@pytest.mark.parametrize("name", EXPORTABLE)
def test_onnx_runtime_gives_pytorchs_probabilities(name: str, tmp_path: Path):
    classifier = _untrained(name)
    path = export_onnx(classifier, tmp_path / f"{name}.onnx")
    onnx_model = OnnxClassifier(path)
    assert onnx_model.labels == LABELS and onnx_model.model_name == name
    expected = classifier.predict_proba(TEXTS)
    got = onnx_model.predict_proba(TEXTS)  # several lengths in one call, and one text alone
    np.testing.assert_allclose(got, expected, atol=1e-5)
    np.testing.assert_allclose(onnx_model.predict_proba(TEXTS[:1]), expected[:1], atol=1e-5)
    assert [p.label for p in onnx_model.predict(TEXTS)] == [
        p.label for p in classifier.predict(TEXTS)
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{name}.onnx"]  # one file, no temp


@pytest.mark.parametrize("name", ["lstm", "keywords"])
def test_models_that_cannot_be_exported_are_refused_in_one_line(name: str, data_file, tmp_path):
    if name == "keywords":
        classifier, _ = TextClassifier.fit(load_dataset(data_file), "keywords")
    else:
        classifier = _untrained(name)
    with pytest.raises(NlptutError, match=f"the {name} model cannot be exported"):
        export_onnx(classifier, tmp_path / "m.onnx")
    assert not any(tmp_path.iterdir())


def test_int8_file_is_smaller_and_keeps_the_accuracy(trained: TextClassifier, tmp_path: Path):
    held_out = _rows(300, 7)  # texts the model did not train on
    texts, labels = [t for t, _ in held_out], [label for _, label in held_out]
    plain = OnnxClassifier(export_onnx(trained, tmp_path / "f32.onnx"))
    small = OnnxClassifier(export_onnx(trained, tmp_path / "int8.onnx", quantize="int8"))
    assert small.quantized == "int8"
    assert (tmp_path / "int8.onnx").stat().st_size < 0.5 * (tmp_path / "f32.onnx").stat().st_size
    again = OnnxClassifier(quantize_onnx(tmp_path / "f32.onnx", tmp_path / "again.onnx"))
    np.testing.assert_allclose(again.predict_proba(texts), small.predict_proba(texts), atol=1e-6)
    with pytest.raises(NlptutError, match="already quantized"):
        quantize_onnx(tmp_path / "int8.onnx", tmp_path / "twice.onnx")
    before = trained.score(texts, labels).accuracy
    assert before > 0.8  # the cue words were learned: a meaningful comparison
    assert abs(plain.score(texts, labels).accuracy - before) < 1e-9
    # stated tolerance: int8 weights may change a few borderline answers, no more
    assert abs(small.score(texts, labels).accuracy - before) <= 0.02


def test_torchao_int8_linear_layers_stay_close(trained: TextClassifier):
    model = trained.model
    quantized = quantize_int8(model)
    assert "Int8" in type(quantized.classifier.weight).__name__  # int8 weights
    ids = torch.tensor([[5, 6, 7, 0], [8, 9, 10, 11]])
    mask = ids != 0
    with torch.no_grad():
        np.testing.assert_allclose(quantized(ids, mask), model(ids, mask), atol=0.05)
    assert next(model.parameters()).dtype == torch.float32  # the original is untouched


def test_an_existing_file_is_replaced_only_with_force_and_only_if_nlptut_wrote_it(
    tmp_path: Path,
):
    classifier = _untrained("cnn")
    out = export_onnx(classifier, tmp_path / "m.onnx")
    with pytest.raises(NlptutError, match="already exists; use --force"):
        export_onnx(classifier, out)
    export_onnx(classifier, out, force=True, quantize="int8")
    assert OnnxClassifier(out).quantized == "int8"
    foreign = tmp_path / "notes.onnx"
    foreign.write_text("my notes", encoding="utf-8")
    with pytest.raises(NlptutError, match="not replaced even with --force"):
        export_onnx(classifier, foreign, force=True)
    assert foreign.read_text(encoding="utf-8") == "my notes"
    for bad, message in [
        (tmp_path / "m.txt", "ending in .onnx"),
        (tmp_path / "missing" / "m.onnx", "no such folder"),
    ]:
        with pytest.raises(NlptutError, match=message):
            export_onnx(classifier, bad)
    (tmp_path / "dir.onnx").mkdir()
    with pytest.raises(NlptutError, match="is a folder"):
        export_onnx(classifier, tmp_path / "dir.onnx", force=True)


def test_a_failed_export_leaves_the_old_file_and_no_temporary_one(tmp_path, monkeypatch):
    import onnx

    classifier = _untrained("nbow")
    out = export_onnx(classifier, tmp_path / "m.onnx")
    before = out.read_bytes()

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(onnx, "save_model", full_disk)
    with pytest.raises(OSError):
        export_onnx(classifier, out, force=True)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.onnx"]


def test_a_file_that_is_not_an_export_is_one_line(tmp_path: Path):
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"\x00\x01 not a model")
    with pytest.raises(NlptutError, match="not an ONNX model written by 'nlptut export'"):
        OnnxClassifier(bad)
    with pytest.raises(NlptutError, match="no such file"):
        load_classifier(tmp_path / "none.onnx")


def _rewrite(path: Path, change, *, reseal: bool) -> None:
    """Edit an exported file: ``change(proto, meta)``, then store the metadata as it is
    (``reseal=False``, as a careless edit would) or with a fresh digest (``reseal=True``,
    as a deliberate one would: only the value checks can catch it)."""
    import onnx

    from nlptut import deploy

    proto = onnx.load_model(path)
    meta = json.loads({p.key: p.value for p in proto.metadata_props}["nlptut"])
    change(proto, meta)
    if reseal:
        deploy._seal(proto, meta)
    else:
        proto.metadata_props[0].value = json.dumps(meta)
    onnx.save_model(proto, path)


def _flip_a_bit_of_the_embedding(proto, meta) -> None:
    table = next(t for t in proto.graph.initializer if t.dims and t.dims[0] > 100)
    raw = bytearray(table.raw_data)
    raw[40] ^= 0x40
    table.raw_data = bytes(raw)


@pytest.mark.parametrize(
    ("change", "reseal", "message"),
    [
        (_flip_a_bit_of_the_embedding, False, "sha256 of its content differs"),
        (lambda proto, meta: meta["labels"].reverse(), False, "sha256 of its content differs"),
        (lambda proto, meta: meta.pop("sha256"), False, "has no sha256 of its content"),
        (lambda proto, meta: meta.update(labels="abcdef"), True, "'labels' must list two"),
        (lambda proto, meta: meta.update(labels=["joy", "joy"]), True, "'labels' must list two"),
        (lambda proto, meta: meta.update(max_len=0), True, "'max_len' must be a whole number"),
        (lambda proto, meta: meta.update(max_len=-1), True, "'max_len' must be a whole number"),
    ],
    ids=[
        "flipped bit",
        "labels reversed",
        "no digest",
        "labels a string",
        "labels twice",
        "max_len 0",
        "max_len -1",
    ],
)
def test_a_changed_export_is_refused_in_one_line(
    trained: TextClassifier, tmp_path: Path, capsys, change, reseal, message
):
    path = export_onnx(trained, tmp_path / "m.onnx")
    _rewrite(path, change, reseal=reseal)
    with pytest.raises(NlptutError, match=message):
        OnnxClassifier(path)
    assert main(["predict", str(path), "so glad"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.strip().count("\n") == 0
    assert message.split("'")[0].strip() in captured.err


def test_scores_that_are_not_numbers_are_an_error_never_a_label(
    trained: TextClassifier, tmp_path: Path, capsys
):
    from onnx import numpy_helper

    def poison(proto, meta) -> None:  # every weight of the output layer becomes nan
        for i, tensor in enumerate(proto.graph.initializer):
            values = numpy_helper.to_array(tensor)
            if values.ndim == 2 and values.shape[0] == len(LABELS):
                nan = numpy_helper.from_array(np.full_like(values, np.nan), tensor.name)
                proto.graph.initializer[i].CopyFrom(nan)

    path = export_onnx(trained, tmp_path / "m.onnx")
    _rewrite(path, poison, reseal=True)  # a damaged file whose digest still matches
    with pytest.raises(NlptutError, match="text 1 are not numbers"):
        OnnxClassifier(path).predict(["so glad"])
    assert main(["predict", str(path), "--json", "so glad"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "not numbers" in captured.err


def test_quantizing_a_changed_file_is_refused(trained: TextClassifier, tmp_path: Path):
    path = export_onnx(trained, tmp_path / "m.onnx")
    _rewrite(path, _flip_a_bit_of_the_embedding, reseal=False)
    with pytest.raises(NlptutError, match="sha256 of its content differs"):
        quantize_onnx(path, tmp_path / "int8.onnx")
    assert not (tmp_path / "int8.onnx").exists()


def test_cli_export_then_predict_gives_the_checkpoints_labels(
    trained: TextClassifier, tmp_path: Path, capsys
):
    folder = trained.save(tmp_path / "ckpt")
    out = tmp_path / "model.onnx"
    assert main(["export", str(folder), "--format", "onnx", "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["model"] == "nbow" and summary["bytes"] == out.stat().st_size

    def labels(model: Path) -> list[str]:
        assert main(["predict", str(model), "--json", *TEXTS]) == 0
        return [json.loads(line)["label"] for line in capsys.readouterr().out.splitlines()]

    assert labels(out) == labels(folder)
    assert main(["export", str(folder), "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["export", str(folder), "--out", str(out), "--quantize", "int8", "--force"]) == 0
    assert "int8 ONNX" in capsys.readouterr().out


def test_predicting_with_an_exported_file_needs_no_pytorch(tmp_path: Path):
    """The shipping path: the command line, the tokenizer and ONNX Runtime, with
    ``import torch`` made to fail."""
    import subprocess
    import sys

    path = export_onnx(_untrained("cnn"), tmp_path / "m.onnx")
    program = (
        "import sys; sys.modules['torch'] = None\n"
        "from nlptut.cli import main\n"
        f"sys.exit(main(['predict', {str(path)!r}, '--json', 'so glad', 'so sad']))\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    expected = OnnxClassifier(path).predict(["so glad", "so sad"])
    assert [a["label"] for a in answers] == [p.label for p in expected]


def test_the_command_lines_model_names_are_the_packages():
    from nlptut import cli, models

    assert cli.MODEL_NAMES == models.MODEL_NAMES
