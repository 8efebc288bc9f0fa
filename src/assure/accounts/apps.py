from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "assure.accounts"
    label = "accounts"
    verbose_name = "Partnership, agencies and people"

    def ready(self) -> None:
        from assure.accounts import signals  # noqa: F401  (connects the sign-in audit)
