from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AssureAdminConfig(admin_apps.AdminConfig):
    """Django's admin site, refusing everyone but system administrators (admin_site.py)."""

    default = False  # named in INSTALLED_APPS; AccountsConfig stays this module's default
    default_site = "assure.accounts.admin_site.AssureAdminSite"

    def ready(self) -> None:
        """After every app's admin is registered, take away the second-factor libraries' own
        pages: they show a person's secret key as a QR code, and a lost factor is reset only
        through two administrators (MfaReset)."""
        super().ready()
        from django.apps import apps
        from django.contrib import admin

        for app_label in ("otp_totp", "otp_static", "django_otp_webauthn"):
            for model in apps.get_app_config(app_label).get_models():
                if admin.site.is_registered(model):
                    admin.site.unregister(model)


class AccountsConfig(AppConfig):
    name = "assure.accounts"
    label = "accounts"
    verbose_name = "Partnership, agencies and people"

    def ready(self) -> None:
        from assure.accounts import signals  # noqa: F401  (connects the sign-in audit)
