from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The four published API families (api/<family>/): no models, only the translation layer over the domain."""

    name = "api"
    verbose_name = "API families"

    def ready(self) -> None:
        from api import schema  # noqa: F401  (registers the OpenAPI descriptions of the credential readers)
