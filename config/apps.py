from django.contrib.admin.apps import AdminConfig


class ConsoleAdminConfig(AdminConfig):
    """django.contrib.admin with the console's site (config.admin_site) as the default `admin.site`."""

    default_site = "config.admin_site.ConsoleAdminSite"
