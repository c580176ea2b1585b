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
import time
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import parse_qsl, urlencode

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..model import UTC
from .auth import CONSULT, DECLARANT, Authority, Grant, TokenRefused, allows
from .core import Invalid, Nsso
from .faults import Draw, FaultMiddleware, problem_type

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


def _unauthorized(detail: str, challenge: str = "Bearer") -> JSONResponse:
    """401 with the challenge of RFC 6750 §3 (an error code only when a token was sent)."""
    answer = problem(401, "No Access Token", detail)
    answer.headers["WWW-Authenticate"] = challenge
    return answer


Endpoint = Callable[[Request, Grant], Awaitable[Response]]


def create_app(
    nsso: Nsso, authority: Authority, clock: Clock, draw: Draw | None = None
) -> Callable:
    """The ASGI app: the endpoints over `nsso`, with the faults of `draw` on Dimona paths."""

    def guarded(scopes: tuple[str, ...], endpoint: Endpoint):
        async def handle(request: Request) -> Response:
            header = request.headers.get("authorization", "")
            kind, _, token = header.partition(" ")
            if kind.lower() != "bearer" or not token.strip():
                return _unauthorized("a Bearer access token is required")
            grant = authority.grant(token.strip())
            if grant is None:
                return _unauthorized(
                    "the access token is unknown or has expired", 'Bearer error="invalid_token"'
                )
            if not allows(grant, scopes):
                needed = " or ".join(scopes)
                answer = problem(403, "Missing Scope", f"this needs the scope {needed}")
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
