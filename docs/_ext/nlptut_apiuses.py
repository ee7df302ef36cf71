"""On each API page, the tutorials that use the module: "Used in these tutorials".

sphinx-gallery records, while it runs the tutorials, which documented
functions and classes each one calls (its backreferences,
``gen_modules/backreferences/backreferences_all.json``, with
``doc_module = ("nlptut",)``). This extension reads that record when a
module's API page (``generated/nlptut.<module>``, written by autosummary) is
read, and appends a short section listing, in the gallery's order, the
tutorials that use anything the module defines (a name re-exported by
``nlptut`` counts for the module that defines it, and a package's page, such
as ``nlptut.datasets``, counts the modules inside it). A plain list of links,
not sphinx-gallery's thumbnails: an API page stays light.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from nlptut_gallery import _gallery, tutorials

PREFIX = "generated/nlptut."


def _defining_module(name: str) -> str | None:
    """The module that defines the object ``name`` (``"nlptut.Batch"`` -> ``"nlptut.text"``)."""
    parts = name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return None
        return getattr(obj, "__module__", None)
    return None


def users_by_module(app: Any) -> dict[str, set[str]]:
    """``{module: [tutorial file names]}`` from sphinx-gallery's backreferences."""
    record = Path(app.srcdir) / "gen_modules" / "backreferences" / "backreferences_all.json"
    if not record.is_file():
        return {}
    users: dict[str, set[str]] = {}
    for name, examples in json.loads(record.read_text(encoding="utf-8")).items():
        module = _defining_module(name)
        if module and module.startswith("nlptut"):
            users.setdefault(module, set()).update(example[0] for example in examples)
    return users


def on_source_read(app: Any, docname: str, source: list[str]) -> None:
    if not docname.startswith(PREFIX):
        return
    module = docname.removeprefix("generated/")
    if "nlptut_api_users" not in app.env.temp_data:  # read once per build
        app.env.temp_data["nlptut_api_users"] = users_by_module(app)
    users = app.env.temp_data["nlptut_api_users"]
    # a package's page (nlptut.datasets) counts the modules inside it (nlptut.datasets.loading)
    files = set().union(
        *(f for name, f in users.items() if name == module or name.startswith(module + "."))
    )
    if not files:
        return
    _, gallery = _gallery(app)
    links = [
        f"* :doc:`/{gallery}/{t.section}/{t.stem}`"
        for t in tutorials(app)
        if f"{t.stem}.py" in files
    ]
    if links:
        title = "Used in these tutorials"
        source[0] += "\n\n" + "\n".join([title, "-" * len(title), "", *links, ""])


def setup(app: Any) -> dict[str, Any]:
    app.connect("source-read", on_source_read)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
