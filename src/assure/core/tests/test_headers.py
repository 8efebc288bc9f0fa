"""Browser features are switched off; the admin site refuses everyone but administrators."""

from django.urls import reverse

from assure.accounts.models import Role
from assure.core.models import AuditEvent


def test_every_response_sends_a_permissions_policy(client, db) -> None:
    policy = client.get(reverse("accounts:sign-in"))["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy
    assert "publickey-credentials-get=(self)" in policy


def test_a_non_administrator_is_refused_the_admin_site_and_it_is_audited(client, make_user) -> None:
    person = make_user(Role.PARTNERSHIP_MANAGER, username="priya")
    client.force_login(person)
    for path in ("/admin/", "/admin/accounts/user/", "/admin/login/"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "You do not have permission to see this page" in response.content.decode()
    refusals = AuditEvent.objects.filter(action="permission-denied", actor_username="priya")
    assert refusals.count() == 3
    assert set(refusals.values_list("record_type", flat=True)) == {"admin"}


def test_the_admin_site_sends_people_not_signed_in_to_assure_sign_in(client, db) -> None:
    response = client.get("/admin/accounts/user/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:sign-in"))
    assert "Sign in to Assure" in response.content.decode()


def test_a_system_administrator_reaches_the_admin_site(client, admin_user) -> None:
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200
