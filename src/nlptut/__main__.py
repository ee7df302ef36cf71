"""``python -m nlptut``: the same as the ``nlptut`` command."""

from nlptut.cli import main

raise SystemExit(main())
