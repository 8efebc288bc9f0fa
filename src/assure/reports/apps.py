from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The partnership's quarterly assurance report: built, stamped, kept and sent."""

    name = "assure.reports"
    label = "reports"
    verbose_name = "Assurance reports"
