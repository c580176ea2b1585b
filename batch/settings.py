"""Constants the command line needs before any work, kept free of heavy imports.

The CLI builds its options from these at import time; pandas, pandera and the renderers are
imported only when a command runs, so `dimona-batch --help` starts fast.
"""

from __future__ import annotations

LEDGER_ENV = "DIMONA_LEDGER"
DEFAULT_LEDGER = "dimona-ledger.sqlite"
WEB = "web"
SANDBOX = "sandbox"
REST = "rest"
CHANNELS = (SANDBOX, WEB, REST)

HOURS = ("decimal", "clock")
"""How a client writes a fraction of an hour with a point: 9.5 = 09:30, or 9.5 = 09:50."""

DEFAULT_WAIT = 120.0
"""Seconds a run waits for another run's lock on the same ledger before giving up."""
