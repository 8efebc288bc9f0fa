"""Limits: request sizes before parsing, zip-based documents before reading, extreme dates."""

import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import NoReverseMatch, reverse

from assure.accounts.models import Partnership, Role
from assure.casedata import synth
from assure.casedata.importer.run import import_tables
from assure.config import env
from assure.core.models import AuditEvent
from assure.ops.middleware import request_limit
from assure.reviewdocs import ReviewDocumentError
from assure.reviewdocs.extract import extract

MB = 1024 * 1024


def post(path: str, size: int):
    body = b"username=someone&password=" + b"x" * size
    return Client().generic("POST", path, body, content_type="application/x-www-form-urlencoded")


def test_a_large_anonymous_post_is_refused_before_it_is_read(db, settings) -> None:
    settings.ASSURE_MAX_REQUEST_BYTES = 2 * MB
    response = post(reverse("accounts:sign-in"), 3 * MB)
    assert response.status_code == 413
    assert "This page accepts up to 2 MB" in response.text
    assert not AuditEvent.objects.exists(), "the sign-in form was never read"


def test_a_body_under_the_limit_is_read(db, settings) -> None:
    settings.ASSURE_MAX_REQUEST_BYTES = 2 * MB
    response = post(reverse("accounts:sign-in"), MB)
    assert response.status_code == 200
    assert AuditEvent.objects.get().action == AuditEvent.Action.FAILED_SIGN_IN


def test_upload_pages_have_their_own_larger_limit(db, settings) -> None:
    settings.ASSURE_MAX_REQUEST_BYTES = 1 * MB
    upload_page = reverse("reviews:import", args=[1])
    settings.ASSURE_UPLOAD_LIMITS = {"reviews:import": 3 * MB}

    assert post(upload_page, 2 * MB).status_code == 302, "reaches the view (which asks to sign in)"
    assert post(upload_page, 4 * MB).status_code == 413
    assert post(reverse("reviews:create"), 2 * MB).status_code == 413, "other pages keep 1 MB"


def test_upload_limits_name_real_pages(settings) -> None:
    """A renamed page would silently lose its larger limit: every name must still resolve."""
    for name in settings.ASSURE_UPLOAD_LIMITS:
        try:
            path = reverse(name)
        except NoReverseMatch:
            path = reverse(name, args=[1])
        assert request_limit(path) == settings.ASSURE_UPLOAD_LIMITS[name], name


def test_a_body_without_a_length_is_refused(db) -> None:
    response = Client().post(
        reverse("accounts:sign-in"), {"username": "a"}, HTTP_TRANSFER_ENCODING="chunked"
    )
    assert response.status_code == 411


def _docx_like(path: Path, members: int = 1, member_bytes: int = 0) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(members):
            with archive.open(f"word/part{number}.xml", "w") as part:
                for _ in range(member_bytes // MB):
                    part.write(b"<w:t>" + b" " * (MB - 11) + b"</w:t>")
    return path


def test_a_document_that_unpacks_to_too_much_is_refused_unread(tmp_path) -> None:
    bomb = _docx_like(tmp_path / "upload.docx", member_bytes=101 * MB)
    assert bomb.stat().st_size < MB

    with pytest.raises(ReviewDocumentError) as refused:
        extract(bomb, "Review report.docx")
    assert str(refused.value) == (
        "Review report.docx: it unpacks to 101 MB; expected at most 100 MB "
        "(remove large pictures, or split it)"
    )


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_a_document_with_too_many_parts_is_refused(tmp_path, suffix) -> None:
    crowded = _docx_like(tmp_path / f"upload{suffix}", members=1001)
    with pytest.raises(ReviewDocumentError, match="it holds 1001 parts; expected at most 1000"):
        extract(crowded, f"Action plan{suffix}")


AS_OF = date(2026, 10, 31)


@pytest.fixture
def loaded(partnership: Partnership, tmp_path: Path) -> Partnership:
    synth.generate(tmp_path, children=40, seed=1, as_of=AS_OF)
    sources = {p.stem: p for p in tmp_path.glob("*.csv")}
    assert import_tables(partnership, sources, actor=None, extract_date=AS_OF).ok
    return partnership


@pytest.mark.parametrize("value", ["99999-01-01", "9999-12-31", "0001-01-01", "1900-01-01"])
@pytest.mark.parametrize(
    ("name", "args", "field", "label"),
    [
        ("reviews:actions", [], "due_from", "Due from"),
        ("reviews:actions", [], "due_to", "Due by"),
        ("core:audit", [], "date_from", "From"),
        ("core:audit", [], "date_to", "To"),
        ("indicators:catalogue", [], "from", "From"),
        ("indicators:catalogue", [], "to", "To"),
        ("indicators:indicator", ["cp_visit_10wd"], "to", "To"),
        ("indicators:children", ["cp_visit_10wd"], "from", "From"),
    ],
)
def test_extreme_dates_in_query_strings_are_form_errors(
    loaded, make_user, name, args, field, label, value
) -> None:
    user = make_user(
        Role.SYSTEM_ADMINISTRATOR, Role.PARTNERSHIP_MANAGER, Role.CHILDRENS_SERVICES_MANAGER
    )
    client = Client()
    client.force_login(user)

    response = client.get(reverse(name, args=args), {field: value})

    assert response.status_code == 200
    if value != "99999-01-01":  # not a date at all: the field's own "enter a date" message
        assert f"{label} must be between 1 January 1990 and 31 December 2099" in response.text


def test_limits_must_be_positive_and_log_format_a_known_word(monkeypatch) -> None:
    monkeypatch.setenv("ASSURE_MAX_REQUEST_MB", "0")
    with pytest.raises(ImproperlyConfigured, match="ASSURE_MAX_REQUEST_MB=0 must be a whole"):
        env.env_positive_int("ASSURE_MAX_REQUEST_MB", 2)
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT='xml' must be one of: json, text"):
        env.env_choice("LOG_FORMAT", "json", ["json", "text"])
