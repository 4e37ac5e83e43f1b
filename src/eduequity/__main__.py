"""``python -m eduequity``: the ``eduequity`` command."""

from __future__ import annotations

import sys

from eduequity._cli import main

if __name__ == "__main__":
    sys.exit(main())
