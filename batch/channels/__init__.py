"""How declarations reach the NSSO: each channel turns operations into answered declarations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from ..model import Declaration, Operation


class Channel(Protocol):
    name: str

    def file(self, operations: Sequence[Operation], as_of: dt.datetime) -> list[Declaration]:
        """Send the operations in order; one answered declaration each."""
        ...
