"""dimona.toml: accounts read, per-employer overrides, files others can read refused as ssh does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from batch.channels.credentials import CredentialsError, load


def pem(key, password: bytes | None = None) -> bytes:
    encryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def private(path: Path, data: bytes | str, mode: int = 0o600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    path.chmod(mode)
    return path


@pytest.fixture(scope="module")
def rsa_pem() -> bytes:
    return pem(rsa.generate_private_key(public_exponent=65537, key_size=2048))


TOML = """endpoint = "http://127.0.0.1:8765/"
client_id = "dimona-office-1"
private_key = "keys/office-1.pem"
"""


def office(tmp_path: Path, rsa_pem: bytes, toml: str = TOML) -> Path:
    private(tmp_path / "keys" / "office-1.pem", rsa_pem)
    return private(tmp_path / "dimona.toml", toml)


def refusal(path: Path) -> str:
    with pytest.raises(CredentialsError) as caught:
        load(path)
    return str(caught.value)


def test_the_default_account_with_its_key_relative_to_the_toml(tmp_path, rsa_pem):
    credentials = load(office(tmp_path, rsa_pem))
    account = credentials.default
    assert account.endpoint == "http://127.0.0.1:8765"
    assert account.client_id == "dimona-office-1"
    assert account.key_path == tmp_path / "keys" / "office-1.pem"
    assert (account.timeout, account.parallel, account.attempts) == (30.0, 4, 5)
    assert account.key.key_size == 2048
    assert credentials.account("0123456749") is account
    assert "PRIVATE" not in repr(account) and "key=" not in repr(account)


def test_an_employer_with_its_own_account_inherits_endpoint_and_timeouts(tmp_path, rsa_pem):
    private(tmp_path / "keys" / "office-2.pem", rsa_pem)
    toml = TOML + (
        "timeout = 5\nparallel = 2\n"
        '[employers."0123456749"]\nclient_id = "dimona-office-2"\n'
        'private_key = "keys/office-2.pem"\n'
        '[employers."0987654321"]\nclient_id = "dimona-office-1"\n'
        'private_key = "keys/office-1.pem"\n'
    )
    credentials = load(office(tmp_path, rsa_pem, toml))
    other = credentials.account("0123456749")
    assert other.client_id == "dimona-office-2"
    assert other.endpoint == "http://127.0.0.1:8765"
    assert (other.timeout, other.parallel) == (5.0, 2)
    assert other != credentials.default
    # the same client and key under another employer is the same account (one token)
    assert credentials.account("0987654321") == credentials.default
    assert credentials.account("0200065765") is credentials.default


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_a_toml_readable_by_others_is_refused_with_the_chmod_that_fixes_it(tmp_path, rsa_pem):
    path = office(tmp_path, rsa_pem)
    path.chmod(0o644)
    assert refusal(path) == (f"{path} is readable by others (mode 0644): chmod 600 {path}")
    path.chmod(0o620)
    assert refusal(path) == f"{path} is writable by others (mode 0620): chmod 600 {path}"
    path.chmod(0o640)
    assert refusal(path) == f"{path} is readable by others (mode 0640): chmod 600 {path}"


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_a_key_readable_by_others_is_refused_naming_the_key(tmp_path, rsa_pem):
    path = office(tmp_path, rsa_pem)
    key = tmp_path / "keys" / "office-1.pem"
    key.chmod(0o604)
    assert refusal(path) == f"{key} is readable by others (mode 0604): chmod 600 {key}"
    key.chmod(0o400)
    assert load(path).default.client_id == "dimona-office-1"


def test_the_refusal_names_the_toml_as_the_user_wrote_it(tmp_path, rsa_pem, monkeypatch):
    office(tmp_path, rsa_pem).chmod(0o644)
    monkeypatch.chdir(tmp_path)
    assert refusal(Path("dimona.toml")) == (
        "dimona.toml is readable by others (mode 0644): chmod 600 dimona.toml"
    )


def test_missing_files_and_settings_are_one_line_naming_the_file(tmp_path, rsa_pem):
    assert refusal(tmp_path / "nope.toml") == f"{tmp_path / 'nope.toml'}: no such file"
    path = office(tmp_path, rsa_pem, TOML.replace('client_id = "dimona-office-1"\n', ""))
    assert refusal(path) == f"{path}: missing client_id"
    path = office(tmp_path, rsa_pem, TOML.replace("office-1.pem", "office-9.pem"))
    assert refusal(path) == f"{tmp_path / 'keys' / 'office-9.pem'}: no such file"
    path = office(tmp_path, rsa_pem, TOML + '[employers."0123456749"]\nclient_id = "x"\n')
    assert refusal(path) == f'{path} [employers."0123456749"]: missing private_key'
    path = office(tmp_path, rsa_pem, TOML + '[employers."12345"]\nclient_id = "x"\n')
    assert refusal(path) == f'{path} [employers."12345"]: expected a 10-digit enterprise number'
    path = office(tmp_path, rsa_pem, TOML + "parallel = 0\n")
    assert refusal(path) == f"{path}: parallel must be a positive number"
    path = office(tmp_path, rsa_pem, TOML + "secret = 1\n")
    assert refusal(path) == f"{path}: unknown setting secret"
    path = office(tmp_path, rsa_pem, TOML.replace("http://", "ftp://"))
    assert refusal(path) == f"{path}: endpoint must start with https:// (or http://)"
    path = office(tmp_path, rsa_pem, "endpoint = \n")
    assert refusal(path).startswith(f"{path}: not valid TOML (")


def test_keys_that_do_not_load_are_named_never_shown(tmp_path, rsa_pem):
    key = tmp_path / "keys" / "office-1.pem"
    path = office(tmp_path, rsa_pem)
    private(key, b"-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ5dGVz\n-----END PRIVATE KEY-----\n")
    text = refusal(path)
    assert text == f"{key}: not a PEM private key"
    private(key, pem(ec.generate_private_key(ec.SECP256R1())))
    assert refusal(path) == f"{key}: not an RSA private key (RS256 needs one)"
    private(key, pem(rsa.generate_private_key(public_exponent=65537, key_size=2048), b"pw"))
    assert refusal(path).startswith(f"{key}: the private key is protected by a passphrase;")
