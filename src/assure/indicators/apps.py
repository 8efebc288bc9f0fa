from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "assure.indicators"
    label = "indicators"
    verbose_name = "Indicator catalogue"

    def ready(self) -> None:
        from assure.casedata.signals import case_data_changed, snapshot_imported
        from assure.indicators.engine import load_catalogue
        from assure.indicators.figures import forget_figures, prepare_after_import

        load_catalogue()
        snapshot_imported.connect(prepare_after_import, dispatch_uid="indicator-figures")
        case_data_changed.connect(forget_figures, dispatch_uid="indicator-figures-forget")
