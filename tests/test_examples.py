"""Every gallery example runs end to end in quick mode (NLPTUT_QUICK=1).

This is the smoke test that keeps the tutorials working between docs builds.
Each script runs in its own interpreter, as a reader would run it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SCRIPTS = sorted(EXAMPLES.rglob("*.py"))
# The environment as the test run started, before fixtures point NLPTUT_DATA at
# a temporary folder: examples share the developer's dataset cache (or mirror).
_START_ENV = dict(os.environ)


def test_there_are_examples():
    assert SCRIPTS, f"no gallery scripts found under {EXAMPLES}"


@pytest.mark.slow
@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_example_runs_in_quick_mode(script: Path, tmp_path: Path):
    env = {
        **_START_ENV,
        "NLPTUT_QUICK": "1",
        "MPLBACKEND": "Agg",
        "HF_HUB_OFFLINE": "1",
    }
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, (
        f"{script.name} failed in quick mode:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
    )
