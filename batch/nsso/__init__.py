"""The NSSO's side of Dimona, simulated: its own state and rules, shared by the in-process
sandbox and `dimona-batch simulator`, so the ledger and the NSSO can disagree as in life."""

from .core import FIRST_DECLARATION, FIRST_PERIOD, Invalid, Nsso, StateError

__all__ = ["FIRST_DECLARATION", "FIRST_PERIOD", "Invalid", "Nsso", "StateError"]
