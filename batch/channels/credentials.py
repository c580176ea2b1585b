"""An office's web-service accounts, from `dimona.toml`: refused when others can read them.

```toml
endpoint = "https://services.socialsecurity.be"  # the NSSO's base URL (REST/ paths added)
client_id = "dimona-office-1"
private_key = "keys/office-1.pem"                 # relative to this file
timeout = 30                                       # seconds per request (optional)
parallel = 4                                       # requests in flight at once (optional)
attempts = 5                                       # tries per request (optional)
[employers."0123456749"]                           # optional: another account for one employer
client_id = "dimona-office-2"
private_key = "keys/office-2.pem"
```

Like ssh, a credentials file or private key that group or others may read or write is
refused with the `chmod` that fixes it. The key itself stays inside `Account` (never in a
message or a repr): a PEM private key, unencrypted, RSA (the assertion is signed RS256).
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

DEFAULT_TIMEOUT = 30.0
DEFAULT_PARALLEL = 4
DEFAULT_ATTEMPTS = 5
_ENTERPRISE_NUMBER = re.compile(r"\d{10}")
_SETTINGS = {"endpoint", "client_id", "private_key", "timeout", "parallel", "attempts"}


class CredentialsError(Exception):
    """A credentials file or key that cannot be used: one line naming the file (exit 2)."""


@dataclass(frozen=True)
class Account:
    """One web-service account: where to file, as whom, signed with which key."""

    endpoint: str
    client_id: str
    key_path: Path
    key: RSAPrivateKey = field(repr=False, compare=False)
    """Equal accounts (same endpoint, client and key file) share one client and one token."""
    timeout: float = DEFAULT_TIMEOUT
    parallel: int = DEFAULT_PARALLEL
    attempts: int = DEFAULT_ATTEMPTS


@dataclass(frozen=True)
class Credentials:
    """The default account and the employers (enterprise numbers) filed with another one."""

    path: Path
    default: Account
    employers: dict[str, Account] = field(default_factory=dict)

    def account(self, enterprise_number: str) -> Account:
        return self.employers.get(enterprise_number, self.default)


def check_private(path: Path, shown: str) -> None:
    """Refuse a file that group or others may read or write, saying how to fix it (as ssh)."""
    if os.name != "posix":
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        what = "readable" if mode & 0o044 else "writable"
        raise CredentialsError(f"{shown} is {what} by others (mode {mode:04o}): chmod 600 {shown}")


def _read(path: Path, shown: str) -> bytes:
    if not path.exists():
        raise CredentialsError(f"{shown}: no such file")
    if not path.is_file():
        raise CredentialsError(f"{shown}: not a file")
    check_private(path, shown)
    try:
        return path.read_bytes()
    except OSError as error:
        raise CredentialsError(f"{shown}: cannot be read ({error.strerror})") from None


def load_key(path: Path, shown: str) -> RSAPrivateKey:
    """The RSA private key of a PEM file; the message names the file, never its contents."""
    data = _read(path, shown)
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise CredentialsError(
            f"{shown}: the private key is protected by a passphrase; store it without one"
            " (openssl pkey -in KEY -out KEY.pem) and keep the file chmod 600"
        ) from None
    except Exception:  # ValueError, UnsupportedAlgorithm: the data is not a key we read
        raise CredentialsError(f"{shown}: not a PEM private key") from None
    if not isinstance(key, RSAPrivateKey):
        raise CredentialsError(f"{shown}: not an RSA private key (RS256 needs one)")
    return key


def _text(table: dict, name: str, where: str) -> str:
    if name not in table:
        raise CredentialsError(f"{where}: missing {name}")
    value = table[name]
    if not isinstance(value, str) or not value.strip():
        raise CredentialsError(f"{where}: {name} must be a non-empty string")
    return value.strip()


def _number(table: dict, name: str, where: str, default: float, kind: type) -> float:
    value = table.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise CredentialsError(f"{where}: {name} must be a positive number")
    if kind is int and value != int(value):
        raise CredentialsError(f"{where}: {name} must be a whole number")
    return kind(value)


def _account(table: dict, base: Account | None, toml: Path, where: str) -> Account:
    unknown = sorted(set(table) - _SETTINGS)
    if unknown:
        raise CredentialsError(f"{where}: unknown setting {unknown[0]}")
    if base is None or "endpoint" in table:
        endpoint = _text(table, "endpoint", where).rstrip("/")
        if not endpoint.startswith(("https://", "http://")):
            raise CredentialsError(f"{where}: endpoint must start with https:// (or http://)")
    else:
        endpoint = base.endpoint
    client_id = _text(table, "client_id", where)
    relative = _text(table, "private_key", where)
    key_path = toml.parent / Path(relative).expanduser()
    key = load_key(key_path, str(key_path))
    account = Account(
        endpoint,
        client_id,
        key_path,
        key,
        _number(table, "timeout", where, base.timeout if base else DEFAULT_TIMEOUT, float),
        _number(table, "parallel", where, base.parallel if base else DEFAULT_PARALLEL, int),
        _number(table, "attempts", where, base.attempts if base else DEFAULT_ATTEMPTS, int),
    )
    return account


def load(path: Path | str) -> Credentials:
    """Read and check a credentials file and every key it names."""
    path = Path(path)
    shown = str(path)
    data = _read(path, shown)
    try:
        table = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise CredentialsError(f"{shown}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise CredentialsError(f"{shown}: not valid TOML ({error})") from None
    employers = table.pop("employers", {})
    if not isinstance(employers, dict):
        raise CredentialsError(f'{shown}: employers must be tables [employers."0123456749"]')
    default = _account(table, None, path, shown)
    accounts: dict[str, Account] = {}
    for number, override in employers.items():
        where = f'{shown} [employers."{number}"]'
        if not _ENTERPRISE_NUMBER.fullmatch(number):
            raise CredentialsError(f"{where}: expected a 10-digit enterprise number")
        if not isinstance(override, dict):
            raise CredentialsError(f"{where}: expected a table with client_id and private_key")
        accounts[number] = _account(override, default, path, where)
    return Credentials(path, default, accounts)
