from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = "Audits"

    def ready(self):
        from hub.importing import ImportKind, register

        from .standards import StandardsImport, may_import_standards

        register(
            ImportKind(
                name="standards",
                label="Standards",
                importer=StandardsImport,
                may_import=may_import_standards,
            )
        )
