from django.apps import AppConfig


class AccessAppConfig(AppConfig):
    name = "tests.accessapp"
    label = "accessapp"
    default_auto_field = "django.db.models.BigAutoField"
