from django.apps import AppConfig


class AuditsConfig(AppConfig):
    """Quality assurance case audits: tools, programmes, samples, moderation and agreement."""

    name = "assure.audits"
    label = "audits"
    verbose_name = "Quality assurance audits"

    def ready(self) -> None:
        from assure.audits import measures
        from assure.reviews.measures import register

        register(measures.KIND)
