from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "assure.workforce"
    label = "workforce"
    verbose_name = "Workforce learning"

    def ready(self) -> None:
        from assure.reviews import measures
        from assure.workforce import (
            reach,
            report,  # noqa: F401 - registers the report's section
        )

        measures.PROVIDERS.update(reach.MEASURES)
        if reach.measure_choices not in measures.CHOICES:
            measures.CHOICES.append(reach.measure_choices)
