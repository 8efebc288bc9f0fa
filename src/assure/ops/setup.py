"""First set-up of a real partnership: its agencies, its own agency and the first administrator.

Everything is checked before anything is written, and written in one transaction; running it
again with the same answers changes nothing.
"""

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assure.accounts.models import Agency, Partnership, Role, RoleGrant, User
from assure.core import audit

MAX_NAME = 200
ALIAS_SEPARATOR = ";"
CSV_COLUMNS = ("name", "type", "aliases")
# Types a file may name: the partnership's own agency is made by set-up itself.
FILE_TYPES = {t.value: t for t in Agency.Type if t != Agency.Type.PARTNERSHIP}
TYPE_WORDS = {
    **{t.value: t for t in FILE_TYPES.values()},
    **{t.label.lower(): t for t in FILE_TYPES.values()},
}
EXPECTED_TYPES = ", ".join(FILE_TYPES)


class SetupError(Exception):
    """The answers or the agencies file cannot be used; nothing has been written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class AgencyRow:
    name: str
    agency_type: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Administrator:
    username: str
    email: str
    full_name: str


@dataclass(frozen=True)
class Plan:
    partnership: str
    agencies: list[AgencyRow]
    administrator: Administrator
    short_name: str = ""
    administrator_agency: str = ""  # blank: the partnership's own agency


@dataclass
class Outcome:
    changes: list[str] = field(default_factory=list)
    administrator: User | None = None
    link_needed: bool = False


def own_agency_name(partnership: str) -> str:
    return f"{partnership}: learning group and business unit"


# Reading the agencies file ---------------------------------------------------------------


def read_agencies(path: Path) -> list[AgencyRow]:
    """Agencies from a .json or .csv file; SetupError lists every problem by row and field."""
    name = path.name
    if path.suffix.lower() not in {".json", ".csv"}:
        raise SetupError([f"{name}: expected a .json or .csv file of agencies"])
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise SetupError([f"{name}: no such file ({path})"]) from None
    except UnicodeDecodeError:
        raise SetupError(
            [f"{name}: not UTF-8 text; save it as UTF-8 (\u201cCSV UTF-8\u201d)"]
        ) from None
    entries = (
        _json_entries(name, text) if path.suffix.lower() == ".json" else _csv_entries(name, text)
    )
    problems: list[str] = []
    agencies = []
    seen: dict[str, str] = {}
    for where, entry in entries:
        row, row_problems = _agency(f"{name}, {where}", entry)
        problems.extend(row_problems)
        if row is None:
            continue
        key = row.name.casefold()
        if key in seen:
            problems.append(
                f"{name}, {where}, name: {row.name!r} is already named at {seen[key]}; "
                "expected each agency once"
            )
        seen.setdefault(key, where)
        agencies.append(row)
    if not entries:
        problems.append(f"{name}: no agencies; expected at least one")
    if problems:
        raise SetupError(problems)
    return agencies


def _json_entries(name: str, text: str) -> list[tuple[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SetupError(
            [f"{name}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"]
        ) from None
    if isinstance(data, dict) and "agencies" in data:
        data = data["agencies"]
    if not isinstance(data, list):
        raise SetupError(
            [f'{name}: expected a list of agencies, or {{"agencies": [...]}}, at the top level']
        )
    return [(f"entry {number}", entry) for number, entry in enumerate(data, 1)]


def _csv_entries(name: str, text: str) -> list[tuple[str, Any]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = [column.strip().lower() for column in next(reader)]
    except StopIteration:
        raise SetupError(
            [f"{name}: the file is empty; expected a header row: name,type,aliases"]
        ) from None
    unknown = [column for column in header if column not in CSV_COLUMNS]
    missing = [column for column in ("name", "type") if column not in header]
    if unknown or missing:
        raise SetupError(
            [f"{name}, row 1: unknown column {c!r}" for c in unknown]
            + [f"{name}, row 1: no {c!r} column" for c in missing]
            + [f"{name}: expected a header row of name,type,aliases (aliases optional)"]
        )
    entries: list[tuple[str, Any]] = []
    for number, values in enumerate(reader, 2):
        if not any(value.strip() for value in values):
            continue
        if len(values) > len(header):
            entries.append((f"row {number}", f"{len(values)} values for {len(header)} columns"))
            continue
        values += [""] * (len(header) - len(values))  # trailing blanks may be left off
        record: dict[str, Any] = dict(zip(header, values, strict=True))
        aliases = record.get("aliases", "")
        record["aliases"] = [a for a in aliases.split(ALIAS_SEPARATOR) if a.strip()]
        entries.append((f"row {number}", record))
    return entries


def _agency(where: str, entry: Any) -> tuple[AgencyRow | None, list[str]]:
    if isinstance(entry, str):  # a CSV row of the wrong width
        return None, [f"{where}: {entry}; expected name,type,aliases"]
    if not isinstance(entry, dict):
        return None, [f'{where}: expected an object such as {{"name": ..., "type": ...}}']
    problems = []
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}, name: {name!r} is blank; expected the agency's name")
    elif len(name.strip()) > MAX_NAME:
        problems.append(
            f"{where}, name: {name[:40]!r}… is {len(name.strip())} characters; "
            f"expected at most {MAX_NAME}"
        )
    raw_type = entry.get("type")
    agency_type = TYPE_WORDS.get(raw_type.strip().lower()) if isinstance(raw_type, str) else None
    if raw_type in (None, ""):
        problems.append(f"{where}, type: blank; expected one of {EXPECTED_TYPES}")
    elif agency_type is None:
        problems.append(
            f"{where}, type: {raw_type!r} is not an agency type; expected one of {EXPECTED_TYPES}"
        )
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        problems.append(f"{where}, aliases: {aliases!r}; expected a list of names")
        aliases = []
    too_long = [a for a in aliases if len(a.strip()) > MAX_NAME]
    if too_long:
        problems.append(
            f"{where}, aliases: {too_long[0][:40]!r}… is too long; "
            f"expected each alias at most {MAX_NAME} characters"
        )
    if problems or agency_type is None or not isinstance(name, str):
        return None, problems
    cleaned = tuple(dict.fromkeys(a.strip() for a in aliases if a.strip()))
    return AgencyRow(name.strip(), agency_type.value, cleaned), []


# Writing ---------------------------------------------------------------------------------


def check(plan: Plan) -> None:
    """Problems with the answers themselves (the file's rows are checked as they are read)."""
    problems = []
    if not plan.partnership.strip():
        problems.append("Partnership name: blank; expected the partnership's full name")
    elif len(plan.partnership) > MAX_NAME:
        problems.append(f"Partnership name: expected at most {MAX_NAME} characters")
    admin = plan.administrator
    if not admin.username.strip():
        problems.append("Administrator's user name: blank; expected a user name")
    if "@" not in admin.email:
        problems.append(f"Administrator's email: {admin.email!r}; expected an email address")
    if not admin.full_name.strip():
        problems.append("Administrator's full name: blank; expected their name")
    names = {a.name.casefold() for a in plan.agencies}
    if own_agency_name(plan.partnership).casefold() in names:
        problems.append(
            "Agencies: the partnership's own agency is made for you; remove it from the file"
        )
    if plan.administrator_agency and plan.administrator_agency.casefold() not in names | {
        own_agency_name(plan.partnership).casefold()
    }:
        problems.append(
            f"Administrator's agency: {plan.administrator_agency!r} is not among the agencies; "
            "expected one of their names, or blank for the partnership's own agency"
        )
    other = Partnership.objects.exclude(name=plan.partnership).first()
    if other is not None:
        problems.append(
            f"This deployment already serves {other.name!r}: Assure serves one partnership, "
            "so set-up only adds to it (give its name exactly)"
        )
    if problems:
        raise SetupError(problems)


def set_up(plan: Plan) -> Outcome:
    """Create whatever of the plan is missing; say what changed (nothing, the second time)."""
    check(plan)
    outcome = Outcome()
    with transaction.atomic():
        partnership, created = Partnership.objects.get_or_create(
            name=plan.partnership, defaults={"short_name": plan.short_name}
        )
        if created:
            audit.record(None, audit.Action.CREATE, partnership, summary="Set up: partnership")
            outcome.changes.append(f"Created the partnership {partnership.name}")
        agencies = {a.name.casefold(): a for a in Agency.objects.filter(partnership=partnership)}
        own = partnership.agencies.filter(agency_type=Agency.Type.PARTNERSHIP).first()
        if own is None:
            own = _create_agency(
                partnership,
                AgencyRow(own_agency_name(partnership.name), Agency.Type.PARTNERSHIP),
                outcome,
            )
        for row in plan.agencies:
            existing = agencies.get(row.name.casefold())
            if existing is None:
                agencies[row.name.casefold()] = _create_agency(partnership, row, outcome)
            else:
                _update_agency(existing, row, outcome)
        agencies[own.name.casefold()] = own
        admin_agency = agencies[(plan.administrator_agency or own.name).casefold()]
        _ensure_administrator(plan.administrator, admin_agency, outcome)
    return outcome


def _create_agency(partnership: Partnership, row: AgencyRow, outcome: Outcome) -> Agency:
    agency = Agency.objects.create(
        partnership=partnership,
        name=row.name,
        agency_type=row.agency_type,
        aliases=list(row.aliases),
    )
    audit.record(None, audit.Action.CREATE, agency, summary=f"Set up: agency {agency.name}")
    outcome.changes.append(f"Added the agency {agency.name}")
    return agency


def _update_agency(agency: Agency, row: AgencyRow, outcome: Outcome) -> None:
    before = {"agency_type": agency.agency_type, "aliases": agency.aliases}
    after = {"agency_type": row.agency_type, "aliases": list(row.aliases)}
    if before == after:
        return
    agency.agency_type, agency.aliases = row.agency_type, list(row.aliases)
    agency.save(update_fields=["agency_type", "aliases"])
    audit.record(None, audit.Action.UPDATE, agency, changes=audit.diff(before, after))
    outcome.changes.append(f"Updated the agency {agency.name}'s type or other names")


def _ensure_administrator(admin: Administrator, agency: Agency, outcome: Outcome) -> None:
    user = User.objects.filter(username=admin.username).first()
    if user is None:
        first, _, last = admin.full_name.strip().partition(" ")
        user = User(
            username=admin.username,
            email=admin.email,
            first_name=first,
            last_name=last,
            agency=agency,
            is_staff=True,
        )
        user.set_unusable_password()
        user.save()
        RoleGrant.objects.create(user=user, role=Role.SYSTEM_ADMINISTRATOR)
        audit.record(None, audit.Action.CREATE, user, summary="Set up: first administrator")
        outcome.changes.append(f"Added the system administrator {user.username}")
        outcome.link_needed = True
    elif not user.roles.filter(role=Role.SYSTEM_ADMINISTRATOR).exists():
        raise SetupError(
            [f"User name {admin.username!r} belongs to someone who is not a system administrator"]
        )
    outcome.administrator = user


# The one-time link -----------------------------------------------------------------------


def first_sign_in_link(user: User, base_url: str) -> str:
    """A link that lets this person choose a password: it works once, for 72 hours.

    Django's password-reset token: it is signed with SECRET_KEY and stops working as soon as
    the password is set (or the person signs in), or after PASSWORD_RESET_TIMEOUT.
    """
    path = reverse(
        "ops:first-sign-in",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )
    return f"{base_url.rstrip('/')}{path}"


def default_base_url() -> str:
    """Where people reach Assure: the SITE_URL setting."""
    return str(settings.SITE_URL)


def email_link(user: User, link: str) -> None:
    send_mail(
        subject="Your Assure account: choose a password",
        message=(
            f"Hello {user.first_name or user.username},\n\n"
            "Assure has been set up for your partnership, with you as its system administrator.\n"
            f"Your user name is {user.username}. Choose your password here (the link works once, "
            f"within 72 hours):\n\n{link}\n\n"
            "If you did not expect this email, tell your partnership business manager.\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )


def audit_first_password(user: User) -> None:
    """The first administrator chose a password through the one-time link."""
    audit.record(user, audit.Action.UPDATE, user, summary="First password chosen")
