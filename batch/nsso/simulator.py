"""`dimona-batch simulator`: options read and checked, the core opened, the server started.

Every unusable option becomes `Unusable` with one line naming it (exit status 2); secrets
never appear: the terminal shows the URL, the client ids and the settings, never a key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from .faults import Draw, parse_faults


class Unusable(Exception):
    """An option the simulator cannot start with."""


def start(
    clients: Iterable[str],
    host: str = "127.0.0.1",
    port: int = 8765,
    state: Path = Path("nsso.sqlite"),
    clock: str | None = None,
    delay: float = 0.5,
    faults: str | None = None,
    seed: int | None = None,
    not_eligible: Path | None = None,
    unknown_workers: Path | None = None,
    rules_file: Path | None = None,
    say: Callable[[str], None] = print,
) -> None:
    """Serve until SIGINT or SIGTERM."""
    from .auth import Authority, read_client
    from .server import Clock, create_app, listening_socket, read_insz_list, serve, url_of

    try:
        chosen = parse_faults(faults)
        keys = {}
        for spec in clients:
            client_id, key = read_client(spec)
            if client_id in keys:
                raise ValueError(f"--client {client_id}: given twice")
            keys[client_id] = key
        if not keys:
            raise ValueError("at least one --client ID:PUBLIC_KEY.pem is needed")
        eligible_not = read_insz_list(not_eligible) if not_eligible else []
        unknown = read_insz_list(unknown_workers) if unknown_workers else []
        rules = _rules(rules_file) if rules_file else None
        start_at = _clock(clock) if clock else None
    except ValueError as error:
        raise Unusable(str(error)) from None

    from .core import Nsso, StateError

    try:
        nsso = Nsso(
            state, rules=rules, not_eligible=eligible_not, unknown_workers=unknown, delay=delay
        )
    except (StateError, OSError) as error:
        raise Unusable(f"--state {state}: {error}") from None
    try:
        try:
            sock = listening_socket(host, port)
        except OSError as error:
            raise Unusable(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
        draw = Draw(chosen, seed) if chosen.any_share else None
        app = create_app(nsso, Authority(keys, chosen.token_expiry), Clock(start_at), draw)
        url = url_of(sock)
        say(f"NSSO simulator listening on {url} (Ctrl-C stops it)")
        say(f"clients: {', '.join(keys)}")
        moment = f"{start_at:%Y-%m-%d %H:%M} Brussels, running on" if start_at else "real time"
        seeded = f" (seed {seed})" if draw is not None and seed is not None else ""
        say(f"state {state}; clock {moment}; processing delay {delay:g} s; faults {chosen}{seeded}")
        serve(app, sock)
    finally:
        nsso.close()


def _rules(path: Path):
    from ..rules import load_rules

    try:
        return load_rules(path)
    except (OSError, KeyError, TypeError) as error:
        raise ValueError(f"--rules {path}: {error}") from None
    except ValueError as error:
        raise ValueError(str(error) if str(path) in str(error) else f"{path}: {error}") from None


def _clock(text: str):
    from ..pipeline import InputError, parse_as_of

    try:
        return parse_as_of(text, "--clock")
    except InputError as error:
        raise ValueError(str(error)) from None
