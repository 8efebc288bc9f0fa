from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AssureAdminConfig(admin_apps.AdminConfig):
    """Django's admin site, refusing everyone but system administrators (admin_site.py)."""

    default = False  # named in INSTALLED_APPS; AccountsConfig stays this module's default
    default_site = "assure.accounts.admin_site.AssureAdminSite"


class AccountsConfig(AppConfig):
    name = "assure.accounts"
    label = "accounts"
    verbose_name = "Partnership, agencies and people"

    def ready(self) -> None:
        from assure.accounts import signals  # noqa: F401  (connects the sign-in audit)
