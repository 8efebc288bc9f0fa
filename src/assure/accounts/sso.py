"""Single sign-on through OpenID Connect (Microsoft Entra ID first), with authlib's Django client.

authlib reads the provider's discovery document and keys, sends state, nonce and a PKCE
challenge, and checks the ID token's signature, issuer, audience, expiry and nonce. Here we
decide who the token names: an existing, active Assure person whose email the provider says it
has verified. Nobody is ever created. MFA done at the provider (`amr` holds "mfa") counts as
Assure's second factor for that session; otherwise the person also gives Assure's.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django_otp import middleware as otp_middleware

from assure.accounts.models import User
from assure.core import audit

if TYPE_CHECKING:
    from authlib.integrations.django_client import DjangoOAuth2App

# requests, authlib and joserfc are imported by the functions that use them: this module is
# the middleware's, loaded by every server process, and most partnerships have no SSO.

# The session notes who signed in this way and whether the provider did MFA for them.
SESSION_KEY = "assure_sso"
LEEWAY_SECONDS = 60  # clock difference allowed for exp and iat
HTTP_TIMEOUT_SECONDS = 10
# Claims that say the provider has verified the email: OpenID's, and Entra's optional
# "email domain owner verified" claim (Entra sends no email_verified).
VERIFIED_EMAIL_CLAIMS = ("email_verified", "xms_edov")
ASK_ADMINISTRATOR = (
    "Assure does not know the account you signed in with. Ask your partnership's Assure "
    "administrator to check the email address on your Assure account."
)


class OrganisationAccountBackend(ModelBackend):
    """Names the sessions begun by single sign-on; it never checks a password."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        return None


BACKEND = f"{OrganisationAccountBackend.__module__}.{OrganisationAccountBackend.__qualname__}"


def is_configured() -> bool:
    return bool(settings.OIDC_CLIENT_ID)


def redirect_uri() -> str:
    """Built from SITE_URL, never from the request's Host header (register it with the IdP)."""
    return settings.SITE_URL + reverse("accounts:sso-callback")


@cache
def _client(issuer: str, client_id: str, client_secret: str, scopes: str) -> "DjangoOAuth2App":
    from authlib.integrations.django_client import DjangoOAuth2App, OAuth

    oauth = OAuth()
    client = oauth.register(
        name="organisation",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=f"{issuer.rstrip('/')}/.well-known/openid-configuration",
        client_kwargs={
            "scope": scopes,
            "code_challenge_method": "S256",
            "default_timeout": HTTP_TIMEOUT_SECONDS,
        },
    )
    assert isinstance(client, DjangoOAuth2App)
    return client


def client() -> "DjangoOAuth2App":
    return _client(
        settings.OIDC_ISSUER,
        settings.OIDC_CLIENT_ID,
        settings.OIDC_CLIENT_SECRET,
        settings.OIDC_SCOPES,
    )


def start(request: HttpRequest) -> HttpResponse:
    """Send the person to the provider; state, nonce and PKCE verifier wait in the session."""
    return client().authorize_redirect(request, redirect_uri())


class Refused(Exception):
    """Single sign-on did not sign this person in (already audited); the message is for them."""


@dataclass(frozen=True)
class SignedIn:
    person: User
    provider_mfa: bool


def finish(request: HttpRequest) -> SignedIn:
    """Check the provider's answer and sign the person it names in, or raise Refused."""
    import requests
    from authlib.integrations.base_client import OAuthError
    from joserfc.errors import JoseError

    try:
        token = client().authorize_access_token(
            request,
            # authlib checks aud only through azp unless told: both are required here.
            claims_options={
                "iss": {"essential": True, "value": settings.OIDC_ISSUER},
                "aud": {"essential": True, "value": settings.OIDC_CLIENT_ID},
            },
            leeway=LEEWAY_SECONDS,
        )
    except (OAuthError, JoseError, requests.RequestException, ValueError) as error:
        _refuse(None, f"Single sign-on refused: the answer failed its checks ({_name(error)})")
        raise Refused(
            "Signing in with your organisation's account did not work. Try again, or sign in "
            "with your Assure user name and password."
        ) from error
    claims: Mapping[str, Any] = token.get("userinfo") or {}
    person = _person_for(claims)
    provider_mfa = "mfa" in (claims.get("amr") or [])
    login(request, person, backend=BACKEND)
    request.session[SESSION_KEY] = {"user": person.pk, "mfa": provider_mfa}
    audit.record(
        person,
        audit.Action.SIGN_IN,
        person,
        summary="Signed in with the organisation's account"
        + (" (MFA done by the identity provider)" if provider_mfa else ""),
        changes={"issuer": str(claims.get("iss")), "subject": str(claims.get("sub"))[:64]},
    )
    return SignedIn(person, provider_mfa)


def _person_for(claims: Mapping[str, Any]) -> User:
    email = str(claims.get("email") or "").strip()
    facts = {"issuer": str(claims.get("iss")), "email": email[:254]}
    if not email:
        _refuse(None, "Single sign-on refused: the ID token has no email address", facts)
        raise Refused(ASK_ADMINISTRATOR)
    if not any(claims.get(name) is True for name in VERIFIED_EMAIL_CLAIMS):
        _refuse(None, "Single sign-on refused: the provider has not verified the email", facts)
        raise Refused(ASK_ADMINISTRATOR)
    people = list(User.objects.filter(email__iexact=email)[:2])
    if len(people) != 1:
        why = "no Assure person has" if not people else "more than one Assure person has"
        _refuse(None, f"Single sign-on refused: {why} this email", facts)
        raise Refused(ASK_ADMINISTRATOR)
    person = people[0]
    if not person.is_active:
        _refuse(person, "Single sign-on refused: the person's account is not active", facts)
        raise Refused(ASK_ADMINISTRATOR)
    return person


def _refuse(person: User | None, summary: str, facts: dict[str, str] | None = None) -> None:
    audit.record(
        None,
        audit.Action.FAILED_SIGN_IN,
        person,
        record_type="" if person else "accounts.user",
        summary=summary,
        changes=facts or {},
        actor_username=person.get_username() if person else "",
    )


def _name(error: Exception) -> str:
    return getattr(error, "error", None) or type(error).__name__


def signed_in_with_sso(request: HttpRequest) -> bool:
    return SESSION_KEY in request.session


def end_session_url() -> str | None:
    """The provider's sign-out page, when its discovery document names one."""
    if not is_configured():
        return None
    import requests
    from authlib.integrations.base_client import OAuthError

    try:
        endpoint = client().load_server_metadata().get("end_session_endpoint")
    except (OAuthError, requests.RequestException, ValueError):
        return None
    if not endpoint:
        return None
    query = urlencode(
        {
            "client_id": settings.OIDC_CLIENT_ID,
            "post_logout_redirect_uri": settings.SITE_URL + reverse("accounts:signed-out"),
        }
    )
    return f"{endpoint}?{query}"


class OTPMiddleware(otp_middleware.OTPMiddleware):
    """django-otp's middleware; a session whose provider did MFA counts as verified too."""

    def _verify_user_sync(self, request: HttpRequest, user: Any) -> Any:
        user = super()._verify_user_sync(request, user)
        sso = request.session.get(SESSION_KEY) or {}
        if user.is_authenticated and user.otp_device is None and sso.get("user") == user.pk:
            user.is_verified = lambda: bool(sso.get("mfa"))
        return user
