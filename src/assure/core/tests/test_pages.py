"""Pages, headers and errors."""

import pytest
from django.test import Client
from django.urls import reverse

from assure.accounts.models import Role


def test_signed_out_visitors_are_sent_to_sign_in(client) -> None:
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("name", ["accounts:sign-in", "core:cookies", "core:accessibility"])
def test_public_pages_render(client, db, name) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "Alpha" in response.content.decode()


def test_security_headers_and_csp_nonce(client, make_user) -> None:
    client.force_login(make_user(Role.PARTNERSHIP_MANAGER))
    response = client.get(reverse("core:home"))
    csp = response["Content-Security-Policy"]
    nonce = csp.split("'nonce-")[1].split("'")[0]
    page = response.content.decode()
    assert f'<script nonce="{nonce}">' in page
    assert "script-src 'self' 'nonce-" in csp
    assert "'unsafe-inline'" not in csp
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    for script in page.split("<script")[1:]:
        opening = script.split(">")[0]
        assert "src=" in opening or f'nonce="{nonce}"' in opening


def test_navigation_follows_the_role(client, make_user, police) -> None:
    client.force_login(make_user(Role.SYSTEM_ADMINISTRATOR))
    admin_page = client.get(reverse("core:home")).content.decode()
    assert "Audit trail" in admin_page
    client.force_login(make_user(Role.BOARD_MEMBER, agency=police))
    board_page = client.get(reverse("core:home")).content.decode()
    assert "Audit trail" not in board_page


def test_unknown_page_is_a_friendly_404(client, db) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_server_error_page_shows_no_stack_trace(make_user, settings) -> None:
    settings.ROOT_URLCONF = "assure.core.tests.broken_urls"
    client = Client(raise_request_exception=False)
    client.force_login(make_user(Role.PARTNERSHIP_MANAGER))  # every page needs signing in
    response = client.get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert "Traceback" not in page
    assert "ZeroDivisionError" not in page


def test_favicon_is_found(client, db) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("images/favicon.ico")
