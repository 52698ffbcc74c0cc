from rest_framework.routers import SimpleRouter


class OptionalSlashRouter(SimpleRouter):
    """Answers paths with and without the trailing slash (documents and their clients disagree on it).

    DRF 3.16 turns any truthy `trailing_slash` argument into "/", so the optional slash is set after init.
    """

    def __init__(self):
        super().__init__()
        self.trailing_slash = "/?"
