from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "assure.indicators"
    label = "indicators"
    verbose_name = "Indicator catalogue"
