import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from backtp.core.env import env_bool, env_int, env_list, env_origins, parse_database_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("raw", ["1", "true", "True", "yes", "on", " TRUE "])
def test_env_bool_reads_true(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", False) is True


@pytest.mark.parametrize("raw", ["0", "false", "no", "off"])
def test_env_bool_reads_false(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", True) is False


def test_env_bool_rejects_anything_else_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG", False)


def test_env_bool_uses_the_default_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLAG", raising=False)
    assert env_bool("FLAG", True) is True


def test_env_int_rejects_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKERS", "three")
    with pytest.raises(ImproperlyConfigured, match="WORKERS"):
        env_int("WORKERS", 1)
    monkeypatch.setenv("WORKERS", " 3 ")
    assert env_int("WORKERS", 1) == 3


def test_env_list_splits_and_rejects_empty_items(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_HOSTS", "backtp.example, www.backtp.example")
    assert env_list("ALLOWED_HOSTS", []) == ["backtp.example", "www.backtp.example"]
    monkeypatch.setenv("ALLOWED_HOSTS", "backtp.example,,other")
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        env_list("ALLOWED_HOSTS", [])


def test_csrf_trusted_origins_must_be_origins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSRF_TRUSTED_ORIGINS", "https://backtp.example")
    assert env_origins("CSRF_TRUSTED_ORIGINS", []) == ["https://backtp.example"]
    monkeypatch.setenv("CSRF_TRUSTED_ORIGINS", "backtp.example")
    with pytest.raises(ImproperlyConfigured, match="CSRF_TRUSTED_ORIGINS"):
        env_origins("CSRF_TRUSTED_ORIGINS", [])


def test_sqlite_url_is_relative_to_the_project(tmp_path: Path) -> None:
    config = parse_database_url("DATABASE_URL", "sqlite:///db.sqlite3", tmp_path)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "db.sqlite3")


def test_sqlite_url_can_be_absolute(tmp_path: Path) -> None:
    config = parse_database_url("DATABASE_URL", "sqlite:////data/db.sqlite3", tmp_path)
    assert config["NAME"] == "/data/db.sqlite3"


def test_postgres_url_is_parsed_in_full(tmp_path: Path) -> None:
    config = parse_database_url(
        "DATABASE_URL",
        "postgres://back%40tp:s3cr%2Ft@db.internal:6543/backtp?sslmode=require&conn_max_age=60",
        tmp_path,
    )
    assert config == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "backtp",
        "USER": "back@tp",
        "PASSWORD": "s3cr/t",
        "HOST": "db.internal",
        "PORT": "6543",
        "CONN_MAX_AGE": 60,
        "OPTIONS": {"sslmode": "require"},
    }


@pytest.mark.parametrize(
    "url",
    [
        "mysql://root@localhost/backtp",
        "postgres://postgres@localhost",
        "postgres://postgres@localhost:port/db",
        "sqlite://",
        "db.sqlite3",
    ],
)
def test_bad_database_urls_name_the_variable(tmp_path: Path, url: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        parse_database_url("DATABASE_URL", url, tmp_path)


def _check_with(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_secret_key_refuses_to_start() -> None:
    result = _check_with({"DEBUG": "0", "ALLOWED_HOSTS": "backtp.example"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_bad_debug_value_refuses_to_start() -> None:
    result = _check_with({"DEBUG": "sometimes"})
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_production_settings_start_with_a_secret_key() -> None:
    result = _check_with({"DEBUG": "0", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "backtp.example"})
    assert result.returncode == 0, result.stderr


def test_the_user_model_is_backtps_own(settings) -> None:
    from django.contrib.auth import get_user_model

    assert settings.AUTH_USER_MODEL == "accounts.User"
    assert get_user_model()._meta.app_label == "accounts"
