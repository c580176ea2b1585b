"""The REST v2 client: files and consults Dimona over HTTP, at the NSSO or `dimona-batch simulator`.

Authentication is OAuth2 client credentials with a signed JWT (domain.md §5): the token is
cached until shortly before it expires and renewed once when a request answers 401.

What a failure means for the declaration decides what may be done about it:
- `NotSent`: the request verifiably never reached the NSSO (no connection could be made, no
  token could be had, or a 429 on every attempt): send it again later as it is.
- `FateUnknown`: it may have been processed: a POST whose connection dropped or timed out
  after the request was sent is given up at once (sending it again could file it twice), and
  so is one answered 5xx on every attempt. Settle it from the NSSO's periods.
- `Rejected`: 400 or 403, the NSSO's property messages kept.

A 5xx or 429 answer to a POST is retried. That assumes the NSSO, like the simulator,
answers those without processing the declaration (a 5xx from a gateway after processing
would file twice: the outbox's settling, and `check`, are the net for that case). GETs and
searches change nothing and are retried on any transport error.

Secrets (the key, the assertion, the token) never appear in a message, a repr or a log.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import random
import threading
import time
import uuid
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import httpx
import jwt

from .credentials import Account, Credentials, load
from .service import FateUnknown, NotSent, Rejected, Service

TOKEN_PATH = "/REST/oauth/v5/token"
API = "/REST/dimona/v2"
SCOPES = "scope:dimona:declaration:declarant scope:dimona:declaration:consult"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_LIFETIME = 60  # seconds
TOKEN_MARGIN = 30.0  # a token is renewed this long before it expires
PAGE_SIZE = 50

log = logging.getLogger(__name__)

# Raised while connecting: nothing of the request has left the process.
_NEVER_LEFT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
)
# Raised after the request (or part of it) was written: the NSSO may have processed it.
_MAY_HAVE_LEFT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


class CredentialsRefused(NotSent):
    """The NSSO refused the account's assertion or token: nothing can be filed with it."""


class RestService:
    """The `Service` of one web-service account; safe to call from several threads."""

    name = "rest"

    def __init__(
        self,
        account: Account,
        *,
        backoff: float = 0.5,
        max_wait: float = 30.0,
    ):
        """`backoff`: the first pause between attempts (doubled each time); `max_wait`: the
        longest pause, whatever a Retry-After asks."""
        self.account = account
        self.parallel = account.parallel
        self.attempts = account.attempts
        self.backoff = backoff
        self.max_wait = max_wait
        self.token_url = account.endpoint + TOKEN_PATH
        self._client = httpx.Client(
            base_url=account.endpoint,
            timeout=account.timeout,
            limits=httpx.Limits(max_connections=max(account.parallel, 1) * 2),
        )
        self._lock = threading.Lock()
        self._token: str | None = None
        self._renew_at = 0.0
        self.tokens_fetched = 0

    def __repr__(self) -> str:
        return f"RestService({self.account.client_id!r} at {self.account.endpoint})"

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> RestService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the Service protocol -----------------------------------------------------------

    def submit(self, payload: dict, text: str = "") -> str:
        # `text` is not used: the body is dumped by the HTTP client as each request goes
        response = self._request("POST", f"{API}/declarations", payload, idempotent=False)
        if response.status_code not in (200, 201, 202):
            raise FateUnknown(f"POST declarations: unexpected HTTP {response.status_code}")
        location = response.headers.get("Location", "").rstrip("/")
        declaration_id = location.rsplit("/", 1)[-1]
        if not declaration_id.isdigit():
            raise FateUnknown("POST declarations: the answer carries no declaration number")
        return declaration_id

    def group(self) -> AbstractContextManager[object]:
        """Nothing to group: each request is committed by the NSSO as it is answered."""
        return nullcontext()

    def status(self, declaration_id: str) -> dict | None:
        if not str(declaration_id).isdigit():
            return None
        response = self._request("GET", f"{API}/declarations/{declaration_id}", missing_ok=True)
        if response.status_code == 404:
            return None
        return self._json(response, "declarationStatus")

    def period(self, period_id: str) -> dict | None:
        if not str(period_id).isdigit():
            return None
        response = self._request("GET", f"{API}/periods/{period_id}", missing_ok=True)
        if response.status_code == 404:
            return None
        return self._json(response)

    def search(
        self, enterprise_number: str, ssin: str | None, start: dt.date, end: dt.date
    ) -> list[dict]:
        query: dict[str, Any] = {"employer": {"enterpriseNumber": enterprise_number}}
        if ssin:
            query["worker"] = {"ssin": ssin}
        query |= {"startDate": start.isoformat(), "endDate": end.isoformat()}
        url: str | None = f"{API}/periods/search?pageSize={PAGE_SIZE}&page=1"
        items: list[dict] = []
        seen: set[str] = set()
        while url:
            if url in seen or not self._ours(url):  # the token goes to the endpoint only
                raise FateUnknown("periods search: the next page points back or elsewhere")
            seen.add(url)
            page = self._json(self._request("POST", url, query))
            items.extend(page.get("items", []))
            url = page.get("next") or None
        return items

    # --- HTTP ---------------------------------------------------------------------------

    def _ours(self, url: str) -> bool:
        """A relative URL, or an absolute one on the account's endpoint."""
        target, home = httpx.URL(url), httpx.URL(self.account.endpoint)
        if target.is_relative_url:
            return True
        return (target.scheme, target.host, target.port) == (home.scheme, home.host, home.port)

    def _request(
        self,
        method: str,
        url: str,
        body: dict | None = None,
        idempotent: bool = True,
        missing_ok: bool = False,
    ) -> httpx.Response:
        """One call with its retries: a 2xx answer (or a 404 when `missing_ok`), else the
        `Service` exceptions."""
        what = f"{method} {url.split('?')[0].removeprefix(API + '/')}"
        renewed = False
        attempt = 0
        while True:
            attempt += 1
            last = attempt >= self.attempts
            token = self._bearer()
            try:
                response = self._client.request(
                    method, url, json=body, headers={"Authorization": f"Bearer {token}"}
                )
            except _NEVER_LEFT as error:
                if last:
                    raise NotSent(f"{what}: {_reason(error)} ({self.account.endpoint})") from None
                self._pause(attempt, what, _reason(error))
                continue
            except _MAY_HAVE_LEFT as error:
                if not idempotent:
                    raise FateUnknown(f"{what}: {_reason(error)} after sending") from None
                if last:
                    raise FateUnknown(f"{what}: {_reason(error)}") from None
                self._pause(attempt, what, _reason(error))
                continue
            code = response.status_code
            if code == 401 and not renewed:
                renewed = True
                attempt -= 1  # a renewed token is not a retry
                self._forget(token)
                continue
            if code == 401:
                raise CredentialsRefused(f"{what}: HTTP 401, the token was refused twice")
            if code == 429 or code >= 500:
                if last:
                    if code == 429:
                        raise NotSent(f"{what}: HTTP 429 on every attempt (throttled)")
                    raise FateUnknown(f"{what}: HTTP {code} on every attempt")
                self._pause(attempt, what, f"HTTP {code}", _retry_after(response))
                continue
            if code == 404 and not missing_ok:  # no such service: nothing was processed
                raise NotSent(f"{what}: HTTP 404, is the endpoint {self.account.endpoint} right?")
            if code >= 400 and code != 404:  # 400, 403: the NSSO's words; others alike
                raise Rejected(code, _messages(response))
            return response

    def _pause(self, attempt: int, what: str, reason: str, wait: float | None = None) -> None:
        """Exponential backoff with a little jitter, or the server's Retry-After (capped)."""
        if wait is None:
            wait = self.backoff * 2 ** (attempt - 1)
        wait = min(wait, self.max_wait) * (1 + random.uniform(0, 0.1))
        log.info("%s: %s; attempt %d again in %.1f s", what, reason, attempt + 1, wait)
        time.sleep(wait)

    def _json(self, response: httpx.Response, key: str | None = None) -> Any:
        try:
            body = response.json()
            return body[key] if key else body
        except (ValueError, KeyError, TypeError):
            raise FateUnknown(
                f"{response.request.method} {response.request.url.path}: unreadable answer"
            ) from None

    # --- the token ----------------------------------------------------------------------

    def _bearer(self) -> str:
        with self._lock:
            if self._token is None or time.monotonic() >= self._renew_at:
                self._token, lifetime = self._fetch_token()
                self._renew_at = time.monotonic() + max(
                    lifetime - TOKEN_MARGIN, min(lifetime / 2, TOKEN_MARGIN)
                )
            return self._token

    def _forget(self, token: str) -> None:
        with self._lock:
            if self._token == token:
                self._token = None

    def assertion(self) -> str:
        """The signed JWT that proves who we are (RS256, valid one minute, used once)."""
        now = int(time.time())
        claims = {
            "iss": self.account.client_id,
            "sub": self.account.client_id,
            "aud": self.token_url,
            "jti": str(uuid.uuid4()),
            "iat": now,
            "exp": now + ASSERTION_LIFETIME,
        }
        return jwt.encode(claims, self.account.key, algorithm="RS256")

    def _fetch_token(self) -> tuple[str, float]:
        """A new access token; every attempt signs a new assertion (a `jti` is used once)."""
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            form = {
                "grant_type": "client_credentials",
                "client_assertion_type": ASSERTION_TYPE,
                "client_assertion": self.assertion(),
                "scope": SCOPES,
            }
            try:
                response = self._client.post(TOKEN_PATH, data=form)
            except httpx.HTTPError as error:  # no token: no declaration left the process
                if last:
                    raise NotSent(f"token: {_reason(error)} ({self.account.endpoint})") from None
                self._pause(attempt, "token", _reason(error))
                continue
            code = response.status_code
            if code == 429 or code >= 500:
                if last:
                    raise NotSent(f"token: HTTP {code} on every attempt")
                self._pause(attempt, "token", f"HTTP {code}", _retry_after(response))
                continue
            if code != 200:
                raise CredentialsRefused(
                    f"token: HTTP {code} for client {self.account.client_id}"
                    f" ({'; '.join(_messages(response))})"
                )
            try:
                body = response.json()
                token = body["access_token"]
                lifetime = float(body.get("expires_in", 300))
            except (ValueError, KeyError, TypeError):
                raise NotSent("token: unreadable answer") from None
            if not isinstance(token, str) or not token:
                raise NotSent("token: unreadable answer")
            self.tokens_fetched += 1
            log.info("token for %s fetched, valid %.0f s", self.account.client_id, lifetime)
            return token, lifetime
        raise AssertionError("unreachable")


def _reason(error: Exception) -> str:
    """What went wrong, in words: never the request (its headers hold the token)."""
    if isinstance(error, httpx.ConnectTimeout):
        return "connect timeout"
    if isinstance(error, httpx.ConnectError):
        text = str(error).lower()
        if "refused" in text:
            return "connection refused"
        if "name" in text or "resolution" in text or "address" in text:
            return "host not found"
        return "cannot connect"
    if isinstance(error, httpx.ReadTimeout):
        return "no answer in time (read timeout)"
    if isinstance(error, httpx.TimeoutException):
        return "timeout"
    if isinstance(error, httpx.RemoteProtocolError | httpx.ReadError):
        return "connection dropped without an answer"
    return type(error).__name__


def _retry_after(response: httpx.Response) -> float | None:
    """Retry-After in seconds (a number or an HTTP date), None when absent or unreadable."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max((when - dt.datetime.now(dt.UTC)).total_seconds(), 0.0)


def _messages(response: httpx.Response) -> list[str]:
    """The NSSO's words about a refused request: its invalid properties, else its text."""
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip()
        return [text[:500] or f"HTTP {response.status_code}"]
    found: list[str] = []
    _collect(body, found)
    return found or [f"HTTP {response.status_code}"]


def _collect(body: Any, found: list[str]) -> None:
    """Property messages in the shapes REST services use: lists of text or of
    {"property"/"name", "message"/"description"} objects, under common keys."""
    if isinstance(body, str):
        found.append(body)
    elif isinstance(body, list):
        for item in body:
            _collect(item, found)
    elif isinstance(body, dict):
        name = body.get("property") or body.get("name") or body.get("field")
        text = body.get("message") or body.get("description") or body.get("detail")
        if isinstance(text, str) and isinstance(name, str):
            found.append(f"{name}: {text}")
            return
        for key in ("issues", "properties", "invalidProperties", "errors", "messages"):
            if key in body:
                _collect(body[key], found)
                return
        if isinstance(text, str):
            found.append(text)
        elif isinstance(body.get("error"), str):
            description = body.get("error_description")
            found.append(f"{body['error']}: {description}" if description else body["error"])


class Services:
    """The service of each employer: its own account's or the default one, one per account."""

    def __init__(self, credentials: Credentials, **options: Any):
        self.credentials = credentials
        self._options = options
        self._services: dict[Account, RestService] = {}
        self._lock = threading.Lock()

    def __call__(self, enterprise_number: str) -> Service:
        account = self.credentials.account(enterprise_number)
        with self._lock:
            if account not in self._services:
                self._services[account] = RestService(account, **self._options)
            return self._services[account]

    def close(self) -> None:
        with self._lock:
            for service in self._services.values():
                service.close()
            self._services.clear()

    def __enter__(self) -> Services:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def services(credentials_path: Path | str, **options: Any) -> Services:
    """The per-employer factory over a credentials file (checked at once: `CredentialsError`)."""
    return Services(load(credentials_path), **options)
