"""Every link a person is shown leads somewhere they may go: followed from the home page, for
each role, none ends on the refusal page."""

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assure.accounts.models import Role
from assure.core.viewer import Viewer
from assure.reviews import services

HREF = re.compile(r'href="(/[^"#]*)')
NOT_PAGES = ("/assets/", "/static/", "/favicon")
MOST_PAGES = 80


def reachable(client, start: str) -> dict[str, int]:
    """Each address linked from the pages reachable from `start`, with its status code."""
    seen: dict[str, int] = {}
    todo = [start]
    while todo and len(seen) < MOST_PAGES:
        url = todo.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        if url.startswith("/admin/"):
            continue  # Django's own pages: only that the person may open them matters
        for href in HREF.findall(response.content.decode()):
            link = unescape(href)
            if not link.startswith(NOT_PAGES) and link not in seen:
                todo.append(link)
    return seen


@pytest.mark.parametrize("role", list(Role))
def test_no_link_shown_leads_to_a_refusal(
    client, make_user, police, police_lead, police_action, council_action, role
) -> None:
    services.add_update(
        Viewer.of(police_lead),
        police_action,
        narrative="Done",
        status="implemented",
        files=[SimpleUploadedFile("register.txt", b"synthetic register")],
        links=["https://intranet.example/synthetic-report"],
    )
    client.force_login(make_user(role, agency=police))
    seen = reachable(client, reverse("core:home"))
    refused = [url for url, status in seen.items() if status == 403]
    assert not refused, refused
    assert len(seen) > 1
