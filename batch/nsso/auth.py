"""OAuth2 client credentials with a signed JWT, as the NSSO's token endpoint asks for them.

A client proves who it is with an RS256 assertion signed by its private key (RFC 7523:
`iss` = `sub` = client id, `aud` = the token URL, `jti`, `iat`, `exp`); the simulator holds
only the public keys registered with `--client ID:PUBLIC_KEY.pem`. Tokens are kept in memory:
after a restart every client simply asks for a new one. Assertions and tokens are judged by
real time, never by the simulator's Dimona clock (`--clock`), as the client signs them.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

DECLARANT = "scope:dimona:declaration:declarant"
CONSULT = "scope:dimona:declaration:consult"
SCOPES = (DECLARANT, CONSULT)
GRANT_TYPE = "client_credentials"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
TOKEN_LIFETIME = 600
"""Seconds a token lives (its `expires_in`), unless the token-expiry fault cuts it short."""
LEEWAY = 5
"""Seconds of clock difference allowed on an assertion's `exp` and `iat`."""


class TokenRefused(Exception):
    """A token request refused, in the terms of RFC 6749 §5.2."""

    def __init__(self, error: str, description: str, status: int = 400):
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status


@dataclass(frozen=True)
class Grant:
    """What a token allows: whose it is, its scopes, until when (time.monotonic)."""

    client_id: str
    scopes: frozenset[str]
    expires: float


def read_client(spec: str) -> tuple[str, RSAPublicKey]:
    """`ID:PUBLIC_KEY.pem` as the client id and its key; a ValueError of one line if not."""
    client_id, colon, path_text = spec.partition(":")
    if not colon or not client_id.strip() or not path_text.strip():
        raise ValueError(f"--client {spec!r}: expected CLIENT_ID:PUBLIC_KEY.pem")
    path = Path(path_text)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ValueError(f"--client {client_id}: cannot read {path}: {error.strerror}") from None
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        raise ValueError(f"--client {client_id}: {path} is not a PEM public key") from None
    if not isinstance(key, RSAPublicKey):
        raise ValueError(f"--client {client_id}: {path} is not an RSA public key (RS256)")
    return client_id.strip(), key


class Authority:
    """The token endpoint's memory: registered keys, assertions seen, tokens issued."""

    def __init__(self, clients: Mapping[str, RSAPublicKey], token_expiry: float | None = None):
        self.clients = dict(clients)
        self.token_expiry = token_expiry
        self._seen: dict[str, float] = {}  # jti -> its assertion's exp (time.time)
        self._tokens: dict[str, Grant] = {}
        self._lock = threading.Lock()

    def issue(self, form: Mapping[str, str], token_url: str) -> tuple[str, int, frozenset[str]]:
        """The access token for a token request, its `expires_in` and scopes; or TokenRefused."""
        if form.get("grant_type") != GRANT_TYPE:
            raise TokenRefused("unsupported_grant_type", f"grant_type must be {GRANT_TYPE}")
        if form.get("client_assertion_type") != ASSERTION_TYPE:
            raise TokenRefused("invalid_request", f"client_assertion_type must be {ASSERTION_TYPE}")
        assertion = form.get("client_assertion") or ""
        if not assertion:
            raise TokenRefused("invalid_request", "client_assertion is missing")
        scopes = _scopes(form.get("scope"))
        claims = self._verify(assertion, token_url)
        client_id = claims["iss"]
        if form.get("client_id") not in (None, "", client_id):
            raise TokenRefused("invalid_client", "client_id differs from the assertion", 401)
        now = time.monotonic()
        lifetime = TOKEN_LIFETIME
        lives = min(lifetime, self.token_expiry) if self.token_expiry is not None else lifetime
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens = {t: g for t, g in self._tokens.items() if g.expires > now}
            self._tokens[token] = Grant(client_id, scopes, now + lives)
        return token, lifetime, scopes

    def grant(self, token: str) -> Grant | None:
        """The grant of a live token; None for an unknown or expired one."""
        with self._lock:
            grant = self._tokens.get(token)
        if grant is None or grant.expires <= time.monotonic():
            return None
        return grant

    def _verify(self, assertion: str, token_url: str) -> dict:
        try:
            unverified = jwt.decode(assertion, options={"verify_signature": False})
        except jwt.PyJWTError:
            raise TokenRefused("invalid_client", "client_assertion is not a JWT", 401) from None
        issuer = unverified.get("iss")
        key = self.clients.get(issuer) if isinstance(issuer, str) else None
        if key is None:
            raise TokenRefused("invalid_client", "unknown client", 401)
        try:
            claims = jwt.decode(
                assertion,
                key,
                algorithms=["RS256"],
                audience=token_url,
                issuer=issuer,
                leeway=LEEWAY,
                options={"require": ["iss", "sub", "aud", "jti", "iat", "exp"]},
            )
        except jwt.ExpiredSignatureError:
            raise TokenRefused("invalid_client", "client_assertion has expired", 401) from None
        except jwt.InvalidAudienceError:
            raise TokenRefused(
                "invalid_client", f"client_assertion aud must be {token_url}", 401
            ) from None
        except jwt.InvalidSignatureError:
            raise TokenRefused("invalid_client", "client_assertion: bad signature", 401) from None
        except jwt.PyJWTError as error:
            raise TokenRefused("invalid_client", f"client_assertion: {error}", 401) from None
        if claims["sub"] != issuer:
            raise TokenRefused("invalid_client", "client_assertion sub must equal iss", 401)
        jti = str(claims["jti"])
        now = time.time()
        with self._lock:
            self._seen = {j: exp for j, exp in self._seen.items() if exp + LEEWAY > now}
            if jti in self._seen:
                raise TokenRefused("invalid_client", "client_assertion jti already used", 401)
            self._seen[jti] = float(claims["exp"])
        return claims


def _scopes(text: str | None) -> frozenset[str]:
    """The scopes asked for (space-separated); none asked for means every scope."""
    asked = (text or "").split()
    unknown = [s for s in asked if s not in SCOPES]
    if unknown:
        raise TokenRefused("invalid_scope", f"unknown scope {unknown[0]}")
    return frozenset(asked or SCOPES)


def allows(grant: Grant, needed: Iterable[str]) -> bool:
    """Whether the grant holds one of the scopes `needed`."""
    return not grant.scopes.isdisjoint(needed)
