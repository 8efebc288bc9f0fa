from django.apps import AppConfig


class SelfAssessmentConfig(AppConfig):
    """Agencies' Section 11 and schools' Section 175 self-assessments: rounds, ratings per
    standard, improvement actions that join the agency's actions, and the learning group's
    challenge."""

    name = "assure.selfassessment"
    label = "selfassessment"
    verbose_name = "Agency self-assessments"

    def ready(self) -> None:
        from assure.reviews.measures import register
        from assure.selfassessment import (
            measures,
            report,  # noqa: F401 - registers the report's section
        )

        register(measures.KIND)
