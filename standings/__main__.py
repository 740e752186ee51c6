"""``python -m standings``: the command line."""

from standings.cli import main

raise SystemExit(main())
