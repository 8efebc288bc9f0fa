"""The health check, and the page a first administrator's one-time link opens."""

from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from assure.accounts.models import User
from assure.ops import health, setup


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """No sign-in and no data: whether this instance can serve. 200 if all is well, else 503."""
    checks = health.report()
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


def _user_from(uidb64: str) -> User | None:
    try:
        return User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)), is_active=True)
    except (ValueError, OverflowError, User.DoesNotExist):
        return None


@never_cache
@require_http_methods(["GET", "POST"])
def first_sign_in(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Choose a password with the link `assure setup` sent: it works once, for 72 hours."""
    user = _user_from(uidb64)
    if user is None or not default_token_generator.check_token(user, token):
        return render(
            request, "ops/link_expired.html", {"title": "This sign-in link has expired"}, status=410
        )
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        setup.set_first_password(form)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("core:home")
    return render(
        request,
        "ops/first_sign_in.html",
        {"title": "Choose your password", "form": form, "person": user},
    )
