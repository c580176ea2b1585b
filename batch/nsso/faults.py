"""The network's misbehaviour, on purpose: seeded faults so the client's recovery is tested.

`--faults error=0.05,drop=0.05,slow=0.1,throttle=0.05,token-expiry=30` gives the share of
Dimona requests (never token requests) that go wrong, each its own way:

- error: answered 503 without being processed;
- drop: processed, then the connection is closed with no answer at all (no status line);
- slow: processed, answered after a pause of `slow-seconds` (default 1-3, drawn);
- throttle: answered 429 with `Retry-After: retry-after` (default 1) seconds, not processed;
- token-expiry: every token dies that many seconds after it was issued, whatever its
  `expires_in` said.

One `random.Random(seed)` draws one number per request in arrival order (plus one for a slow
pause), so a run with the same seed and the same requests meets the same faults.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

DROP_EXTENSION = "dimona.drop"
"""The ASGI scope extension (set by the simulator's protocol) that closes the connection."""

PROBLEM = "urn:problem-type:belgif:"


def problem_type(title: str) -> str:
    """`Bad Request` as `urn:problem-type:belgif:badRequest`, the Belgian REST guide's form."""
    words = title.title().replace(" ", "")
    return PROBLEM + words[0].lower() + words[1:]


SHARES = ("error", "drop", "slow", "throttle")
EXAMPLE = "error=0.05,drop=0.05,slow=0.1,throttle=0.05,token-expiry=30"


@dataclass(frozen=True)
class Faults:
    """How often each fault happens (shares of requests) and how it behaves."""

    error: float = 0.0
    drop: float = 0.0
    slow: float = 0.0
    throttle: float = 0.0
    token_expiry: float | None = None
    slow_seconds: tuple[float, float] = (1.0, 3.0)
    retry_after: int = 1

    @property
    def any_share(self) -> bool:
        """Whether any request may meet a fault (token-expiry alone draws nothing)."""
        return any(getattr(self, name) for name in SHARES)

    def __str__(self) -> str:
        parts = [f"{name}={getattr(self, name):g}" for name in SHARES if getattr(self, name)]
        if self.token_expiry is not None:
            parts.append(f"token-expiry={self.token_expiry:g}")
        return ",".join(parts) or "none"


def _number(name: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"--faults {name}={text!r}: expected a number") from None
    if value < 0 or value != value or value == float("inf"):
        raise ValueError(f"--faults {name}={text!r}: expected a number of 0 or more")
    return value


def parse_faults(text: str | None) -> Faults:
    """`error=0.05,drop=0.05,...` as Faults; a ValueError of one line names what is wrong."""
    if not text or not text.strip():
        return Faults()
    values: dict[str, Any] = {}
    for item in text.split(","):
        name, equals, value = (part.strip() for part in item.partition("="))
        if not equals or not value:
            raise ValueError(f"--faults {item.strip()!r}: expected NAME=VALUE, as in {EXAMPLE}")
        if name in values:
            raise ValueError(f"--faults: {name} is given twice")
        if name in SHARES:
            share = _number(name, value)
            if share > 1:
                raise ValueError(f"--faults {name}={value}: a share lies between 0 and 1")
            values[name] = share
        elif name == "token-expiry":
            values["token_expiry"] = _number(name, value)
        elif name == "retry-after":
            seconds = _number(name, value)
            if seconds != int(seconds):
                raise ValueError(f"--faults retry-after={value}: expected whole seconds")
            values["retry_after"] = int(seconds)
        elif name == "slow-seconds":
            low, dash, high = value.partition("-")
            low_s = _number(name, low)
            high_s = _number(name, high) if dash else low_s
            if high_s < low_s:
                raise ValueError(f"--faults slow-seconds={value}: expected LOW-HIGH, low first")
            values["slow_seconds"] = (low_s, high_s)
        else:
            known = ", ".join([*SHARES, "token-expiry", "slow-seconds", "retry-after"])
            raise ValueError(f"--faults: unknown fault {name!r}; known: {known}")
    total = sum(values.get(name, 0.0) for name in SHARES)
    if total > 1 + 1e-9:
        raise ValueError(f"--faults: the shares add up to {total:g}, more than 1")
    return Faults(**values)


class Draw:
    """The faults' dice: one number per request, in the order requests arrive."""

    def __init__(self, faults: Faults, seed: int | None = None):
        self.faults = faults
        self.random = random.Random(seed)

    def next(self) -> str | None:
        """The fault this request meets, or None."""
        roll = self.random.random()
        for name in SHARES:
            share = getattr(self.faults, name)
            if roll < share:
                return name
            roll -= share
        return None

    def pause(self) -> float:
        low, high = self.faults.slow_seconds
        return self.random.uniform(low, high)


Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


class FaultMiddleware:
    """ASGI middleware: the faults of `draw`, on requests whose path starts with `prefix`."""

    def __init__(self, app: App, draw: Draw, prefix: str):
        self.app = app
        self.draw = draw
        self.prefix = prefix
        self.counts: dict[str, int] = dict.fromkeys(SHARES, 0)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        fault = self.draw.next()
        if fault is None:
            await self.app(scope, receive, send)
            return
        self.counts[fault] += 1
        if fault == "error":
            await _answer(send, 503, "Service Unavailable", "a simulated fault: nothing processed")
        elif fault == "throttle":
            retry = str(self.draw.faults.retry_after).encode()
            await _answer(
                send,
                429,
                "Too Many Requests",
                "a simulated fault: nothing processed",
                [(b"retry-after", retry)],
            )
        else:
            pause = self.draw.pause() if fault == "slow" else 0.0
            messages: list[dict] = []

            async def keep(message: dict) -> None:
                messages.append(message)

            await self.app(scope, receive, keep)
            if fault == "drop":
                await _drop(scope, send)
                return
            await asyncio.sleep(pause)
            for message in messages:
                await send(message)


async def _drop(scope: Scope, send: Send) -> None:
    """Close the connection without a status line (needs the simulator's protocol)."""
    close = scope.get("extensions", {}).get(DROP_EXTENSION)
    if close is None:  # served by another server: no way to drop, so say it
        await _answer(
            send, 502, "Bad Gateway", "drop fault: this server cannot close the connection"
        )
        return
    await close()


async def _answer(
    send: Send, status: int, title: str, detail: str, headers: list[tuple[bytes, bytes]] = ()
) -> None:
    """A problem document, as the server's other errors."""
    body = {"type": problem_type(title), "title": title, "status": status, "detail": detail}
    content = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(content)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": content})
