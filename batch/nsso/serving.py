"""Serving the simulator's app with uvicorn: a socket listening before the URL is shown, a
protocol that can drop a connection, and a clean stop on SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import socket
from collections.abc import Callable
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from .faults import DROP_EXTENSION


class DroppingProtocol(H11Protocol):
    """uvicorn's h11 protocol, able to close a connection without an answer (drop fault).

    Each request's scope gets the extension `dimona.drop`: a coroutine that aborts the
    connection (no status line is ever written) and returns once uvicorn knows it is gone,
    so it neither answers 500 nor logs an error for the request.
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._lost = asyncio.Event()
        inner = self.app

        async def app(scope, receive, send):
            scope.setdefault("extensions", {})[DROP_EXTENSION] = self._drop
            await inner(scope, receive, send)

        self.app = app

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        self._lost.set()

    async def _drop(self) -> None:
        self.transport.abort()
        await self._lost.wait()


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound and listening, so the URL printed is already reachable."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class _Stopped(Exception):
    """SIGINT or SIGTERM: the simulator was asked to stop."""


def _stop(signum: int, frame: object) -> None:
    raise _Stopped


def serve(app: Callable, sock: socket.socket) -> None:
    """Serve `app` on `sock` until SIGINT or SIGTERM, then return (exit status 0).

    uvicorn shuts down gracefully on those signals, then raises the signal again for the
    handler it found in place: ours, which ends the serving instead of the process, so the
    caller closes the state.
    """
    config = uvicorn.Config(
        app, http=DroppingProtocol, lifespan="off", log_level="warning", access_log=False
    )
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except _Stopped:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
