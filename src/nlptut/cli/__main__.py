"""``python -m nlptut.cli``: the same as the ``nlptut`` command."""

from nlptut.cli import main

raise SystemExit(main())
