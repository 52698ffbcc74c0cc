from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The four published API families (api/<family>/): no models, only the translation layer over the domain."""

    name = "api"
    verbose_name = "API families"

    def ready(self) -> None:
        from api import links, schema  # noqa: F401  (schema registers the OpenAPI descriptions of the credentials)

        links.register_all()
