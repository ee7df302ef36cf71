"""The CI's reader of sphinx-gallery's execution times (.ci/gallery_times.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / ".ci" / "gallery_times.py"
spec = importlib.util.spec_from_file_location("gallery_times", SCRIPT)
gallery_times = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gallery_times)

# The shape sphinx-gallery 0.22 writes (docs/sg_execution_times.rst), trimmed.
TEMPLATE = """
Computation times
=================
**{total}** total execution time for 2 files **from all galleries**:

.. container::

  .. list-table::
   :header-rows: 1
   :class: table table-striped sg-datatable

   * - Example
     - Time
     - Mem (MB)
   * - :ref:`sphx_glr_auto_examples_a_plot_01_x.py` (``../examples/a/plot_01_x.py``)
     - {first}
     - 0.0
   * - :ref:`sphx_glr_auto_examples_b_plot_02_y.py` (``../examples/b/plot_02_y.py``)
     - {second}
     - 12.5
"""


def write(tmp_path: Path, first: str, second: str) -> Path:
    path = tmp_path / "sg_execution_times.rst"
    path.write_text(TEMPLATE.format(total="00:00.000", first=first, second=second))
    return path


def test_reads_every_row_in_seconds(tmp_path):
    times = gallery_times.read_times(write(tmp_path, "00:42.500", "01:03.250"))
    assert times == {"../examples/a/plot_01_x.py": 42.5, "../examples/b/plot_02_y.py": 63.25}


def test_flags_slow_pages_but_passes_within_twice_the_budget(tmp_path, capsys):
    assert gallery_times.main([str(write(tmp_path, "00:42.500", "01:03.250"))]) == 0
    out = capsys.readouterr().out
    assert "OVER the 60 s page budget" in out
    assert out.index("plot_02_y.py") < out.index("plot_01_x.py")  # slowest first
    assert "total (2 pages)" in out and "105.8" in out


@pytest.mark.parametrize(("first", "code"), [("07:59.000", 0), ("16:00.000", 1)])
def test_fails_only_over_twice_the_gallery_budget(tmp_path, capsys, first, code):
    assert gallery_times.main([str(write(tmp_path, first, "01:00.000"))]) == code
    if code:
        assert "FAILED" in capsys.readouterr().out


def test_missing_or_empty_file_fails(tmp_path, capsys):
    assert gallery_times.main([str(tmp_path / "none.rst")]) == 1
    empty = tmp_path / "empty.rst"
    empty.write_text("nothing here\n")
    assert gallery_times.main([str(empty)]) == 1
