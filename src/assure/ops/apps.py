from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "assure.ops"
    label = "ops"
    verbose_name = "Operations: set-up, serving, health, backups and limits"
