from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "assure.indicators"
    label = "indicators"
    verbose_name = "Indicator catalogue"

    def ready(self) -> None:
        from assure.indicators.engine import load_catalogue

        load_catalogue()
