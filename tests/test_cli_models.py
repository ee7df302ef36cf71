"""The command line for models: train, evaluate, predict, and every bad-input case."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nlptut.classifier import TextClassifier
from nlptut.cli import main
from nlptut.datasets import load_dataset
from nlptut.errors import SettingError

ROWS = [
    ("i feel happy and glad today", "joy"),
    ("what a wonderful happy day", "joy"),
    ("i am so glad and joyful", "joy"),
    ("such a cheerful and happy morning", "joy"),
    ("i feel sad and lonely", "sadness"),
    ("this is a sad and gloomy day", "sadness"),
    ("i feel miserable and sad", "sadness"),
    ("lonely and sad all night", "sadness"),
] * 5


@pytest.fixture()
def csv_data(tmp_path: Path) -> Path:
    path = tmp_path / "mine.csv"
    lines = ["text,label"] + [f"{text},{label}" for text, label in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def checkpoint(csv_data: Path, tmp_path: Path) -> Path:
    out = tmp_path / "ckpt"
    code = main(
        ["train", "--dataset", str(csv_data), "--model", "nbow", "--epochs", "3", "--out", str(out)]
    )
    assert code == 0
    return out


def test_train_writes_a_checkpoint(checkpoint: Path, capsys):
    assert sorted(p.name for p in checkpoint.iterdir()) == [
        "config.json",
        "model.safetensors",
        "vocab.json",
    ]


def test_train_json_summary(csv_data: Path, tmp_path: Path, capsys):
    out = tmp_path / "k"
    assert (
        main(
            [
                "train",
                "--dataset",
                str(csv_data),
                "--model",
                "keywords",
                "--out",
                str(out),
                "--json",
            ]
        )
        == 0
    )
    summary = json.loads(capsys.readouterr().out)
    assert summary["model"] == "keywords"
    assert 0.0 <= summary["validation_accuracy"] <= 1.0


def test_train_refuses_existing_dir_without_force(checkpoint: Path, csv_data: Path, capsys):
    before = (checkpoint / "model.safetensors").read_bytes()
    code = main(
        [
            "train",
            "--dataset",
            str(csv_data),
            "--model",
            "nbow",
            "--epochs",
            "1",
            "--out",
            str(checkpoint),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "--force" in err and err.count("\n") == 1
    assert (checkpoint / "model.safetensors").read_bytes() == before
    assert (
        main(
            [
                "train",
                "--dataset",
                str(csv_data),
                "--model",
                "nbow",
                "--epochs",
                "1",
                "--seed",
                "3",
                "--out",
                str(checkpoint),
                "--force",
            ]
        )
        == 0
    )


def test_evaluate_text_and_json(checkpoint: Path, csv_data: Path, capsys):
    assert main(["evaluate", str(checkpoint), "--dataset", str(csv_data)]) == 0
    out = capsys.readouterr().out
    assert "macro-F1" in out and "joy" in out
    assert (
        main(
            [
                "evaluate",
                str(checkpoint),
                "--dataset",
                str(csv_data),
                "--split",
                "validation",
                "--json",
            ]
        )
        == 0
    )
    metrics = json.loads(capsys.readouterr().out)
    assert metrics["split"] == "validation"
    assert {"accuracy", "macro_f1", "report", "confusion"} <= set(metrics)


def test_predict_texts_and_file(checkpoint: Path, tmp_path: Path, capsys):
    texts = tmp_path / "texts.txt"
    texts.write_text("so happy and glad\nsad and lonely\n", encoding="utf-8")
    assert main(["predict", str(checkpoint), "a happy day", "--file", str(texts), "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]
    assert [p["text"] for p in lines] == ["a happy day", "so happy and glad", "sad and lonely"]
    assert all(abs(sum(p["probabilities"].values()) - 1) < 1e-5 for p in lines)


def test_predict_reads_standard_input(checkpoint: Path, monkeypatch, capsys):
    import io

    stdin = io.TextIOWrapper(io.BytesIO(b"so happy and glad\nsad and lonely\n"))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["predict", str(checkpoint), "--file", "-", "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [json.loads(line)["text"] for line in lines] == ["so happy and glad", "sad and lonely"]


def test_predict_reads_a_pipe_and_drops_a_byte_order_mark(checkpoint: Path, tmp_path, capsys):
    import threading

    pipe = tmp_path / "texts.fifo"
    os.mkfifo(pipe)  # as `--file <(cat texts)` or /dev/stdin give

    def write() -> None:
        with open(pipe, "wb") as handle:
            handle.write("\ufeffso happy and glad\nsad and lonely\n".encode())

    writer = threading.Thread(target=write)
    writer.start()
    assert main(["predict", str(checkpoint), "--file", str(pipe), "--json"]) == 0
    writer.join(timeout=30)
    lines = capsys.readouterr().out.strip().splitlines()
    assert [json.loads(line)["text"] for line in lines] == ["so happy and glad", "sad and lonely"]
    assert main(["predict", str(checkpoint), "--file", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_predict_keywords_lists_matched_words(csv_data: Path, tmp_path: Path, capsys):
    out = tmp_path / "rules"
    main(["train", "--dataset", str(csv_data), "--model", "keywords", "--out", str(out)])
    capsys.readouterr()
    assert main(["predict", str(out), "My neighbour won the jackpot! not me."]) == 0
    text = capsys.readouterr().out
    assert "matched:" in text and "jackpot" in text


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["train", "--dataset", "no-such-dataset", "--model", "nbow", "--out", "{tmp}/o"],
            "unknown dataset",
        ),
        (
            [
                "train",
                "--dataset",
                "{csv}",
                "--model",
                "nbow",
                "--out",
                "{tmp}/o",
                "--device",
                "tpu",
            ],
            "unknown device",
        ),
        (["evaluate", "{tmp}/missing", "--dataset", "{csv}"], "no such checkpoint"),
        (["predict", "{ckpt}", "   "], "empty"),
        (["predict", "{ckpt}"], "no text"),
        (["predict", "{ckpt}", "--file", "{tmp}/nope.txt"], "no such file"),
        (["predict", "{ckpt}", "--file", "{tmp}/empty.txt"], "empty"),
        (["predict", "{ckpt}", "--file", "{tmp}/latin1.txt"], "line 2"),
        (["predict", "{ckpt}", "--file", "{tmp}/gap.txt"], "gap.txt, line 2: blank"),
        (["train", "--dataset", "{tmp}/bad.csv", "--model", "nbow", "--out", "{tmp}/o"], "bad.csv"),
        (["train", "--dataset", "{csv}", "--model", "nbow", "--out", "."], "current folder"),
        (
            ["train", "--dataset", "{csv}", "--model", "nbow", "--out", "{tmp}/empty.txt/ck"],
            "is a file, not a folder",
        ),
    ],
)
def test_bad_input_one_line_exit_2(
    argv, message, checkpoint: Path, csv_data: Path, tmp_path: Path, capsys
):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("fine\ncaf\xe9 au lait\n".encode("latin-1"))
    (tmp_path / "bad.csv").write_text("text,label\nonly a text\n", encoding="utf-8")
    (tmp_path / "gap.txt").write_text("one\n\ntwo\n", encoding="utf-8")
    args = [a.format(tmp=tmp_path, csv=csv_data, ckpt=checkpoint) for a in argv]
    capsys.readouterr()
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("nlptut: error:") and err.count("\n") == 1
    assert message in err
    assert not (tmp_path / "o").exists()


def test_unknown_model_is_a_usage_error(csv_data: Path, tmp_path: Path, capsys):
    assert (
        main(["train", "--dataset", str(csv_data), "--model", "gpt", "--out", str(tmp_path / "o")])
        == 2
    )
    assert "invalid choice" in capsys.readouterr().err


def test_errors_have_no_traceback_in_a_real_process(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "nlptut", "predict", str(tmp_path / "none"), "hello"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("nlptut: error:")


@pytest.mark.parametrize(
    ("words", "amp"),
    [([], "auto"), (["--amp"], True), (["--amp", "on"], True), (["--amp", "off"], False)],
)
def test_train_amp_choice_is_recorded(csv_data: Path, tmp_path: Path, capsys, words, amp):
    from nlptut.precision import choose_precision

    out = tmp_path / "ck"
    args = ["train", "--dataset", str(csv_data), "--model", "nbow", "--epochs", "1"]
    assert main([*args, "--out", str(out), "--json", *words]) == 0
    summary = json.loads(capsys.readouterr().out)
    chosen = choose_precision(amp, "cpu", model="nbow")  # per model kind
    assert summary["precision"] == chosen.reason
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert config["info"]["train"]["amp"] == amp
    assert config["info"]["precision"] == chosen.reason


def test_train_amp_refuses_other_words(csv_data: Path, tmp_path: Path, capsys):
    args = ["train", "--dataset", str(csv_data), "--model", "nbow", "--out", str(tmp_path / "o")]
    assert main([*args, "--amp", "fast"]) == 2
    assert "invalid choice: 'fast'" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_evaluate_scores_a_whole_file_unless_a_split_is_asked_for(
    checkpoint: Path, csv_data: Path, tmp_path: Path, capsys
):
    reordered = tmp_path / "joy-first.csv"  # other label order, and one label only
    reordered.write_text(
        "label,text\n" + "".join(f"joy,{t}\n" for t, y in ROWS if y == "joy"), encoding="utf-8"
    )
    assert main(["evaluate", str(checkpoint), "--dataset", str(reordered), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["split"] == "all rows" and result["support"] == 20
    assert main(["evaluate", str(checkpoint), "--dataset", str(csv_data), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["support"] == len(ROWS)
    assert main(["evaluate", str(checkpoint), "--dataset", str(csv_data), "--split", "test"]) == 0
    assert "(test, 4 examples)" in capsys.readouterr().out


@pytest.mark.parametrize("seed", ["-1", "4294967296", "abc"])
def test_a_seed_numpy_cannot_take_is_a_usage_error(csv_data: Path, tmp_path: Path, capsys, seed):
    args = ["train", "--dataset", str(csv_data), "--model", "nbow", "--out", str(tmp_path / "o")]
    assert main([*args, "--seed", seed]) == 2
    err = capsys.readouterr().err
    assert "argument --seed" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_a_data_cache_that_is_a_file_is_one_line(tmp_path: Path, monkeypatch, capsys):
    cache = tmp_path / "cache"
    cache.write_text("not a folder")
    monkeypatch.setenv("NLPTUT_DATA", str(cache))
    assert main(["fetch", "dair-emotion"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nlptut: error:") and "point NLPTUT_DATA at a folder" in err


def test_an_empty_home_does_not_put_the_cache_at_the_root(monkeypatch):
    from nlptut import config

    monkeypatch.delenv("NLPTUT_DATA", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", "")
    home = config.data_home()
    assert home.is_absolute() and home.parts[1:3] != (".cache", "nlptut")


def test_a_full_disk_while_saving_is_one_line_and_leaves_nothing(
    csv_data: Path, tmp_path: Path, monkeypatch, capsys
):
    import errno

    from nlptut import classifier

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "model.safetensors")

    monkeypatch.setattr(classifier, "save_file", full_disk)
    out = tmp_path / "ck"
    args = ["train", "--dataset", str(csv_data), "--model", "nbow", "--epochs", "1"]
    assert main([*args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == "nlptut: error: No space left on device: model.safetensors\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.csv"]  # no checkpoint, no temp


def test_a_file_name_that_is_not_utf8_is_one_line(tmp_path: Path, capsys):
    name = os.fsdecode(b"bad\xffname.csv")
    (tmp_path / name).write_text("text,label\n", encoding="utf-8")
    args = ["train", "--dataset", str(tmp_path / name), "--model", "nbow"]
    assert main([*args, "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nlptut: error:") and err.count("\n") == 1
    assert "bad\\xffname.csv" in err


def test_labels_that_differ_in_case_warn_in_one_line(tmp_path: Path, capsys):
    path = tmp_path / "cased.csv"
    rows = [(text, label.upper() if i % 2 else label) for i, (text, label) in enumerate(ROWS)]
    path.write_text("text,label\n" + "".join(f"{t},{y}\n" for t, y in rows), encoding="utf-8")
    args = ["train", "--dataset", str(path), "--model", "keywords", "--out", str(tmp_path / "k")]
    assert main(args) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "nlptut: warning: cased.csv: labels that differ only in upper and lower case are "
        "different classes: 'JOY', 'joy'; 'SADNESS', 'sadness'; fix the file if each group is "
        "one label"
    ]


def test_train_max_len_is_kept_and_long_texts_are_counted(csv_data: Path, tmp_path: Path, capsys):
    out = tmp_path / "short"
    args = ["train", "--dataset", str(csv_data), "--model", "nbow", "--epochs", "1"]
    assert main([*args, "--max-len", "4", "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["max_len"] == 4
    assert summary["training_texts_cut"] > 0  # most rows have 5 or 6 words
    assert json.loads((out / "config.json").read_text(encoding="utf-8"))["max_len"] == 4
    assert main([*args, "--max-len", "0", "--out", str(tmp_path / "zero")]) == 2
    assert "--max-len" in capsys.readouterr().err


def test_max_len_has_the_same_bound_at_training_as_at_loading(
    csv_data: Path, tmp_path: Path, capsys
):
    # a checkpoint that trains must load: predict refuses max_len above 100,000
    args = ["train", "--dataset", str(csv_data), "--model", "nbow", "--epochs", "1"]
    assert main([*args, "--max-len", "1000000000", "--out", str(tmp_path / "huge")]) == 2
    err = capsys.readouterr().err.strip()
    assert "--max-len" in err and "at most 100,000" in err and not (tmp_path / "huge").exists()
    assert main([*args, "--max-len", "100000", "--out", str(tmp_path / "most")]) == 0
    assert main(["predict", str(tmp_path / "most"), "so glad"]) == 0
    with pytest.raises(SettingError, match="from 1 to 100000"):
        TextClassifier.fit(load_dataset(csv_data), "nbow", epochs=1, max_len=100_001)


def test_predict_warns_in_one_line_when_a_text_is_cut(checkpoint: Path, capsys):
    long_text = " ".join(["happy"] * 70)
    assert main(["predict", str(checkpoint), "so glad", long_text]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("nlptut: warning: 1 of 2 texts have more than 64")
    assert "text 2" in err[0] and "--max-len" in err[0]
    main(["predict", str(checkpoint), "so glad"])
    assert capsys.readouterr().err == ""


def _strict_json(text: str):
    """Parse as standard JSON: NaN and Infinity are not JSON (JSON.parse refuses them)."""

    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def test_keywords_on_labels_without_word_lists_is_one_line(tmp_path: Path, capsys):
    reviews = tmp_path / "reviews.csv"
    rows = ["text,label"] + [f"great product number {i},pos" for i in range(20)]
    rows += [f"broken on arrival {i},neg" for i in range(20)]
    reviews.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code = main(
        ["train", "--dataset", str(reviews), "--model", "keywords", "--out", str(tmp_path / "k")]
    )
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "keywords" in err and "--model nbow" in err and "Traceback" not in err
    assert not (tmp_path / "k").exists()


def test_json_output_is_standard_json_without_nan(csv_data: Path, tmp_path: Path, capsys):
    out = tmp_path / "rules"
    assert (
        main(["train", "--dataset", str(csv_data), "--model", "keywords", "--out", str(out)]) == 0
    )
    capsys.readouterr()
    assert main(["evaluate", str(out), "--dataset", str(csv_data), "--json"]) == 0
    summary = _strict_json(capsys.readouterr().out)  # keywords have no loss: null, not NaN
    assert summary["loss"] is None and summary["accuracy"] > 0.5


def test_a_closed_pipe_ends_quietly(csv_data: Path, tmp_path: Path):
    out = tmp_path / "rules"
    assert (
        main(["train", "--dataset", str(csv_data), "--model", "keywords", "--out", str(out)]) == 0
    )
    many = tmp_path / "many.txt"
    many.write_text("i feel happy and glad today\n" * 20000, encoding="utf-8")
    reader = subprocess.Popen(
        [sys.executable, "-m", "nlptut", "predict", str(out), "--file", str(many)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    reader.stdout.readline()  # like `| head -1`: read one line, then go away
    reader.stdout.close()
    _, err = reader.communicate(timeout=120)
    assert reader.returncode == 141, err.decode()
    assert err.decode() == ""


def test_jsonout_writes_null_for_every_non_number():
    from nlptut.jsonout import dumps

    text = dumps({"a": float("nan"), "b": [1.0, float("inf")], "c": (float("-inf"),), "d": "x"})
    assert _strict_json(text) == {"a": None, "b": [1.0, None], "c": [None], "d": "x"}


# %% --augment: extra texts in the training split only ----------------------


def _pairs_file(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "pairs.tsv"
    path.write_text("text_a\tlabel_a\ttext_b\tlabel_b\n" + "".join(rows), encoding="utf-8")
    return path


def test_train_augment_adds_texts_and_records_the_file(csv_data: Path, tmp_path: Path, capsys):
    import hashlib

    pairs = _pairs_file(
        tmp_path,
        ["we all won, me too\tjoy\twe all won, but not me\tsadness\n"] * 3,
    )
    out = tmp_path / "aug"
    args = ["train", "--dataset", str(csv_data), "--model", "nbow", "--epochs", "1"]
    assert main([*args, "--augment", str(pairs), "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    record = {
        "file": "pairs.tsv",
        "sha256": hashlib.sha256(pairs.read_bytes()).hexdigest(),
        "kind": "pairs",
        "texts": 6,
    }
    assert summary["augment"] == record
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert config["info"]["augment"] == record
    plain = tmp_path / "plain"
    assert main([*args, "--out", str(plain), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["training_texts"] == summary["training_texts"] - 6


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (["good\tjoy\tbad\tlove\n"], "label 'love' of text 2 is not one of mine's labels"),
        (["good\tjoy\tbad\n"], "pairs.tsv, line 2: expected 4 tab-separated columns, found 3"),
        ([], "pairs.tsv: the file has no pairs"),
    ],
)
def test_train_augment_refuses_a_bad_file_in_one_line(
    csv_data: Path, tmp_path: Path, capsys, rows, message
):
    pairs = _pairs_file(tmp_path, rows)
    out = tmp_path / "aug"
    code = main(
        ["train", "--dataset", str(csv_data), "--model", "nbow", "--augment", str(pairs)]
        + ["--out", str(out)]
    )
    err = capsys.readouterr().err
    assert code != 0 and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_train_augment_builtin_needs_the_five_emotions(csv_data: Path, tmp_path: Path, capsys):
    code = main(
        ["train", "--dataset", str(csv_data), "--model", "keywords", "--augment", "builtin"]
        + ["--out", str(tmp_path / "k")]
    )
    err = capsys.readouterr().err
    assert code != 0 and "is not one of mine's labels (joy, sadness)" in err
    assert len(err.strip().splitlines()) == 1


def test_train_augment_reaches_minilm(csv_data: Path, tmp_path: Path, monkeypatch):
    pytest.importorskip("transformers")
    from nlptut.finetuned import FinetunedClassifier

    seen = {}

    def fake_fit(data, **kwargs):
        seen["train"] = data["train"].texts
        raise SystemExit(0)

    monkeypatch.setattr(FinetunedClassifier, "fit", staticmethod(fake_fit))
    pairs = _pairs_file(tmp_path, ["we all won, me too\tjoy\twe all won, but not me\tsadness\n"])
    with pytest.raises(SystemExit):
        main(
            ["train", "--dataset", str(csv_data), "--model", "minilm", "--augment", str(pairs)]
            + ["--out", str(tmp_path / "m")]
        )
    assert seen["train"][-2:] == ["we all won, me too", "we all won, but not me"]


def test_train_augment_is_refused_for_the_tagger(tmp_path: Path, capsys):
    conll = tmp_path / "tags.conll"
    conll.write_text("Budi\tB-PER\npergi\tO\n\n", encoding="utf-8")
    code = main(
        ["train", "--dataset", str(conll), "--model", "tagger", "--augment", "builtin"]
        + ["--out", str(tmp_path / "t")]
    )
    assert code != 0 and "leave it out for --model tagger" in capsys.readouterr().err


def test_a_file_name_that_is_not_utf8_trains_and_saves(csv_data: Path, tmp_path: Path, capsys):
    odd = tmp_path / os.fsdecode(b"caf\xe9-tweets.csv")  # a Latin-1 name on a UTF-8 system
    try:
        odd.write_bytes(csv_data.read_bytes())
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    out = tmp_path / "model"
    args = ["train", "--dataset", str(odd), "--model", "nbow", "--epochs", "1", "--out", str(out)]
    assert main([*args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["dataset"] == "caf\ufffd-tweets"
    manifest = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert manifest["info"]["dataset"] == "caf\ufffd-tweets"
    assert main(["predict", str(out), "so glad"]) == 0


@pytest.mark.parametrize("json_output", [False, True])
def test_an_ascii_terminal_gets_escapes_not_a_traceback(checkpoint: Path, json_output):
    args = ["predict", str(checkpoint), *(["--json"] if json_output else []), "so glad \U0001f600"]
    done = subprocess.run(
        [sys.executable, "-m", "nlptut", *args],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    out = done.stdout.decode("ascii")
    if json_output:
        assert json.loads(out)["text"] == "so glad \U0001f600"
    else:
        assert "\\U0001f600" in out
