"""The health check, and the page a first administrator's one-time link opens."""

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from assure.accounts.models import User
from assure.ops import health, setup


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """No sign-in and no data: whether this instance can serve. 200 if all is well, else 503."""
    checks = health.report()
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


class FirstSignIn(auth_views.PasswordResetConfirmView):
    """Choose a password with the link `assure setup` sent: it works once, for 72 hours.

    Django's password-reset page: the token moves from the address into the session at once,
    so it is not left in the browser's history or sent on from the form page.
    """

    template_name = "ops/first_sign_in.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("core:home")
    reset_url_token = "choose-password"  # noqa: S105 (a path word, not a secret)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        valid = context["validlink"]
        context["title"] = "Choose your password" if valid else "This sign-in link has expired"
        context["person"] = self.user if valid else None
        return context

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        setup.audit_first_password(form.user)
        return super().form_valid(form)

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        if not context["validlink"]:
            kwargs["status"] = 410
        return super().render_to_response(context, **kwargs)
