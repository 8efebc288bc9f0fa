from django.apps import AppConfig


class EscalationsConfig(AppConfig):
    """Professional challenge and escalation; commissioned services' quarterly returns."""

    name = "assure.escalations"
    label = "escalations"
    verbose_name = "Professional challenge and escalation"

    def ready(self) -> None:
        from assure.escalations import (
            measures,
            report,  # noqa: F401 - registers the assurance report's section(s)
        )
        from assure.reviews.measures import register

        register(measures.KIND)
