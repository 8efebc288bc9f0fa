from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """Anonymous practitioner surveys: questions, a link per agency, results with small
    numbers suppressed, and comparison of two runs."""

    name = "assure.surveys"
    label = "surveys"
    verbose_name = "Practitioner surveys"

    def ready(self) -> None:
        from assure.reviews.measures import register
        from assure.surveys import (
            measures,
            report,  # noqa: F401 - registers the assurance report's section(s)
        )

        register(measures.KIND)
