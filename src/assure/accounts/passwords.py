"""Refusing guessable passwords, offline, without composition rules (NCSC guidance).

Django's list of 20,000 common passwords (taken from breached-password lists) is bundled; a
password is also guessable when it is little more than one of those, or than the
partnership's name or the person's own details, with a few characters added
("Password123!", "qwertyuiopas", "Southampton2026").
"""

import re
from functools import cache
from typing import Any

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

# A password must keep at least this many characters once its guessable words are taken out.
MIN_OWN_CHARACTERS = 6
# Words shorter than this are too short to count as what a password is "made of".
MIN_WORD = 4


@cache
def common_passwords() -> tuple[str, ...]:
    """The bundled list, longest first, so the longest common word is found first."""
    words = CommonPasswordValidator().passwords
    return tuple(sorted((w for w in words if len(w) >= MIN_WORD), key=len, reverse=True))


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^a-z0-9]+", text.lower()) if len(w) >= MIN_WORD]


def context_words(user: Any = None) -> list[str]:
    """The partnership's and the service's names and the person's own details, in lower case."""
    from assure.accounts.models import Partnership

    words = ["assure", "safeguarding", "partnership"]
    for partnership in Partnership.objects.only("name", "short_name"):
        words += _words(partnership.name) + _words(partnership.short_name)
        words.append(re.sub(r"[^a-z0-9]", "", partnership.short_name.lower()))
    if user is not None:
        for attribute in ("username", "first_name", "last_name", "email", "job_title"):
            value = str(getattr(user, attribute, "") or "")
            words += _words(value) + _words(value.partition("@")[0])
            words.append(re.sub(r"[^a-z0-9]", "", value.lower()))
        agency = getattr(user, "agency", None)
        if agency is not None:
            words += _words(agency.name)
    return sorted({w for w in words if len(w) >= MIN_WORD}, key=len, reverse=True)


def own_characters(password: str, user: Any = None) -> int:
    """How much of the password is left once common passwords and context words are removed."""
    rest = password.lower()
    for word in context_words(user):
        rest = rest.replace(word, "")
    for word in common_passwords():
        if word in rest:
            rest = rest.replace(word, "")
            break  # the longest common word; a second would be rare and costly to look for
    return len(re.sub(r"[^a-z0-9]", "", rest)) + min(len(re.sub(r"[a-z0-9]", "", rest)), 1)


class GuessablePasswordValidator:
    """Refuse a password that is mostly a common password or names the person or partnership."""

    def validate(self, password: str, user: Any = None) -> None:
        if own_characters(password, user) < MIN_OWN_CHARACTERS:
            raise ValidationError(
                "Your password is too easy to guess: it is mostly a common password, your "
                "own name or details, or the partnership's name. Try three or four random "
                "words together",
                code="password_guessable",
            )

    def get_help_text(self) -> str:
        return "It must not be mostly a common password, your name or the partnership's name."
