"""``nlptut train --model tagger``, ``evaluate`` and ``predict`` on a tagger's checkpoint."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nlptut.cli import main


def _sentences(n: int) -> str:
    names, places = ["amos", "budi", "siti", "joko"], ["manado", "bandung", "medan"]
    return "".join(
        f"kata\tO\n{names[i % 4]}\tB-PPL\npak\tI-PPL\ndi\tO\n{places[i % 3]}\tB-PLC\n.\tO\n\n"
        for i in range(n)
    )


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tagging")
    data = folder / "mine.txt"
    data.write_text(_sentences(60), encoding="utf-8")
    out = folder / "ckpt"
    assert (
        main(
            [
                "train",
                "--dataset",
                str(data),
                "--model",
                "tagger",
                "--epochs",
                "12",
                "--out",
                str(out),
                "--json",
            ]
        )
        == 0
    )
    return data, out


def test_train_writes_a_tagger_checkpoint(trained, capsys):
    _, out = trained
    manifest = json.loads((out / "config.json").read_text("utf-8"))
    assert manifest["model"] == "tagger"
    assert manifest["labels"] == ["O", "B-PLC", "B-PPL", "I-PPL"]


def test_evaluate_json_gives_per_type_and_averaged_f1(trained, capsys):
    data, out = trained
    capsys.readouterr()
    assert main(["evaluate", str(out), "--dataset", str(data), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["split"] == "all sentences" and result["sentences"] == 60
    assert set(result["per_type"]) == {"PLC", "PPL"}
    assert 0.9 <= result["f1"] <= 1.0
    assert main(["evaluate", str(out), "--dataset", str(data), "--split", "test"]) == 0
    text = capsys.readouterr().out
    assert "tagger on mine (test, 6 sentences" in text and "average" in text


def test_predict_in_a_new_process(trained):
    _, out = trained
    run = subprocess.run(
        [sys.executable, "-m", "nlptut", "predict", str(out), "kata budi pak di medan .", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    answer = json.loads(run.stdout)
    assert answer["words"] == ["kata", "budi", "pak", "di", "medan", "."]
    assert answer["tags"] == ["O", "B-PPL", "I-PPL", "O", "B-PLC", "O"]
    assert answer["chunks"][0] == {"type": "PPL", "text": "budi pak", "start": 1, "end": 3}


def test_plain_predict_shows_words_with_tags_and_the_names(trained, capsys):
    _, out = trained
    assert main(["predict", str(out), "kata siti pak di manado ."]) == 0
    text = capsys.readouterr().out
    assert "siti/B-PPL pak/I-PPL" in text and "PPL: siti pak; PLC: manado" in text


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--max-len", "10"], "--max-len is for classifiers"),
        (["--amp"], "float32"),
        (["--device", "tpu"], "unknown device"),
        (["--device", "cuda"], "CUDA is not available"),
    ],
)
def test_options_that_do_not_apply_get_one_line_errors(
    trained, tmp_path: Path, capsys, extra, words
):
    if extra == ["--device", "cuda"]:
        import torch

        if torch.cuda.is_available():
            pytest.skip("this machine has CUDA")
    data, _ = trained
    code = main(
        ["train", "--dataset", str(data), "--model", "tagger", "--out", str(tmp_path / "x"), *extra]
    )
    err = capsys.readouterr().err
    assert code == 2 and words in err and err.count("\n") == 1
    assert not (tmp_path / "x").exists()


def test_a_classification_dataset_is_refused_for_the_tagger_and_back(
    mirror, tmp_path: Path, capsys
):
    assert (
        main(
            [
                "train",
                "--dataset",
                "dair-emotion",
                "--model",
                "tagger",
                "--out",
                str(tmp_path / "a"),
            ]
        )
        == 2
    )
    assert "load_dataset" in capsys.readouterr().err
    assert (
        main(
            ["train", "--dataset", "indonlu-nerp", "--model", "nbow", "--out", str(tmp_path / "b")]
        )
        == 2
    )
    assert "--model tagger" in capsys.readouterr().err


def test_a_malformed_file_is_named_with_its_line(tmp_path: Path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text(_sentences(20) + "broken line\n", encoding="utf-8")
    assert (
        main(["train", "--dataset", str(bad), "--model", "tagger", "--out", str(tmp_path / "c")])
        == 2
    )
    err = capsys.readouterr().err
    assert "bad.txt, line 141:" in err and "fix:" in err


def test_evaluate_refuses_tags_the_tagger_does_not_know(trained, tmp_path: Path, capsys):
    _, out = trained
    other = tmp_path / "other.txt"
    other.write_text("rendang\tB-FNB\nenak\tO\n", encoding="utf-8")
    assert main(["evaluate", str(out), "--dataset", str(other)]) == 2
    assert "B-FNB" in capsys.readouterr().err


def test_export_refuses_a_tagger_in_one_line(trained, tmp_path: Path, capsys):
    _, out = trained
    assert main(["export", str(out), "--out", str(tmp_path / "t.onnx")]) == 2
    err = capsys.readouterr().err
    assert "a tagger" in err and "Tagger.load" in err and err.count("\n") == 1
