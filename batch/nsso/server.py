"""The NSSO simulator over HTTP: the Dimona REST v2 endpoints and the token endpoint.

A Starlette app over one `Nsso` (the simulator core, its own SQLite state), served by
uvicorn on 127.0.0.1, so the REST client is tested against a real server in another
process. Scopes: `declarant` to POST a declaration, `declarant` or `consult` to read its
answer (polling what you sent is part of declaring), `consult` for the periods. A client
sees only the declarations it sent (404 for another's); periods are the employers', so any
client with `consult` sees them. Errors other than the token endpoint's (RFC 6749) are
problem documents: `{"type", "title", "status", "detail", "issues": [{"in", "name",
"detail"}]}`, `issues` naming each invalid property of a 400.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import socket
import time
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..model import UTC
from .auth import CONSULT, DECLARANT, Authority, Grant, TokenRefused, allows
from .core import Invalid, Nsso
from .faults import DROP_EXTENSION, Draw, FaultMiddleware, problem_type

TOKEN_PATH = "/REST/oauth/v5/token"
DIMONA = "/REST/dimona/v2"
MAX_PAGE_SIZE = 1000


class Clock:
    """The simulator's time: real time, or from a start moment on, running at real pace."""

    def __init__(self, start: dt.datetime | None = None):
        if start is not None and start.tzinfo is None:
            raise ValueError("the clock's start must be timezone-aware")
        self.start = start
        self._started = time.monotonic()

    def __call__(self) -> dt.datetime:
        if self.start is None:
            return dt.datetime.now(UTC)
        return self.start + dt.timedelta(seconds=time.monotonic() - self._started)


def read_insz_list(path: Path) -> list[str]:
    """One INSZ a line (separators allowed); blank lines and `#` comments are skipped."""
    numbers = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"{path}: cannot be read ({error})") from None
    for number, line in enumerate(lines, 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        digits = "".join(c for c in text if c.isdigit())
        if len(digits) != 11 or any(c.isalpha() for c in text):
            raise ValueError(f"{path} line {number}: not an INSZ (11 digits)")
        numbers.append(digits)
    return numbers


def problem(status: int, title: str, detail: str, issues: Iterable[str] = ()) -> JSONResponse:
    """An error answer as a problem document; `issues` are `name: detail` texts."""
    body: dict = {
        "type": problem_type(title),
        "title": title,
        "status": status,
        "detail": detail,
    }
    listed = []
    for issue in issues:
        name, _, said = issue.partition(": ")
        listed.append({"in": "body", "name": name, "detail": said or name})
    if listed:
        body["issues"] = listed
    return JSONResponse(body, status_code=status)


def _unauthorized(detail: str) -> JSONResponse:
    answer = problem(401, "No Access Token", detail)
    answer.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return answer


Endpoint = Callable[[Request, Grant], Awaitable[Response]]


def create_app(nsso: Nsso, authority: Authority, clock: Clock, draw: Draw | None = None):
    """The ASGI app: the endpoints over `nsso`, with the faults of `draw` on Dimona paths."""

    def guarded(scopes: tuple[str, ...], endpoint: Endpoint):
        async def handle(request: Request) -> Response:
            header = request.headers.get("authorization", "")
            kind, _, token = header.partition(" ")
            if kind.lower() != "bearer" or not token.strip():
                return _unauthorized("a Bearer access token is required")
            grant = authority.grant(token.strip())
            if grant is None:
                return _unauthorized("the access token is unknown or has expired")
            if not allows(grant, scopes):
                answer = problem(403, "Missing Scope", f"this needs the scope {scopes[0]}")
                answer.headers["WWW-Authenticate"] = (
                    f'Bearer error="insufficient_scope", scope="{" ".join(scopes)}"'
                )
                return answer
            return await endpoint(request, grant)

        return handle

    async def token(request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))
        token_url = str(request.url.replace(query=""))
        try:
            access, lifetime, scopes = authority.issue(form, token_url)
        except TokenRefused as refused:
            return JSONResponse(
                {"error": refused.error, "error_description": refused.description},
                status_code=refused.status,
                headers={"Cache-Control": "no-store"},
            )
        return JSONResponse(
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": lifetime,
                "scope": " ".join(sorted(scopes)),
            },
            headers={"Cache-Control": "no-store"},
        )

    async def declare(request: Request, grant: Grant) -> Response:
        payload = await _json_object(request)
        if isinstance(payload, Response):
            return payload
        try:
            declaration_id = await run_in_threadpool(nsso.submit, payload, clock(), grant.client_id)
        except Invalid as invalid:
            return problem(400, "Bad Request", "; ".join(invalid.properties), invalid.properties)
        location = str(request.url_for("declaration", declaration_id=declaration_id))
        return Response(status_code=201, headers={"Location": location})

    async def declaration(request: Request, grant: Grant) -> Response:
        declaration_id = request.path_params["declaration_id"]
        owner = await run_in_threadpool(nsso.client_of, declaration_id)
        status = None
        if owner == grant.client_id:
            status = await run_in_threadpool(nsso.status, declaration_id, clock())
        if status is None:
            return problem(404, "Resource Not Found", "no such declaration (yet)")
        return JSONResponse({"declarationStatus": status})

    async def period(request: Request, grant: Grant) -> Response:
        item = await run_in_threadpool(nsso.period, request.path_params["period_id"])
        if item is None:
            return problem(404, "Resource Not Found", "no such period")
        return JSONResponse(item)

    async def search(request: Request, grant: Grant) -> Response:
        issues = []
        page, page_size = _whole(request, "page", 1), _whole(request, "pageSize", 50)
        if page is None or page < 1:
            issues.append("page: expected a whole number of 1 or more")
        if page_size is None or not 1 <= page_size <= MAX_PAGE_SIZE:
            issues.append(f"pageSize: expected a whole number from 1 to {MAX_PAGE_SIZE}")
        body = await _json_object(request)
        if isinstance(body, Response):
            return body
        employer = body.get("employer")
        enterprise = employer.get("enterpriseNumber") if isinstance(employer, dict) else None
        if not isinstance(enterprise, str) or not enterprise:
            issues.append("employer.enterpriseNumber: required")
        worker = body.get("worker")
        ssin = worker.get("ssin") if isinstance(worker, dict) else None
        if worker is not None and not isinstance(ssin, str):
            issues.append("worker.ssin: expected text")
        start, end = (_date(body, name, issues) for name in ("startDate", "endDate"))
        if issues:
            return problem(400, "Bad Request", "; ".join(issues), issues)
        items, more = await run_in_threadpool(
            nsso.search, enterprise, ssin, start, end, page, page_size
        )
        answer: dict = {"items": items}
        if more:
            following = urlencode({"pageSize": page_size, "page": page + 1})
            answer["next"] = str(request.url.replace(query=following))
        return JSONResponse(answer)

    async def not_found(request: Request, exc: Exception) -> Response:
        return problem(404, "Resource Not Found", "no such resource")

    async def not_allowed(request: Request, exc: Exception) -> Response:
        return problem(405, "Method Not Allowed", f"{request.method} is not allowed here")

    app = Starlette(
        routes=[
            Route(TOKEN_PATH, token, methods=["POST"]),
            Route(f"{DIMONA}/declarations", guarded((DECLARANT,), declare), methods=["POST"]),
            Route(
                DIMONA + "/declarations/{declaration_id}",
                guarded((DECLARANT, CONSULT), declaration),
                methods=["GET"],
                name="declaration",
            ),
            Route(DIMONA + "/periods/search", guarded((CONSULT,), search), methods=["POST"]),
            Route(DIMONA + "/periods/{period_id}", guarded((CONSULT,), period), methods=["GET"]),
        ],
        exception_handlers={404: not_found, 405: not_allowed},
    )
    return FaultMiddleware(app, draw, DIMONA + "/") if draw is not None else app


async def _json_object(request: Request) -> dict | Response:
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return problem(400, "Bad Request", "the body is not JSON", ["body: expected JSON"])
    if not isinstance(body, dict):
        return problem(400, "Bad Request", "the body is not an object", ["body: expected {...}"])
    return body


def _whole(request: Request, name: str, default: int) -> int | None:
    text = request.query_params.get(name)
    if text is None:
        return default
    return int(text) if text.isdigit() else None


def _date(body: dict, name: str, issues: list[str]) -> dt.date | None:
    text = body.get(name)
    if isinstance(text, str) and len(text) == 10:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    issues.append(f"{name}: expected a date YYYY-MM-DD")
    return None


# --- serving it -------------------------------------------------------------------------


def _protocol():
    """uvicorn's h11 protocol, able to close a connection without an answer (drop fault)."""
    import asyncio

    from uvicorn.protocols.http.h11_impl import H11Protocol

    class DroppingProtocol(H11Protocol):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._lost = asyncio.Event()
            inner = self.app

            async def app(scope, receive, send):
                scope.setdefault("extensions", {})[DROP_EXTENSION] = self._drop
                await inner(scope, receive, send)

            self.app = app

        def connection_lost(self, exc):
            super().connection_lost(exc)
            self._lost.set()

        async def _drop(self) -> None:
            self.transport.abort()
            await self._lost.wait()

    return DroppingProtocol


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
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class _Stopped(Exception):
    """SIGINT or SIGTERM: the simulator was asked to stop."""


def _stop(signum: int, frame: object) -> None:
    raise _Stopped


def serve(app, sock: socket.socket) -> None:
    """Serve `app` on `sock` until SIGINT or SIGTERM, then return (exit status 0).

    uvicorn shuts down gracefully on those signals, then raises the signal again for the
    handler it found in place: ours, which ends the serving instead of the process, so the
    caller closes the state.
    """
    import uvicorn

    config = uvicorn.Config(
        app, http=_protocol(), lifespan="off", log_level="warning", access_log=False
    )
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except _Stopped:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
