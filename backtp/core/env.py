"""Strict readers for the environment variables that configure backtp.

Every reader raises ImproperlyConfigured naming the variable when its value
cannot be parsed, so a typo in a deployment fails loudly at start-up instead of
silently falling back to a default.
"""

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; blank items are an error, not silently dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    if not raw.strip():
        return []
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name} has an empty item in {raw!r}")
    return items


def env_origins(name: str, default: list[str]) -> list[str]:
    """A comma-separated list of origins such as https://backtp.example."""
    origins = env_list(name, default)
    for origin in origins:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            raise ImproperlyConfigured(
                f"{name} must hold origins like https://example.com; got {origin!r}"
            )
    return origins


def parse_database_url(name: str, url: str, base_dir: Path) -> dict[str, object]:
    """Turn sqlite:///path or postgres://user:pass@host:port/db?opts into DATABASES['default']."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    options = dict(parse_qsl(parts.query, keep_blank_values=True))
    if scheme == "sqlite":
        if parts.netloc:
            raise ImproperlyConfigured(
                f"{name}: write sqlite URLs as sqlite:///relative/path.sqlite3"
            )
        path = unquote(parts.path.removeprefix("/"))
        if not path:
            raise ImproperlyConfigured(f"{name}: a sqlite URL needs a file path; got {url!r}")
        db_path = path if path == ":memory:" else str((base_dir / path).resolve())
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": db_path, "OPTIONS": options}
    if scheme in ("postgres", "postgresql", "pgsql"):
        db_name = unquote(parts.path.removeprefix("/"))
        if not db_name or "/" in db_name:
            raise ImproperlyConfigured(f"{name}: a postgres URL needs a database name; got {url!r}")
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(f"{name}: the port is not a number in {url!r}") from None
        settings: dict[str, object] = {}
        if "conn_max_age" in options:
            conn_max_age = options.pop("conn_max_age")
            if not conn_max_age.isdigit():
                raise ImproperlyConfigured(f"{name}: conn_max_age must be whole seconds")
            settings["CONN_MAX_AGE"] = int(conn_max_age)
        return settings | {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": db_name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"{name} must start with sqlite:/// or postgres://; got scheme {parts.scheme!r}"
    )
