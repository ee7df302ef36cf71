"""Run one downloaded notebook top to bottom, as a reader would in a fresh environment.

Usage: python .ci/run_notebook.py NOTEBOOK.ipynb

The notebook's first code cell installs nlptut with ``%pip install "nlptut[...]
@ git+https://github.com/..."``. CI has no access to GitHub, so that one URL is
pointed at this checkout (``@ file://...``), with the same extras; everything
else, the install included, runs as written, in the kernel of the Python that
runs this script (a fresh virtual environment in ``nox -s notebook``). Exits
with 1, printing the failing cell and its error, if any cell fails.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
INSTALL = re.compile(r'%pip install "(nlptut\[[a-z,]+\]) @ git\+https://[^"]+"')


def main(path: Path) -> int:
    nb = nbformat.read(path, as_version=4)
    first = next(cell for cell in nb.cells if cell.cell_type == "code")
    found = INSTALL.search(first.source)
    if not found:
        print(f"{path}: the first code cell does not install nlptut from GitHub:\n{first.source}")
        return 1
    first.source = INSTALL.sub(f'%pip install "{found.group(1)} @ {ROOT.as_uri()}"', first.source)
    print(f"install cell, pointed at this checkout: {first.source.splitlines()[-1]}")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as work:
        client = NotebookClient(
            nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": work}}
        )
        try:
            client.execute()
        except CellExecutionError as error:
            seconds = time.perf_counter() - started
            print(f"{path.name}: a cell failed after {seconds:.0f} s:\n{error}")
            return 1
    cells = sum(cell.cell_type == "code" for cell in nb.cells)
    print(f"{path.name}: {cells} code cells ran in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1])))
