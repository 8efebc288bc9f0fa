from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """Anonymous practitioner surveys: questions, a link per agency, results with small
    numbers suppressed, and comparison of two runs."""

    name = "assure.surveys"
    label = "surveys"
    verbose_name = "Practitioner surveys"
