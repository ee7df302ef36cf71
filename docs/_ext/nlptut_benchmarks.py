"""The benchmark reports of ``benchmarks/results/`` as pages of the site.

A benchmark is a longer run than a page can afford: someone runs a script in
``benchmarks/`` by hand, and it writes a Markdown report that is committed.
This extension, when the build starts, writes one small MyST page per report
into ``docs/benchmarks/results/`` (a generated folder, git-ignored by a
``.gitignore`` inside it; pages of reports that are gone are removed). Each page
takes the report's first title as its own, says that the numbers come from the
run the report describes and not from this build, shows the command that
writes the report (read from the ``bash`` blocks of ``benchmarks/README.md``),
and includes the report itself. ``docs/benchmarks/index.rst`` lists them with a
glob, so a new report appears without editing anything.

A page of the site that mentions ``benchmarks/results`` is read again when a
report it names (``meaning-aim.md``) changes, so a page that reads a report at
build time never shows an older one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OUT_DIR = "benchmarks/results"  # under the Sphinx source folder
_REPORT_NAME = re.compile(r"[\w.-]+\.md\b")
_DEFAULT_OUT = re.compile(r"""default=Path\(\s*["']benchmarks/results/([\w.-]+)\.md["']\s*\)""")
_COMMAND = re.compile(r"\bpython3? (benchmarks/bench_\w+\.py)\b(.*)")
_OUT_ARG = re.compile(r"--out[ =]benchmarks/results/([\w.-]+)\.md")


@dataclass
class Report:
    """One report file, as its page shows it."""

    name: str  # the file name without ``.md``
    title: str
    skip_lines: int  # lines of the report before its body (its title)
    command: str | None  # the command that writes it, if the README states one


def _benchmarks_dir(app: Any) -> Path:
    return Path(app.confdir).resolve().parent / "benchmarks"


def _strip_comment(line: str) -> str:
    """A shell line without its trailing ``# comment``."""
    return re.sub(r"(^|\s)#.*$", "", line).rstrip()


def commands(readme: str, scripts: dict[str, str]) -> dict[str, str]:
    """The command that writes each report, by report name, from a README's bash blocks.

    ``scripts`` maps a script's path (``benchmarks/bench_x.py``) to its source,
    where a command without ``--out`` finds its default report. A command that
    continues over several lines (a trailing backslash) is kept as written.
    """
    found: dict[str, str] = {}
    for block in re.findall(r"```(?:bash|sh|shell)\n(.*?)```", readme, re.DOTALL):
        pending: list[str] = []
        for line in block.splitlines():
            line = _strip_comment(line)
            if not line.strip():
                continue
            pending.append(line)
            if line.endswith("\\"):
                continue
            shown = "\n".join(pending)
            pending = []
            match = _COMMAND.search(shown.replace("\\\n", " "))
            if match is None:
                continue
            script, args = match.groups()
            out = _OUT_ARG.search(args)
            default = _DEFAULT_OUT.search(scripts.get(script, ""))
            name = out.group(1) if out else default.group(1) if default else None
            if name is not None:
                found.setdefault(name, shown)
    return found


def read_report(path: Path, command: str | None) -> Report:
    """A report's title (its first ``#`` heading, else its file name) and its command."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if line.strip():
            if line.startswith("# "):
                return Report(path.stem, line[2:].strip(), index + 1, command)
            break
    return Report(path.stem, path.stem, 0, command)


def reports(benchmarks: Path) -> list[Report]:
    """Every report in ``benchmarks/results/``, in name order; shared titles get the file name."""
    readme = benchmarks / "README.md"
    scripts = {
        f"benchmarks/{p.name}": p.read_text(encoding="utf-8")
        for p in sorted(benchmarks.glob("bench_*.py"))
    }
    found = commands(readme.read_text(encoding="utf-8") if readme.is_file() else "", scripts)
    result = [read_report(p, found.get(p.stem)) for p in sorted(benchmarks.glob("results/*.md"))]
    titles = [r.title for r in result]
    for report in result:
        if titles.count(report.title) > 1:
            report.title = f"{report.title} ({report.name}.md)"
    return result


def page(report: Report, include: str) -> str:
    """The MyST source of a report's page; ``include``: the report's path from the page."""
    source = f"benchmarks/results/{report.name}.md"
    if report.command:
        run = (
            "To run it again, from the root of the repository (the benchmarks' "
            "`README.md` says how to give it the datasets offline):\n\n"
            f"```bash\n{report.command}\n```"
        )
    else:
        run = "The benchmarks' `README.md`, in the repository, says how to run it."
    lines = [
        f"% Generated by docs/_ext/nlptut_benchmarks.py from {source}; a new run changes it.",
        "",
        f"# {report.title}",
        "",
        ":::{admonition} A report written by a benchmark run, not by this build",
        ":class: note",
        "",
        f"This page shows the file `{source}` as it was committed. Its numbers "
        "come from the run that wrote it, on the machine and the date it names, "
        "not from the build of this site.",
        "",
        run,
        ":::",
        "",
        f"```{{include}} {include}",
        f":start-line: {report.skip_lines}",
        "```",
        "",
    ]
    return "\n".join(lines)


def _write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def write_report_pages(app: Any) -> None:
    """Write one page per report into ``<srcdir>/benchmarks/results/`` (at ``builder-inited``)."""
    folder = Path(app.srcdir) / OUT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    _write_if_changed(folder / ".gitignore", "# generated by docs/_ext/nlptut_benchmarks.py\n*\n")
    found = reports(_benchmarks_dir(app))
    wanted = {f"{r.name}.md" for r in found}
    for stale in folder.glob("*.md"):
        if stale.name not in wanted:
            stale.unlink()
    results = _benchmarks_dir(app) / "results"
    for report in found:
        include = Path(os.path.relpath(results / f"{report.name}.md", folder)).as_posix()
        _write_if_changed(folder / f"{report.name}.md", page(report, include))


def note_report_dependencies(app: Any, docname: str, source: list[str]) -> None:
    """Read a page that mentions ``benchmarks/results`` again when a report it names changes."""
    if "benchmarks/results" not in source[0]:
        return
    results = _benchmarks_dir(app) / "results"
    for name in set(_REPORT_NAME.findall(source[0])):
        if (results / name).is_file():
            app.env.note_dependency(str(results / name))


def hide_edit_button(app: Any, pagename: str, templatename: str, context: dict, doctree: Any):
    """The report pages are generated: a benchmark run, not an edit, changes them."""
    if pagename.startswith(f"{OUT_DIR}/"):
        context["theme_use_edit_page_button"] = False


def setup(app: Any) -> dict[str, Any]:
    app.connect("builder-inited", write_report_pages)
    app.connect("source-read", note_report_dependencies)
    app.connect("html-page-context", hide_edit_button, priority=600)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
