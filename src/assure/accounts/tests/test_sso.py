"""Single sign-on against a local OpenID Connect provider: a test double serving discovery,
keys and a token endpoint over real HTTP, issuing ID tokens signed with a generated RSA key.
The flow and every check of the token (signature, iss, aud, exp, nonce, state, PKCE) are the
real ones."""

import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from joserfc.jwk import RSAKey

from assure.accounts import mfa
from assure.accounts.models import Role, User
from assure.accounts.tests.oidc_provider import CLIENT_ID, Provider, configure, serve
from assure.core.models import AuditEvent
from conftest import authenticator


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    yield from serve()


@pytest.fixture
def configured(settings: Any, provider: Provider) -> Provider:
    configure(settings, provider, "http://testserver")
    return provider


@pytest.fixture
def priya(make_user: Any) -> User:
    person = make_user(Role.PARTNERSHIP_MANAGER, username="priya")
    person.email = "Priya.Shah@council.example"
    person.save()
    return person


def sign_in(
    client: Client,
    provider: Provider,
    *,
    sign_with: RSAKey | None = None,
    next_url: str = "",
    **claims: Any,
) -> Any:
    """Start at Assure, 'sign in' at the provider, come back with its code."""
    start = client.get(reverse("accounts:sso-start"), {"next": next_url} if next_url else {})
    assert start.status_code == 302
    asked = {k: v[0] for k, v in parse_qs(urlsplit(start["Location"]).query).items()}
    assert asked["redirect_uri"] == "http://testserver/sign-in/organisation/return/"
    assert asked["code_challenge_method"] == "S256"
    now = int(time.time())
    token_claims = {
        "iss": provider.issuer,
        "aud": CLIENT_ID,
        "sub": "pairwise-subject-1",
        "iat": now,
        "exp": now + 300,
        "nonce": asked["nonce"],
        "email": "priya.shah@council.example",
        "email_verified": True,
        "amr": ["pwd", "mfa"],
        "_code_challenge": asked["code_challenge"],
    }
    token_claims.update(claims)
    token_claims = {k: v for k, v in token_claims.items() if v is not None}
    code = f"code-{now}-{len(provider.codes)}"
    provider.grant(code, token_claims, sign_with=sign_with)
    return client.get(reverse("accounts:sso-callback"), {"code": code, "state": asked["state"]})


def refusals() -> list[str]:
    return list(
        AuditEvent.objects.filter(action="failed-sign-in").values_list("summary", flat=True)
    )


@pytest.mark.django_db
def test_the_sign_in_page_offers_the_organisation_account_only_when_configured(
    client: Client, settings: Any
) -> None:
    settings.OIDC_CLIENT_ID = ""
    assert "organisation's account" not in client.get(reverse("accounts:sign-in")).text
    assert client.get(reverse("accounts:sso-start")).status_code == 404
    assert client.get(reverse("accounts:sso-callback")).status_code == 404
    settings.OIDC_CLIENT_ID = CLIENT_ID
    page = client.get(reverse("accounts:sign-in")).text
    assert "Sign in with your organisation's account" in page


def test_mfa_at_the_provider_signs_in_with_no_second_code(
    client: Client, configured: Provider, priya: User
) -> None:
    response = sign_in(client, configured, next_url="/reviews/")
    assert response.status_code == 302
    assert response["Location"] == "/reviews/"
    assert client.get(reverse("core:home")).status_code == 200
    event = AuditEvent.objects.get(action="sign-in", actor_username="priya")
    assert "MFA done by the identity provider" in event.summary
    assert event.changes["subject"] == "pairwise-subject-1"
    assert refusals() == []


def test_without_mfa_at_the_provider_the_person_gives_assures_code(
    client: Client, configured: Provider, priya: User
) -> None:
    device = authenticator(priya)
    response = sign_in(client, configured, amr=["pwd"])
    assert response["Location"].startswith(reverse("accounts:mfa-verify"))
    home = client.get(reverse("core:home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("accounts:mfa-verify"))
    client.post(reverse("accounts:mfa-verify"), {"code": mfa.current_code(device)})
    assert client.get(reverse("core:home")).status_code == 200


def test_a_person_with_no_second_factor_and_no_provider_mfa_must_set_one_up(
    client: Client, configured: Provider, priya: User
) -> None:
    sign_in(client, configured, amr=None)
    step = client.get(reverse("accounts:mfa-verify"))
    assert step["Location"].startswith(reverse("accounts:mfa-set-up"))


@pytest.mark.parametrize(
    ("claims", "why"),
    [
        ({"aud": "someone-elses-client"}, "invalid_claim"),
        ({"aud": "someone-elses-client", "azp": CLIENT_ID}, "invalid_claim"),
        ({"exp": int(time.time()) - 600}, "expired"),
        ({"iss": "https://login.example/other-tenant/v2.0"}, "invalid_claim"),
        ({"nonce": "not-the-nonce-we-sent"}, "invalid_claim"),
    ],
    ids=["wrong-audience", "wrong-audience-our-azp", "expired", "wrong-issuer", "wrong-nonce"],
)
def test_a_token_failing_its_checks_signs_nobody_in(
    client: Client, configured: Provider, priya: User, claims: dict[str, Any], why: str
) -> None:
    response = sign_in(client, configured, **claims)
    assert response.status_code == 403
    assert "did not work" in response.text
    assert "_auth_user_id" not in client.session
    (summary,) = refusals()
    assert summary.startswith("Single sign-on refused: the answer failed its checks")
    assert why in summary


def test_a_token_signed_by_another_key_signs_nobody_in(
    client: Client, configured: Provider, priya: User
) -> None:
    response = sign_in(client, configured, sign_with=configured.wrong_key)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    (summary,) = refusals()
    assert "bad_signature" in summary


def test_a_callback_with_a_state_we_did_not_send_is_refused(
    client: Client, configured: Provider, priya: User
) -> None:
    client.get(reverse("accounts:sso-start"))
    response = client.get(reverse("accounts:sso-callback"), {"code": "x", "state": "forged"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert "mismatching_state" in refusals()[0]


@pytest.mark.parametrize(
    ("claims", "why"),
    [
        ({"email_verified": False}, "has not verified the email"),
        ({"email_verified": None}, "has not verified the email"),
        ({"email": "nobody@council.example"}, "no Assure person has this email"),
        ({"email": None}, "has no email address"),
    ],
    ids=["unverified-email", "no-verified-claim", "unknown-email", "no-email"],
)
def test_only_a_verified_email_of_a_known_person_signs_in(
    client: Client, configured: Provider, priya: User, claims: dict[str, Any], why: str
) -> None:
    response = sign_in(client, configured, **claims)
    assert response.status_code == 403
    assert "Ask your partnership" in response.text
    assert "_auth_user_id" not in client.session
    (summary,) = refusals()
    assert why in summary
    assert User.objects.count() == 1  # nobody is ever created


def test_entras_email_domain_owner_claim_counts_as_verified(
    client: Client, configured: Provider, priya: User
) -> None:
    response = sign_in(client, configured, email_verified=None, xms_edov=True)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(priya.pk)


def test_an_inactive_person_is_refused(client: Client, configured: Provider, priya: User) -> None:
    priya.is_active = False
    priya.save()
    response = sign_in(client, configured)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action="failed-sign-in")
    assert event.record_id == str(priya.pk)
    assert "not active" in event.summary


def test_two_people_with_one_email_are_refused(
    client: Client, configured: Provider, priya: User, make_user: Any
) -> None:
    make_user(Role.PARTNERSHIP_MANAGER, username="other").__class__.objects.filter(
        username="other"
    ).update(email="priya.shah@council.example")
    assert sign_in(client, configured).status_code == 403
    assert "more than one Assure person" in refusals()[0]


def test_sign_out_ends_the_session_and_offers_the_providers_sign_out(
    client: Client, configured: Provider, priya: User
) -> None:
    sign_in(client, configured)
    response = client.post(reverse("accounts:sign-out"))
    assert response["Location"] == f"{reverse('accounts:signed-out')}?organisation=1"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).text
    assert f"{configured.issuer}/logout?client_id={CLIENT_ID}" in page
    assert client.get(reverse("core:home")).status_code == 302
    assert AuditEvent.objects.filter(action="sign-out", actor_username="priya").exists()


def test_a_code_is_used_once(client: Client, configured: Provider, priya: User) -> None:
    """Replaying the callback (same code and state) finds no state left in the session."""
    start = client.get(reverse("accounts:sso-start"))
    asked = {k: v[0] for k, v in parse_qs(urlsplit(start["Location"]).query).items()}
    now = int(time.time())
    claims = {
        "iss": configured.issuer,
        "aud": CLIENT_ID,
        "sub": "s",
        "iat": now,
        "exp": now + 300,
        "nonce": asked["nonce"],
        "email": priya.email,
        "email_verified": True,
        "amr": ["mfa"],
        "_code_challenge": asked["code_challenge"],
    }
    configured.grant("once", claims)
    callback = {"code": "once", "state": asked["state"]}
    assert client.get(reverse("accounts:sso-callback"), callback).status_code == 302
    client.post(reverse("accounts:sign-out"))
    assert client.get(reverse("accounts:sso-callback"), callback).status_code == 403
