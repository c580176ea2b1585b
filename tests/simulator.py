"""`dimona-batch simulator` as a real process on 127.0.0.1, for any test that needs an NSSO.

`start_simulator(tmp_path, ...)` generates an RSA key pair per client (the private key 0600),
starts `python -m batch simulator --port 0` (any free port; the URL is read from what it
prints), waits until it answers and returns a `Simulator`; `.stop()` ends it (the `simulator`
fixture of conftest.py does so by itself). `token(...)` gets an access token with httpx the
way a client does: an RS256 assertion signed by the client's private key.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

TOKEN_PATH = "/REST/oauth/v5/token"
DIMONA = "/REST/dimona/v2"
DECLARANT = "scope:dimona:declaration:declarant"
CONSULT = "scope:dimona:declaration:consult"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
STARTUP_SECONDS = 30


@dataclass
class Simulator:
    """A running simulator and what a client needs to talk to it."""

    url: str
    client_id: str
    private_key_path: Path
    public_key_path: Path
    state_path: Path
    process: subprocess.Popen
    output_path: Path
    keys: dict[str, Path] = field(default_factory=dict)
    """Every registered client id and its private key file."""

    @property
    def token_url(self) -> str:
        return self.url + TOKEN_PATH

    @property
    def dimona(self) -> str:
        return self.url + DIMONA

    def output(self) -> str:
        """What the simulator printed so far (stdout and stderr)."""
        return self.output_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> int:
        """End the process (SIGTERM, then SIGKILL after 5 s); its exit status."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        return self.process.returncode


def make_keys(folder: Path, name: str) -> tuple[Path, Path]:
    """An RSA key pair as PEM files: the private key (0600) and the public key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = folder / f"{name}.pem"
    public = folder / f"{name}.pub.pem"
    descriptor = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private, public


def _insz_file(folder: Path, name: str, numbers: Iterable[str]) -> Path:
    path = folder / name
    path.write_text("# one INSZ a line\n\n" + "".join(f"{n}\n" for n in numbers), "utf-8")
    return path


def start_simulator(
    tmp_path: Path,
    client_id: str = "office-1",
    *,
    other_clients: Iterable[str] = (),
    processing_delay: float = 0.0,
    faults: str | None = None,
    seed: int | None = None,
    clock: str | None = None,
    not_eligible: Iterable[str] = (),
    unknown_workers: Iterable[str] = (),
    state_path: Path | None = None,
    extra: Iterable[str] = (),
) -> Simulator:
    """Start `dimona-batch simulator` on a free port of 127.0.0.1 and wait until it answers."""
    folder, number = tmp_path / "simulator", 1
    while folder.exists():  # a second simulator in the same test gets its own keys
        number += 1
        folder = tmp_path / f"simulator-{number}"
    folder.mkdir()
    keys: dict[str, Path] = {}
    publics: dict[str, Path] = {}
    command = [sys.executable, "-m", "batch", "simulator", "--port", "0"]
    for name in (client_id, *other_clients):
        keys[name], publics[name] = make_keys(folder, name)
        command += ["--client", f"{name}:{publics[name]}"]
    state = state_path or folder / "nsso.sqlite"
    command += ["--state", str(state), "--processing-delay", str(processing_delay)]
    if faults:
        command += ["--faults", faults]
    if seed is not None:
        command += ["--seed", str(seed)]
    if clock:
        command += ["--clock", clock]
    if not_eligible:
        command += ["--not-eligible", str(_insz_file(folder, "not-eligible.txt", not_eligible))]
    if unknown_workers:
        command += ["--unknown-workers", str(_insz_file(folder, "unknown.txt", unknown_workers))]
    command += list(extra)
    output = folder / "simulator.out"
    with output.open("wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=folder
        )
    url = _wait_for_url(process, output)
    simulator = Simulator(
        url=url,
        client_id=client_id,
        private_key_path=keys[client_id],
        public_key_path=publics[client_id],
        state_path=state,
        process=process,
        output_path=output,
        keys=keys,
    )
    return simulator


def _wait_for_url(process: subprocess.Popen, output: Path) -> str:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        text = output.read_text(encoding="utf-8", errors="replace")
        for line in text.splitlines():
            if line.startswith("NSSO simulator listening on "):
                url = line.split()[4]
                httpx.get(url + "/", timeout=5)  # answers (404): it is serving
                return url
        if process.poll() is not None:
            raise RuntimeError(f"the simulator exited with {process.returncode}: {text.strip()}")
        time.sleep(0.05)
    process.kill()
    raise RuntimeError("the simulator did not start within 30 s")


def assertion(
    simulator: Simulator,
    client_id: str | None = None,
    *,
    private_key_path: Path | None = None,
    audience: str | None = None,
    jti: str | None = None,
    issued: float | None = None,
    lifetime: float = 60,
) -> str:
    """A signed client assertion, as a client builds it (every claim may be bent for a test)."""
    client_id = client_id or simulator.client_id
    key_path = private_key_path or simulator.keys[client_id]
    issued = time.time() if issued is None else issued
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": audience or simulator.token_url,
        "jti": jti or str(uuid.uuid4()),
        "iat": int(issued),
        "exp": int(issued + lifetime),
    }
    return jwt.encode(claims, key_path.read_bytes(), algorithm="RS256")


def token_response(
    simulator: Simulator, signed: str | None = None, scope: str = f"{DECLARANT} {CONSULT}", **form
) -> httpx.Response:
    """The token endpoint's answer to a client_credentials request."""
    data = {
        "grant_type": "client_credentials",
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": signed or assertion(simulator),
        "scope": scope,
        **form,
    }
    return httpx.post(simulator.token_url, data=data, timeout=10)


def token(simulator: Simulator, client_id: str | None = None, scope: str | None = None) -> str:
    """An access token of `client_id` (the simulator's first client by default)."""
    signed = assertion(simulator, client_id)
    answer = token_response(simulator, signed, scope or f"{DECLARANT} {CONSULT}")
    answer.raise_for_status()
    return answer.json()["access_token"]


def bearer(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}
