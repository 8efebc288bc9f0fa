"""Typed readers for settings taken from the environment, with errors that say what to fix."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """A string setting; the default when unset."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """A yes/no setting: accepts 1/0, true/false, yes/no, on/off."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a yes/no value: use 1 or 0, true or false, yes or no."
    )


def env_int(name: str, default: int) -> int:
    """A whole-number setting."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_positive_int(name: str, default: int) -> int:
    """A whole-number setting of at least 1 (sizes, counts, timeouts)."""
    value = env_int(name, default)
    if value < 1:
        raise ImproperlyConfigured(f"{name}={value} must be a whole number of at least 1.")
    return value


def env_choice(name: str, default: str, choices: list[str]) -> str:
    """A setting that must be one of a few words."""
    value = os.environ.get(name, default).strip().lower() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of: {', '.join(choices)}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list setting; blanks are dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def secret_key() -> str:
    """SECRET_KEY, or the contents of the file named by SECRET_KEY_FILE."""
    key = os.environ.get("SECRET_KEY", "")
    key_file = os.environ.get("SECRET_KEY_FILE", "")
    if key and key_file:
        raise ImproperlyConfigured("Set SECRET_KEY or SECRET_KEY_FILE, not both.")
    if key_file:
        path = Path(key_file)
        if not path.is_file():
            raise ImproperlyConfigured(f"SECRET_KEY_FILE={key_file!r}: no such file.")
        key = path.read_text(encoding="utf-8").strip()
        if not key:
            raise ImproperlyConfigured(f"SECRET_KEY_FILE={key_file!r} is empty.")
    if not key:
        raise ImproperlyConfigured(
            "No secret key: set SECRET_KEY, or SECRET_KEY_FILE to a file holding one "
            "(`make demo` makes var/secret_key for you)."
        )
    return key


def secret_file(name: str) -> str:
    """The secret held in the file named by the setting `name`; empty when the setting is unset."""
    file_name = os.environ.get(name, "")
    if not file_name:
        return ""
    path = Path(file_name)
    if not path.is_file():
        raise ImproperlyConfigured(f"{name}={file_name!r}: no such file.")
    secret = path.read_text(encoding="utf-8").strip()
    if not secret:
        raise ImproperlyConfigured(f"{name}={file_name!r} is empty.")
    return secret
