"""How each executed page was made: run time, peak memory, software, hardware, data.

Every page that runs code when the site is built ends with a box "How this
page was made". The numbers come from two places:

Gallery tutorials (sphinx-gallery)
    sphinx-gallery runs every example inside the Sphinx process. Two hooks of
    its configuration measure it:

    * ``show_memory`` is :class:`PeakMemory`: sphinx-gallery calls it around
      each code block of an example and keeps the largest value; it also calls
      it once with a no-op before the first block and subtracts that value.
      Before each block we reset the kernel's peak resident set size of the
      process (Linux: writing ``5`` to ``/proc/self/clear_refs`` resets
      ``VmHWM`` in ``/proc/self/status``) and read it after the block. So the
      "Estimated memory usage" sphinx-gallery prints, and the peak memory in
      our box, is the largest resident memory of the build process while the
      example's code ran, minus its resident memory just before the example
      started: the extra memory the example needed, measured by the kernel,
      including PyTorch's C++ allocations that :mod:`tracemalloc` cannot see.
      Memory that an earlier example freed but the allocator kept may be
      reused, so the increase can read a little low, never high. Programs the
      example starts (``python -m nlptut train ...``) are separate processes:
      their peak is shown only when it sets a new high for the build's finished
      subprocesses (``getrusage(RUSAGE_CHILDREN)``, which never decreases).
      Where the peak cannot be reset (not Linux), no memory is reported at all.
    * ``reset_modules`` includes :func:`record_example`, called before and
      after each example (``reset_modules_order = "both"``). Before, it notes
      the time and which data files were loaded so far (see
      :func:`nlptut.datasets.loaded_files`) and points
      ``NLPTUT_PROVENANCE_LOG`` at a fresh file, so that files loaded by
      subprocesses (``python -m nlptut train ...``) are recorded too. After, it
      reads the run time and memory sphinx-gallery measured (its cost cache,
      ``<example>.cost.json``) and writes ``<example>.provenance.json`` next
      to the generated page.

MyST pages (myst-nb)
    Two hidden cells are added to each executed MyST notebook when it is read:
    the first resets the peak resident memory of the notebook's kernel and
    notes the time; the last writes ``<provenance_dir>/<docname>.json``. The
    memory is then the peak resident memory of the whole kernel process while
    the page ran (Python, imported libraries and data). The cells are part of
    the cached notebook, so a page whose outputs come from the execution cache
    shows the numbers of the run that made those outputs.

A ``nlptut-provenance`` directive marks where the box goes (it is added to
every executed page automatically); when the doctree is read, the marker is
replaced by the box, or dropped when the page shows no outputs of a recorded
run (a gallery page rewritten without executing, e.g. with ``plot_gallery=0``
after its script changed; a notebook not executed, ``nb_execution_mode=off``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import re
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sphinx.locale import _  # the box's words in the edition's language (locale/*/sphinx.po)

LOG_ENV = "NLPTUT_PROVENANCE_LOG"  # = nlptut.datasets.PROVENANCE_LOG_ENV
_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


# %% Measuring (no Sphinx needed: this part also runs inside notebook kernels) --


def _status_kib(field: str) -> int | None:
    try:
        match = re.search(rf"^{field}:\s+(\d+) kB", _STATUS.read_text(), re.MULTILINE)
    except OSError:
        return None
    return int(match.group(1)) if match else None


def reset_peak() -> bool:
    """Reset the process's peak resident memory (Linux); return whether it worked."""
    try:
        with open(_CLEAR_REFS, "w") as f:
            f.write("5")
    except OSError:
        return False
    return True


def peak_mb() -> float | None:
    """Return the peak resident memory since the last :func:`reset_peak`, in MB (10^6 B)."""
    kib = _status_kib("VmHWM")
    return None if kib is None else kib * 1024 / 1e6


def can_measure_peak() -> bool:
    """Whether this platform lets us reset and read the peak resident memory."""
    return peak_mb() is not None and reset_peak()


class PeakMemory:
    """sphinx-gallery ``show_memory`` callable: peak resident MB while ``func`` runs.

    sphinx-gallery calls it as ``mem, retval = call_memory(func)``.
    """

    def __init__(self) -> None:
        self.highest = 0.0  # the largest value seen since the last example began

    def __call__(self, func: Any) -> tuple[float, Any]:
        reset_peak()
        out = func()
        peak = peak_mb() or 0.0
        self.highest = max(self.highest, peak)
        return peak, out

    # one instance is as good as another: keeps Sphinx's comparison of the
    # configuration between builds stable (no spurious "config changed")
    def __eq__(self, other: object) -> bool:
        return isinstance(other, PeakMemory)

    def __hash__(self) -> int:
        return hash(PeakMemory)

    def __repr__(self) -> str:
        return "nlptut_provenance.PeakMemory()"


PEAK_MEMORY = PeakMemory()


def environment() -> dict[str, Any]:
    """Software and hardware facts of this process."""
    facts: dict[str, Any] = {
        "python": platform.python_version(),
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
    }
    try:
        import nlptut

        facts["nlptut"] = nlptut.__version__
    except Exception:  # pragma: no cover - the docs always have nlptut
        pass
    try:
        import torch

        facts["torch"] = torch.__version__
        facts["torch_threads"] = torch.get_num_threads()
        if torch.cuda.is_available():
            facts["gpu"] = torch.cuda.get_device_name(0)
            facts["cuda"] = torch.version.cuda
    except Exception:  # pragma: no cover - torch is a dependency of nlptut
        pass
    try:
        from nlptut.precision import choose_precision

        device = "cuda" if facts.get("gpu") else "cpu"
        facts["precision"] = choose_precision("auto", device).reason
    except Exception:  # pragma: no cover - an older nlptut without the policy
        pass
    return facts


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def _children_peak_kib() -> int:
    """Largest peak resident memory of any finished subprocess so far (KiB, Linux)."""
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def _loaded_count() -> int:
    from nlptut.datasets import loaded_files

    return len(loaded_files())


def _datasets_since(count: int, log: str | None) -> list[dict[str, str]]:
    """The data files loaded since ``count`` files were recorded, plus those in ``log``."""
    from nlptut.datasets import loaded_files

    found = [
        {"dataset": f.dataset, "split": f.split, "file": f.path.name, "sha256": f.sha256}
        for f in loaded_files()[count:]
    ]
    if log and os.path.exists(log):
        with open(log, encoding="utf-8") as f:
            for line in f:
                try:
                    item = json.loads(line)
                except ValueError:
                    continue
                found.append(
                    {
                        "dataset": item["dataset"],
                        "split": item["split"],
                        "file": Path(item["path"]).name,
                        "sha256": item["sha256"],
                    }
                )
    unique: dict[tuple[str, ...], dict[str, str]] = {}
    for item in found:
        unique.setdefault(tuple(item.values()), item)
    return list(unique.values())


def _new_log() -> str:
    fd, path = tempfile.mkstemp(prefix="nlptut-provenance-", suffix=".jsonl")
    os.close(fd)
    return path


def _end_log(path: str | None) -> None:
    if os.environ.get(LOG_ENV) == path:
        os.environ.pop(LOG_ENV, None)
    if path:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _write_json(path: Path, record: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# %% Notebook kernels (MyST pages) ---------------------------------------------

_KERNEL: dict[str, Any] = {}


def kernel_start() -> None:
    """First hidden cell of a MyST page: note the time, reset the peak memory."""
    _KERNEL.update(
        start=time.perf_counter(),
        executed=_now(),
        loaded=_loaded_count(),
        log=_new_log(),
        peak=reset_peak(),
    )
    os.environ[LOG_ENV] = _KERNEL["log"]


def kernel_finish(json_path: str) -> None:
    """Last hidden cell of a MyST page: write the page's provenance record."""
    seconds = time.perf_counter() - _KERNEL["start"]
    record = {
        "kind": "notebook",
        "executed": _KERNEL["executed"],
        "seconds": seconds,
        "peak_mb": peak_mb() if _KERNEL["peak"] else None,
        "datasets": _datasets_since(_KERNEL["loaded"], _KERNEL["log"]),
        **environment(),
    }
    _end_log(_KERNEL["log"])
    _write_json(Path(json_path), record)


# %% Gallery examples (sphinx-gallery) -----------------------------------------

_EXAMPLE: dict[str, Any] = {}


def _target_file(gallery_conf: dict[str, Any], fname: str) -> Path | None:
    """The example's copy in the gallery output folder (``<gallery>/<section>/<fname>``)."""
    frame = sys._getframe(1)
    while frame is not None:  # sphinx-gallery's generate_file_rst holds it
        target = frame.f_locals.get("target_file")
        if frame.f_code.co_name == "generate_file_rst" and target is not None:
            return Path(target)
        frame = frame.f_back
    src = Path(gallery_conf["src_dir"])
    dirs = gallery_conf["gallery_dirs"]
    dirs = [dirs] if isinstance(dirs, str) else dirs
    matches = [p for d in dirs for p in (src / d).rglob(Path(fname).name)]
    return matches[0] if len(matches) == 1 else None


def record_example(gallery_conf: dict[str, Any], fname: str | None, when: str) -> None:
    """sphinx-gallery ``reset_modules`` callable: record an example's provenance."""
    if fname is None:
        return
    if when == "before":
        _end_log(_EXAMPLE.get("log"))
        _EXAMPLE.clear()
        _EXAMPLE.update(
            fname=fname,
            started=time.time(),
            executed=_now(),
            loaded=_loaded_count(),
            log=_new_log(),
            children=_children_peak_kib(),
        )
        os.environ[LOG_ENV] = _EXAMPLE["log"]
        PEAK_MEMORY.highest = 0.0
        return
    if _EXAMPLE.get("fname") != fname:
        return
    target = _target_file(gallery_conf, fname)
    log = _EXAMPLE.get("log")
    try:
        if target is None:
            return
        out = target.with_name(target.stem + ".provenance.json")
        cost_file = target.with_name(target.stem + ".cost.json")
        # sphinx-gallery writes its cost cache only when the example passed
        if not cost_file.is_file() or cost_file.stat().st_mtime < _EXAMPLE["started"] - 1:
            out.unlink(missing_ok=True)
            return
        cost = json.loads(cost_file.read_text(encoding="utf-8"))
        measured = bool(gallery_conf.get("show_memory"))
        children = _children_peak_kib()  # grows only if a subprocess set a new high
        record = {
            "kind": "gallery",
            "executed": _EXAMPLE["executed"],
            "seconds": float(cost["time"]),
            "memory_increase_mb": float(cost["memory"]) if measured else None,
            "peak_mb": PEAK_MEMORY.highest if measured else None,
            "subprocess_peak_mb": (
                children * 1024 / 1e6 if measured and children > _EXAMPLE["children"] else None
            ),
            "source_sha256": sha256_of(target),
            "datasets": _datasets_since(_EXAMPLE["loaded"], log),
            **environment(),
        }
        _write_json(out, record)
    finally:
        _end_log(log)
        _EXAMPLE.clear()


# %% Sphinx: the box -------------------------------------------------------------

MARKER_RST = "\n.. nlptut-provenance::\n\n"


def _source_path(env: Any, docname: str) -> Path:
    return Path(env.doc2path(docname))


def _is_gallery_example(app: Any, docname: str) -> bool:
    gallery_dir = app.config.sphinx_gallery_conf.get("gallery_dirs", "auto_examples")
    if not docname.startswith(f"{gallery_dir}/"):
        return False
    return (Path(app.srcdir) / f"{docname}.py").is_file()


def _is_executable_myst(app: Any, docname: str) -> bool:
    path = _source_path(app.env, docname)
    if path.suffix != ".md":
        return False
    text = path.read_text(encoding="utf-8")
    return text.startswith("---") and "```{code-cell}" in text and "kernelspec" in text


def _notebook_cell(code: str, tags: str = "remove-cell") -> str:
    return f"\n```{{code-cell}} ipython3\n:tags: [{tags}]\n{code}\n```\n"


def _inject(app: Any, docname: str, source: list[str]) -> None:
    text = source[0]
    if _is_gallery_example(app, docname):
        anchor = text.find(".. _sphx_glr_download_")
        if anchor == -1:
            source[0] = text + MARKER_RST
        else:
            source[0] = text[:anchor] + MARKER_RST.lstrip("\n") + text[anchor:]
        return
    if not _is_executable_myst(app, docname):
        return
    end = text.find("\n---", 3)
    if end == -1:
        return
    end = text.index("\n", end + 1) + 1  # the line after the closing ---
    json_path = Path(app.config.nlptut_provenance_dir) / f"{docname}.json"
    ext_dir = str(Path(__file__).resolve().parent)
    start = _notebook_cell(
        f"import sys\nsys.path.insert(0, {ext_dir!r})\n"
        "import nlptut_provenance as _nlptut_provenance\n"
        f"sys.path.remove({ext_dir!r})\n"
        "_nlptut_provenance.kernel_start()"
    )
    finish = _notebook_cell(f"_nlptut_provenance.kernel_finish({str(json_path)!r})")
    source[0] = (
        text[:end]
        + start
        + text[end:].rstrip("\n")
        + "\n"
        + finish
        + "\n```{nlptut-provenance}\n```\n"
    )


def _record_for(app: Any, docname: str) -> dict[str, Any] | None:
    """The provenance record of a page executed in (or cached for) this build."""
    if _is_gallery_example(app, docname):
        path = Path(app.srcdir) / f"{docname}.provenance.json"
        script = Path(app.srcdir) / f"{docname}.py"
        page = Path(app.srcdir) / f"{docname}.rst"
        if not path.is_file() or not page.is_file():
            return None
        record = json.loads(path.read_text(encoding="utf-8"))
        # The page shows the outputs of that run only if the script is unchanged
        # and the page was not rewritten since (e.g. by a plot_gallery=0 build).
        if record.get("source_sha256") != sha256_of(script):
            return None
        if page.stat().st_mtime > path.stat().st_mtime:
            return None
        app.env.note_dependency(str(path))
        return record
    from myst_nb.sphinx_ import NbMetadataCollector

    try:
        exec_data = NbMetadataCollector.get_exec_data(app.env, docname)
    except KeyError:
        exec_data = None
    if not exec_data or not exec_data.get("succeeded"):
        return None
    path = Path(app.config.nlptut_provenance_dir) / f"{docname}.json"
    if not path.is_file():
        return None
    app.env.note_dependency(str(path))
    return json.loads(path.read_text(encoding="utf-8"))


def _fmt_seconds(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)} min {rest:.0f} s"


def _rows(record: dict[str, Any], built: str, sphinx_version: str) -> list[tuple[str, Any]]:
    from docutils import nodes

    gallery = record["kind"] == "gallery"
    rows: list[tuple[str, Any]] = [
        (_("Executed"), record["executed"]),
        (
            _("Run time"),
            _fmt_seconds(record["seconds"])
            + (
                _(" (the script's code, as timed by sphinx-gallery)")
                if gallery
                else _(" (from the first to the last cell)")
            ),
        ),
    ]
    if gallery and record.get("memory_increase_mb") is not None:
        memory = _(
            "%(increase)s MB more than before the script ran "
            "(the build process's resident memory peaked at %(peak)s MB)"
        ) % {
            "increase": f"{record['memory_increase_mb']:,.0f}",
            "peak": f"{record['peak_mb']:,.0f}",
        }
        if record.get("subprocess_peak_mb"):
            memory += _("; a program it started peaked at %(peak)s MB") % {
                "peak": f"{record['subprocess_peak_mb']:,.0f}"
            }
        rows.append((_("Peak memory"), memory))
    elif not gallery and record.get("peak_mb") is not None:
        rows.append(
            (
                _("Peak memory"),
                _(
                    "%(peak)s MB resident memory of the notebook's Python process "
                    "(libraries and data included)"
                )
                % {"peak": f"{record['peak_mb']:,.0f}"},
            )
        )
    software = f"Python {record['python']}"
    if record.get("torch"):
        software = f"PyTorch {record['torch']}, " + software
    if record.get("nlptut"):
        software += f", nlptut {record['nlptut']}"
    rows.append((_("Software"), software))
    hardware = _("CPU: %(cpu)s (%(count)s cores") % {
        "cpu": record["cpu"],
        "count": record["cpu_count"],
    }
    if record.get("torch_threads"):
        threads = record["torch_threads"]
        hardware += (
            _(", PyTorch used %(n)s threads") if threads != 1 else _(", PyTorch used 1 thread")
        ) % {"n": threads}
    hardware += ")"
    hardware += f"; GPU: {record['gpu']}" if record.get("gpu") else _("; no GPU")
    rows.append((_("Hardware"), hardware))
    if record.get("precision"):
        rows.append(
            (
                _("Precision"),
                _('amp="auto" chose %(precision)s') % {"precision": record["precision"]},
            )
        )
    if record["datasets"]:
        items = nodes.bullet_list(classes=["nlptut-provenance-data"])
        files: dict[tuple[str, str, str], list[str]] = {}  # one line per file
        for item in record["datasets"]:
            key = (item["dataset"], item["file"], item["sha256"])
            files.setdefault(key, []).append(item["split"])
        for (dataset, file, sha256), splits in files.items():
            para = nodes.paragraph()
            para += nodes.Text(f"{dataset} ({', '.join(splits)}): {file}, sha256 ")
            para += nodes.literal(text=sha256, classes=["nlptut-sha256"])
            items += nodes.list_item("", para)
        rows.append((_("Data"), items))
    else:
        rows.append((_("Data"), _("no dataset files were loaded")))
    rows.append(
        (
            _("Site built"),
            _("%(date)s with Sphinx %(version)s") % {"date": built, "version": sphinx_version},
        )
    )
    return rows


def _box(record: dict[str, Any], built: str, sphinx_version: str) -> Any:
    from docutils import nodes

    box = nodes.admonition(classes=["nlptut-provenance"])
    box += nodes.title(text=_("How this page was made"))
    box += nodes.paragraph(
        text=_("Every output above was computed when this page ran, with these settings.")
    )
    table = nodes.table(classes=["nlptut-provenance-table"])
    group = nodes.tgroup(cols=2)
    table += group
    group += nodes.colspec(colwidth=1)
    group += nodes.colspec(colwidth=4)
    body = nodes.tbody()
    group += body
    for key, value in _rows(record, built, sphinx_version):
        row = nodes.row()
        head = nodes.entry()
        head += nodes.paragraph(text=key)
        cell = nodes.entry()
        cell += nodes.paragraph(text=value) if isinstance(value, str) else value
        row += head
        row += cell
        body += row
    box += table
    return box


def _fill(app: Any, doctree: Any) -> None:
    import sphinx

    docname = app.env.docname
    markers = list(doctree.findall(ProvenanceMarker))
    if not markers:
        return
    record = _record_for(app, docname)
    for marker in markers:
        if record is None:
            marker.parent.remove(marker)
        else:
            marker.replace_self(_box(record, app.config.nlptut_build_date, sphinx.__version__))


def setup(app: Any) -> dict[str, Any]:
    from docutils import nodes
    from sphinx.util.docutils import SphinxDirective

    global ProvenanceMarker

    class ProvenanceMarker(nodes.General, nodes.Element):
        """Where the provenance box goes; replaced when the doctree is read."""

    class ProvenanceDirective(SphinxDirective):
        has_content = False

        def run(self) -> list[nodes.Node]:
            return [ProvenanceMarker()]

    def _skip(self: Any, node: Any) -> None:  # a marker never reaches a writer
        raise nodes.SkipNode

    app.add_node(ProvenanceMarker, html=(_skip, None), latex=(_skip, None), text=(_skip, None))
    app.add_directive("nlptut-provenance", ProvenanceDirective)
    app.add_config_value("nlptut_provenance_dir", "", "env", types=frozenset({str}))
    app.add_config_value(
        "nlptut_build_date", datetime.now(UTC).strftime("%Y-%m-%d"), "", types=frozenset({str})
    )
    app.connect("source-read", lambda app, docname, source: _inject(app, docname, source))
    app.connect("doctree-read", _fill)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


ProvenanceMarker: Any = None
