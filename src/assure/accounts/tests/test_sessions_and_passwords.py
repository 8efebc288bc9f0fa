"""Password entry and session facts the security table (docs/security.md) points at."""

import re

from django.urls import reverse

from assure.accounts.models import Role
from conftest import TEST_PASSWORD, sign_in_with_code

LONG_PASSWORD = "correct horse battery staple " * 4  # 116 characters, spaces kept


def test_password_fields_are_masked_and_let_password_managers_fill_them(client) -> None:
    page = client.get(reverse("accounts:sign-in")).text
    (field,) = re.findall(r"<input[^>]*name=\"password\"[^>]*>", page)
    assert 'type="password"' in field
    assert "onpaste" not in page
    assert 'autocomplete="off"' not in field


def test_a_long_password_with_spaces_is_kept_exactly_as_typed(client, make_user) -> None:
    person = make_user(Role.BOARD_MEMBER, username="kim")
    sign_in_with_code(client, person)
    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": LONG_PASSWORD,
            "new_password2": LONG_PASSWORD,
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(LONG_PASSWORD)
    assert not person.check_password(LONG_PASSWORD.strip())
    assert not person.check_password(LONG_PASSWORD[:64])


def test_signing_in_gives_a_new_session_key(client, make_user) -> None:
    person = make_user(Role.BOARD_MEMBER, username="kim")
    client.get(reverse("accounts:sign-in"))
    client.session.save()
    before = client.session.session_key
    sign_in_with_code(client, person)
    assert client.session.session_key != before
    assert client.session["_auth_user_id"] == str(person.pk)


def test_a_person_made_inactive_is_signed_out_at_their_next_request(client, make_user) -> None:
    person = make_user(Role.BOARD_MEMBER, username="kim")
    client.force_login(person)
    assert client.get(reverse("core:home")).status_code == 200
    person.is_active = False
    person.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_the_trace_method_is_not_answered(client, make_user) -> None:
    client.force_login(make_user(Role.BOARD_MEMBER))
    assert client.generic("TRACE", reverse("core:home")).status_code == 405


def test_signing_out_tells_the_browser_to_clear_what_it_kept(client, make_user) -> None:
    client.force_login(make_user(Role.BOARD_MEMBER))
    response = client.post(reverse("accounts:sign-out"))
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session


def test_markup_in_input_comes_back_as_text(client) -> None:
    page = client.get(reverse("accounts:sign-in"), {"next": '"><script>alert(1)</script>'}).text
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
