"""``nlptut datasets`` and ``nlptut fetch``: the known datasets and their cache."""

from __future__ import annotations

import argparse

from nlptut import config, datasets, jsonout
from nlptut.cli.common import EXIT_OK, _print_table, _unicode_output


def _args_datasets(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="print machine-readable JSON instead of a table"
    )


def _cmd_datasets(args: argparse.Namespace) -> int:
    entries = []
    for info in datasets.list_datasets():
        cached = datasets.cached_files(info.name)
        entries.append((info, cached))

    if args.json:
        payload = [
            {
                "name": info.name,
                "title": info.title,
                "language": info.language,
                "task": info.task,
                "labels": list(info.labels),
                "splits": info.split_sizes(),
                "files": [
                    {
                        "split": f.split,
                        "filename": f.filename,
                        "url": f.url,
                        "sha256": f.sha256,
                        "rows": f.rows,
                    }
                    for f in info.files
                ],
                "format": info.format,
                "license": info.license,
                "citation": info.citation,
                "bibtex_key": info.bibtex_key,
                "homepage": info.homepage,
                "description": info.description,
                "cached": all(path is not None for path in cached.values()),
                "cache_dir": str(datasets.cache_dir(info.name)),
                "cached_files": {
                    split: None if path is None else str(path) for split, path in cached.items()
                },
            }
            for info, cached in entries
        ]
        print(jsonout.dumps(payload, indent=2, ensure_ascii=not _unicode_output()))
        return EXIT_OK

    rows = [["NAME", "LANG", "TASK", "TRAIN", "VAL", "TEST", "LABELS", "CACHED"]]
    for info, cached in entries:
        sizes = info.split_sizes()
        present = sum(path is not None for path in cached.values())
        if present == len(cached):
            status = f"yes: {datasets.cache_dir(info.name)}"
        elif present:
            status = f"partly ({present}/{len(cached)} files): run `nlptut fetch {info.name}`"
        else:
            status = f"no: run `nlptut fetch {info.name}`"
        rows.append(
            [
                info.name,
                info.language,
                info.task,
                str(sizes["train"]),
                str(sizes["validation"]),
                str(sizes["test"]),
                _label_summary(info),
                status,
            ]
        )
    _print_table(rows)
    print("(TRAIN, VAL, TEST: texts; sentences for tagging datasets)")
    print()
    print("Licences")
    _print_table([[info.name, info.license] for info, _ in entries], indent="  ")
    print()
    mirror = config.data_mirror()
    print(f"cache:  {config.data_home()} (set NLPTUT_DATA to change)")
    print(f"mirror: {mirror if mirror is not None else 'not set (NLPTUT_DATA_MIRROR)'}")
    return EXIT_OK


def _label_summary(info: datasets.DatasetInfo, shown: int = 8) -> str:
    """The labels, or for a tagging dataset its chunk types (the first ``shown``)."""
    if info.task != "tagging":
        return " ".join(info.labels)
    types = list(dict.fromkeys(tag[2:] for tag in info.labels if tag != "O"))
    more = f" ... ({len(types)} types)" if len(types) > shown else ""
    return f"BIO tags of {' '.join(types[:shown])}{more}"


def _args_fetch(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "names",
        nargs="+",
        metavar="NAME",
        help=f"dataset name ({', '.join(datasets.DATASETS)})",
    )
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show download progress bars (default: when standard error is a terminal)",
    )
    parser.add_argument(
        "--verify",
        action="store_true",
        help="hash every cached file again (by default an unchanged file is trusted)",
    )


def _cmd_fetch(args: argparse.Namespace) -> int:
    for name in args.names:  # reject a typo before fetching anything
        datasets.dataset_info(name)
    said = {"cache": "(cached)", "mirror": "(from the mirror)", "network": "(downloaded)"}
    for name in dict.fromkeys(args.names):
        files = datasets.fetch_with_origins(name, progress=args.progress, verify=args.verify)
        print(f"{name}: {len(files)} files verified in {datasets.cache_dir(name)}")
        _print_table(
            [[split, str(path), said[origin]] for split, (path, origin) in files.items()],
            indent="  ",
        )
    return EXIT_OK
