"""The managers' console: Django's admin site with the team dashboard as its front page (issue 11).

Installed as the default admin site (config.apps.ConsoleAdminConfig), so every `@admin.register` lands here. The
front page shows the dashboard of the team the user runs (workforce.admin.dashboard), and below it the model
list; operators (superusers) see every team and every model, team managers what their permission group grants.
"""

from django.contrib import admin


class ConsoleAdminSite(admin.AdminSite):
    site_header = "Crewdesk console"
    site_title = "Crewdesk console"
    index_title = "Dashboard"
    index_template = "admin/console_index.html"
    # The console's own navigation (base_site.html) replaces the model sidebar, which left the week board and the
    # timesheet list too narrow; "All pages" on the dashboard lists every model.
    enable_nav_sidebar = False

    def index(self, request, extra_context=None):
        from workforce.admin.dashboard import dashboard_context  # the admin modules load after the site

        return super().index(request, {**dashboard_context(request), **(extra_context or {})})
