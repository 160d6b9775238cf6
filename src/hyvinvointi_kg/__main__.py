"""Allow ``python -m hyvinvointi_kg``."""

from hyvinvointi_kg.cli import main

raise SystemExit(main())
