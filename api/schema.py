"""OpenAPI descriptions of the credential readers, so each family's schema documents how to authenticate."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A team API key or a user token."}


class ApiKeyHeaderScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyHeaderAuthentication"
    name = "api_key"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "api_key",
            "description": "Also accepted as `Api-Key` (proxies drop header names with underscores).",
        }


class TokenHeaderScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenHeaderAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "token", "description": "The token from sms-auth / qr-auth."}


class BasicLoginScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BasicLoginAuthentication"
    name = "basicAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "basic", "description": "Email or phone number, and password."}


class SessionCookieScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.SessionCookieAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "Set by POST /api/v1/sessions or /api/v3/sms-cookieauth; writes need X-CSRFToken.",
        }
