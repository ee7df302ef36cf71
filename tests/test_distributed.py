"""Training on several processes: sharded batches, and torchrun runs of ``nlptut train``.

The torchrun tests start real processes that talk through gloo on 127.0.0.1,
as a reader's ``torchrun --nproc-per-node 2 -m nlptut train ...`` does.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from nlptut import distributed
from nlptut.distributed import Context, ShardedBatches
from nlptut.text import BucketBatchSampler

WORDS = {
    "joy": ["happy", "glad", "delighted", "cheerful", "great"],
    "sadness": ["sad", "lonely", "miserable", "gloomy", "down"],
    "anger": ["angry", "furious", "annoyed", "mad", "irritated"],
}


@pytest.fixture(scope="module")
def tiny_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 short labelled texts, each with a word that gives its emotion away."""
    rng = random.Random(0)
    lines = ["text\tlabel"]
    for i in range(300):
        label = list(WORDS)[i % 3]
        filler = " ".join(
            rng.choice(["today", "i", "feel", "so", "really", "am"]) for _ in range(4)
        )
        lines.append(f"{filler} {rng.choice(WORDS[label])}\t{label}")
    path = tmp_path_factory.mktemp("ddp") / "tiny.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env() -> dict[str, str]:
    return {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONUNBUFFERED": "1"}


def _train_args(data: Path, out: Path) -> list[str]:
    args = ["-m", "nlptut", "train", "--dataset", str(data), "--model", "nbow"]
    return args + ["--epochs", "2", "--amp", "off", "--out", str(out), "--json"]


def _torchrun(*launcher: str) -> list[str]:
    return [sys.executable, "-m", "torch.distributed.run", *launcher]


def _weights_sha(folder: Path) -> str:
    return hashlib.sha256((folder / "model.safetensors").read_bytes()).hexdigest()


def _run(cmd: list[str]) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, env=_env(), capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-4000:]
    return result


# -- sharing a batch ----------------------------------------------------------


def test_shards_split_every_batch_between_the_processes():
    sampler = BucketBatchSampler([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5], batch_size=4, seed=1)
    whole = list(BucketBatchSampler([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5], batch_size=4, seed=1))
    shares = [list(ShardedBatches(whole, rank, 2)) for rank in range(2)]
    assert len(shares[0]) == len(shares[1]) == len(whole) == len(ShardedBatches(sampler, 0, 2))
    for batch, first, second in zip(whole, *shares, strict=True):
        assert sorted(first + second) == sorted(batch)  # each example once, in its own batch


def test_a_batch_smaller_than_the_processes_is_repeated_so_every_process_steps():
    shares = [list(ShardedBatches([[5, 6, 7], [8]], rank, 3)) for rank in range(3)]
    assert shares == [[[5], [8]], [[6], [8]], [[7], [8]]]
    assert list(ShardedBatches([[8]], 1, 3, pad=False)) == []


def test_bad_rank_is_refused():
    with pytest.raises(ValueError, match="rank"):
        ShardedBatches([[1]], 2, 2)


def test_one_process_needs_no_launcher(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    ctx = distributed.setup()
    assert ctx == Context() and ctx.is_main and not ctx.active
    assert not distributed.launched()


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({"WORLD_SIZE": "abc"}, "WORLD_SIZE='abc' is not a whole number"),
        ({"WORLD_SIZE": "2"}, "RANK, LOCAL_RANK, MASTER_ADDR, MASTER_PORT are not set"),
        ({"WORLD_SIZE": "2", "RANK": "0", "LOCAL_RANK": "0"}, "MASTER_ADDR, MASTER_PORT are"),
    ],
    ids=["not a number", "no launcher", "no rendezvous"],
)
def test_a_launcher_setting_without_the_launcher_is_one_line(
    tiny_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, env, words
):
    from nlptut.cli import main

    for name in ("WORLD_SIZE", "RANK", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    out = tmp_path / "m"
    args = ["train", "--dataset", str(tiny_file), "--model", "nbow", "--epochs", "1"]
    assert main([*args, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and words in err and "torchrun" in err
    assert not out.exists()


# -- torchrun -----------------------------------------------------------------


@pytest.mark.slow
def test_torchrun_two_processes_train_one_model_that_predict_loads(tiny_file: Path, tmp_path):
    out = tmp_path / "ddp"
    cmd = _torchrun("--nproc-per-node", "2", "--master-port", str(_free_port()))
    summary = json.loads(_run(cmd + _train_args(tiny_file, out)).stdout)
    assert summary["processes"] == 2 and summary["backend"] == "gloo"
    assert summary["batch_size"] == 32 and summary["batch_per_process"] == 16
    assert summary["validation_accuracy"] > 0.6  # the give-away words are learned
    predicted = _run([sys.executable, "-m", "nlptut", "predict", str(out), "--json", "so glad"])
    assert json.loads(predicted.stdout)["label"] == "joy"
    # the same seed on the same processes gives the same weights
    again = tmp_path / "again"
    _run(
        _torchrun("--nproc-per-node", "2", "--master-port", str(_free_port()))
        + _train_args(tiny_file, again)
    )
    assert _weights_sha(again) == _weights_sha(out)


@pytest.mark.slow
def test_two_machines_train_one_model_through_a_rendezvous(tiny_file: Path, tmp_path: Path):
    """Two torchrun agents, one process each, meet at 127.0.0.1 as two 'machines' would."""
    port = _free_port()
    launcher = ["--nnodes", "2", "--nproc-per-node", "1", "--rdzv-backend", "c10d"]
    launcher += ["--rdzv-endpoint", f"127.0.0.1:{port}", "--rdzv-id", "nlptut-test"]
    out = tmp_path / "two-nodes"
    agents = [
        subprocess.Popen(
            _torchrun(*launcher) + _train_args(tiny_file, out),
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [agent.communicate(timeout=240) for agent in agents]
    for agent, (_, err) in zip(agents, outputs, strict=True):
        assert agent.returncode == 0, err[-4000:]
    summaries = [json.loads(stdout) for stdout, _ in outputs if stdout.strip()]
    assert len(summaries) == 1  # only rank 0 reports and writes
    assert summaries[0]["processes"] == 2
    # two machines of one process each train the same model as one machine of two
    same = tmp_path / "one-node"
    _run(
        _torchrun("--nproc-per-node", "2", "--master-port", str(_free_port()))
        + _train_args(tiny_file, same)
    )
    assert _weights_sha(out) == _weights_sha(same)
