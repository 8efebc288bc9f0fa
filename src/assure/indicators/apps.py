from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "assure.indicators"
    label = "indicators"
    verbose_name = "Indicator catalogue"

    def ready(self) -> None:
        from assure.casedata.signals import snapshot_imported
        from assure.indicators.engine import load_catalogue
        from assure.indicators.figures import prepare_after_import

        load_catalogue()
        snapshot_imported.connect(prepare_after_import, dispatch_uid="indicator-figures")
