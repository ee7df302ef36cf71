"""Hostile input, generated: the loaders load it or raise nlptut's own error, nothing else."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlptut.checkpoint import manifest_digest
from nlptut.classifier import TextClassifier
from nlptut.datasets import LabelledData, Split, load_dataset
from nlptut.errors import NlptutError

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Characters that break naive parsers: separators, quotes, line breaks, BOMs,
# zero-width and bidi marks, surrogate-free non-ASCII, NUL.
NASTY = ",;\t\"'\r\n\ufeff\u200b\u202e\u00e9\u0301\x00 " + string.ascii_letters[:6] + "0123"
field = st.text(alphabet=NASTY, max_size=12)


@st.composite
def table_files(draw) -> tuple[str, bytes]:
    suffix = draw(st.sampled_from([".csv", ".tsv", ".txt"]))
    sep = {".csv": ",", ".tsv": "\t", ".txt": ";"}[suffix]
    header = draw(st.sampled_from(["text,label", "label\ttext", "", "text", "a,b,c"]))
    rows = draw(st.lists(st.tuples(field, field), max_size=40))
    body = "\n".join(f"{t}{sep}{y}" for t, y in rows)
    text = (header + "\n" if header else "") + body
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "latin-1"]))
    return suffix, text.encode(encoding, errors="replace")


def load_or_one_line_error(load, folder: Path, name: str, data: bytes):
    """Write ``data`` to ``folder / name`` and ``load`` it: its result, or ``None`` when
    it raised one of nlptut's errors, on one line (any other exception fails the test)."""
    path = folder / name
    path.write_bytes(data)
    try:
        return load(path)
    except NlptutError as exc:
        assert "\n" not in str(exc)
        return None


@FUZZ
@given(table_files())
def test_hostile_data_files(tmp_path_factory, case):
    suffix, data = case
    loaded = load_or_one_line_error(
        load_dataset, tmp_path_factory.mktemp("fuzz"), f"data{suffix}", data
    )
    if loaded is None:
        return
    assert len(loaded.labels) >= 2
    assert all(label == label.strip() and label for label in loaded.labels)


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> Path:
    rows = [("i feel happy and glad today", 1), ("i feel sad and lonely", 0)] * 10
    split = Split([t for t, _ in rows], [y for _, y in rows])
    data = LabelledData(
        "toy", ("sadness", "joy"), {"train": split, "validation": split, "test": split}
    )
    classifier, _ = TextClassifier.fit(data, "nbow", epochs=1, progress=False)
    return classifier.save(tmp_path_factory.mktemp("ck") / "ck")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats() | field,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(field, inner, max_size=4),
    max_leaves=12,
)


@FUZZ
@given(
    key=st.sampled_from(["model", "labels", "max_len", "files", "info", "model_config", "version"]),
    sub=st.one_of(st.none(), st.sampled_from(["embed_dim", "vocab_size", "dropout", "pad_id"])),
    value=json_values,
    resign=st.booleans(),
)
def test_hostile_manifests(saved, tmp_path_factory, key, sub, value, resign):
    folder = tmp_path_factory.mktemp("ck")
    for file in saved.iterdir():
        (folder / file.name).write_bytes(file.read_bytes())
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    if sub is not None and key == "model_config":
        config["model_config"][sub] = value
    else:
        config[key] = value
    if resign:
        config["manifest_sha256"] = manifest_digest(config)
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    try:
        TextClassifier.load(folder)
    except NlptutError as exc:
        assert "\n" not in str(exc)


@st.composite
def conll_files(draw) -> bytes:
    lines = draw(
        st.lists(
            st.one_of(
                st.just(""),
                st.tuples(field, st.sampled_from(["O", "B-PPL", "I-PPL", "B-X Y", "X"]), field).map(
                    lambda row: f"{row[0]}\t{row[1]}{row[2]}"
                ),
                field,
            ),
            max_size=30,
        )
    )
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "latin-1"]))
    return "\n".join(lines).encode(encoding, errors="replace")


@FUZZ
@given(conll_files())
def test_hostile_conll_files(tmp_path_factory, data):
    from nlptut.conll import read_conll

    split = load_or_one_line_error(read_conll, tmp_path_factory.mktemp("fuzz"), "tags.txt", data)
    if split is None:
        return
    for words, tags in zip(split.tokens, split.tags, strict=True):
        assert len(words) == len(tags) and all("\t" not in w for w in words)
        assert all(tag and not any(c.isspace() for c in tag) for tag in tags)


@pytest.fixture(scope="module")
def exported(saved, tmp_path_factory) -> Path:
    pytest.importorskip("onnxruntime")
    from nlptut.deploy import export_onnx

    return export_onnx(TextClassifier.load(saved), tmp_path_factory.mktemp("onnx") / "m.onnx")


@FUZZ
@given(
    key=st.sampled_from(["labels", "max_len", "model", "quantized", "vocab", "format", "sha256"]),
    value=json_values,
    reseal=st.booleans(),
)
def test_hostile_onnx_metadata(exported, tmp_path_factory, key, value, reseal):
    import onnx

    from nlptut import deploy

    proto = onnx.load_model(exported)
    meta = json.loads({p.key: p.value for p in proto.metadata_props}["nlptut"])
    meta[key] = value
    if reseal:
        deploy._seal(proto, meta)
    else:
        proto.metadata_props[0].value = json.dumps(meta)
    path = tmp_path_factory.mktemp("onnx") / "m.onnx"
    onnx.save_model(proto, path)
    try:
        model = deploy.OnnxClassifier(path)
        proba = model.predict_proba(["i feel happy", "so sad"])
    except NlptutError as exc:
        assert "\n" not in str(exc)
        return
    assert proba.shape == (2, len(model.labels)) and (proba >= 0).all()
