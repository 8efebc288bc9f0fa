from django.apps import AppConfig


class CasedataConfig(AppConfig):
    name = "assure.casedata"
    label = "casedata"
    verbose_name = "Case data from the children's social care system"
