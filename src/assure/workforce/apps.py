from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "assure.workforce"
    label = "workforce"
    verbose_name = "Workforce learning"

    def ready(self) -> None:
        from assure.reviews.measures import register
        from assure.workforce import (
            reach,
            report,  # noqa: F401 - registers the report's section
        )

        register(reach.COURSE)
        register(reach.PRODUCT)
