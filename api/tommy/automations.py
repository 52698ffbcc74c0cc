"""Tommy (/api/v1/) developers, addons and actions (spec tommy-2 "Developer", "Addon", "Action", "ActionInstall").

Who may: the catalogue (developers, addons, actions, variables) is readable by any authenticated caller, with
`installed` computed for the current team; a team's installs, settings, permissions and history by any member of
the current team; installing, changing, running and deleting by its managers (and an API key, as its maker) — and
installing an addon or its actions also needs one of the addon's `roles`. Another team's install is a 404.
"""

import json

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from api.tommy.base import TommyAPIView
from api.tommy.context import CurrentTeamMixin
from api.tommy.serializers import automations as s
from automations import selectors
from automations.models import Action, ActionInstall, Addon, AddonInstall, Developer
from automations.services import addons as addon_services
from automations.services import installs as install_services
from automations.services import runs as run_services
from core.exceptions import InvalidQueryParameter, NotFoundError, PermissionDeniedError

OBJECT = OpenApiTypes.OBJECT
TERM = OpenApiParameter("term", str, required=True, description="Search term (title, package, description).")


def _term(request) -> str:
    term = (request.query_params.get("term") or "").strip()
    if not term:
        raise InvalidQueryParameter("term", "is required.")
    return term[:100]


class CatalogueView(TommyAPIView):
    """The catalogue, for any authenticated caller; `installed` is about the current team (false without one)."""

    def team_id(self) -> int | None:
        team = self.current_team_or_none()
        return team.pk if team else None

    def page(self, queryset, build):
        """A bare array, `page`/`per`, X-Total-Count and Link (tommy lists)."""
        paginator = self.pagination_class()
        rows = paginator.paginate_queryset(queryset, self.request, view=self)
        return paginator.get_paginated_response([build(row) for row in rows])

    def find_addon(self, package: str) -> Addon:
        found = selectors.addons(team_id=self.team_id()).filter(package=package).first()
        if found is None:
            raise NotFoundError("No such addon.")
        return found

    def find_action(self, pk: str) -> Action:
        found = selectors.actions(team_id=self.team_id()).filter(pk=pk).first() if str(pk).isdigit() else None
        if found is None:
            raise NotFoundError("No such action.")
        return found


class TeamView(CurrentTeamMixin, CatalogueView):
    """The current team's installs: reads for its members, writes for its managers."""

    def require_manager(self) -> None:
        if not self.membership.can_manage:
            raise PermissionDeniedError("Only managers of the current team may do this.")

    def find_addon_install(self, package: str) -> AddonInstall:
        install = (
            AddonInstall.objects.filter(team=self.team, addon__package=package, addon__published=True)
            .select_related("addon__developer")
            .first()
        )
        if install is None:
            raise NotFoundError("This addon is not installed in the current team.")
        return install

    def find_action_install(self, pk: str) -> ActionInstall:
        if not str(pk).isdigit():
            raise NotFoundError("No such action install.")
        return get_object_or_404(selectors.installs(team_id=self.team.pk).select_related("addon_install"), pk=pk)


# --- developers -----------------------------------------------------------------------------------------------------


class DevelopersView(CatalogueView):
    @extend_schema(
        responses={200: s.DeveloperSerializer(many=True)},
        description="Developers with their addons, actions and solutions.",
    )
    def get(self, request):
        return self.page(selectors.developers(team_id=self.team_id()), s.developer_data)


class DeveloperView(CatalogueView):
    """`{id}` is the developer's id (the document's "by user ID" names no field; docs/decisions.md)."""

    def developer(self, pk) -> Developer:
        return get_object_or_404(selectors.developers(team_id=self.team_id()), pk=pk)

    @extend_schema(responses={200: s.DeveloperSerializer})
    def get(self, request, pk):
        return Response(s.developer_data(self.developer(pk)))


class DeveloperAddonsView(CatalogueView):
    @extend_schema(responses={200: s.AddonSerializer(many=True)})
    def get(self, request, pk):
        get_object_or_404(Developer, pk=pk)
        return self.page(selectors.addons(team_id=self.team_id()).filter(developer_id=pk), s.addon_data)


class DeveloperActionsView(CatalogueView):
    @extend_schema(responses={200: s.ActionSerializer(many=True)})
    def get(self, request, pk):
        get_object_or_404(Developer, pk=pk)
        return self.page(selectors.actions(team_id=self.team_id()).filter(developer_id=pk), s.action_data)


# --- addons ---------------------------------------------------------------------------------------------------------


class AddonsView(CatalogueView):
    @extend_schema(responses={200: s.AddonSerializer(many=True)}, description="Addons available to install.")
    def get(self, request):
        return self.page(selectors.addons(team_id=self.team_id()), s.addon_data)


class AddonsRecommendedView(CatalogueView):
    @extend_schema(
        responses={200: s.AddonSerializer(many=True)},
        description="The catalogue's recommended addons (a flag editors set).",
    )
    def get(self, request):
        return self.page(selectors.addons(team_id=self.team_id()).filter(recommended=True), s.addon_data)


class AddonsPopularView(CatalogueView):
    @extend_schema(
        responses={200: s.AddonSerializer(many=True)},
        description="By the number of teams that installed them, most first.",
    )
    def get(self, request):
        return self.page(selectors.addons_popular(team_id=self.team_id()), s.addon_data)


class AddonsInstalledView(TeamView):
    @extend_schema(responses={200: s.AddonSerializer(many=True)}, description="Addons installed in the current team.")
    def get(self, request):
        return self.page(selectors.addons(team_id=self.team.pk).filter(is_installed=True), s.addon_data)


class AddonsSearchView(CatalogueView):
    @extend_schema(parameters=[TERM], responses={200: s.AddonSerializer(many=True)})
    def get(self, request):
        return self.page(selectors.addons_search(team_id=self.team_id(), term=_term(request)), s.addon_data)


class AddonView(CatalogueView):
    @extend_schema(responses={200: s.AddonSerializer})
    def get(self, request, package):
        return Response(s.addon_data(self.find_addon(package)))


class AddonReportView(CatalogueView):
    @extend_schema(
        request=s.ReportSerializer, responses={200: s.ReportAnswerSerializer}, description="Answers {success: true}."
    )
    def post(self, request, package):
        addon = self.find_addon(package)
        body = s.ReportSerializer(data=request.data if isinstance(request.data, dict) else {})
        body.is_valid(raise_exception=True)
        team = self.current_team_or_none()
        addon_services.addon_report(addon=addon, user=request.user, team=team, reason=body.validated_data["reason"])
        return Response({"success": True})


class AddonActionsView(CatalogueView):
    @extend_schema(responses={200: s.ActionSerializer(many=True)})
    def get(self, request, package):
        addon = self.find_addon(package)
        return self.page(selectors.actions(team_id=self.team_id()).filter(addon=addon), s.action_data)


class AddonInstallView(TeamView):
    """GET/POST/PUT/DELETE /addons/{package}/install: each answers the Addon (`installed` as it now is)."""

    @extend_schema(responses={200: s.AddonSerializer})
    def get(self, request, package):
        return Response(s.addon_data(self.find_addon_install(package).addon, installed=True))

    @extend_schema(
        request=OBJECT,
        responses={201: s.AddonSerializer, 200: s.AddonSerializer},
        description="Installs the addon (201; 200 when it was installed already). The caller needs one of the "
        "addon's roles. The body (the Addon model) may be sent; only the path counts.",
    )
    def post(self, request, package):
        self.require_manager()
        addon = self.find_addon(package)
        existed = AddonInstall.objects.filter(team=self.team, addon=addon).exists()
        addon_services.addon_install(team=self.team, addon=addon, membership=self.membership, by=request.user)
        return Response(s.addon_data(addon, installed=True), status=200 if existed else 201)

    @extend_schema(
        request=OBJECT,
        responses={200: s.AddonSerializer},
        description="Upgrades the install to the addon's version (the document gives no body; any is ignored).",
    )
    def put(self, request, package):
        self.require_manager()
        install = self.find_addon_install(package)
        addon_services.check_roles(addon=install.addon, membership=self.membership)
        addon_services.addon_upgrade(install=install, by=request.user)
        return Response(s.addon_data(install.addon, installed=True))

    @extend_schema(
        responses={200: s.AddonSerializer}, description="Uninstalls; its action installs are deleted (soft)."
    )
    def delete(self, request, package):
        self.require_manager()
        addon = addon_services.addon_uninstall(install=self.find_addon_install(package), by=request.user)
        return Response(s.addon_data(addon, installed=False))


class AddonPermissionsView(TeamView):
    @extend_schema(
        responses={200: s.AddonPermissionSerializer(many=True)},
        description="A list (the document's example shows one object).",
    )
    def get(self, request, package):
        install = self.find_addon_install(package)
        return self.page(install.permissions.all(), lambda p: s.permission_data(p, team_id=self.team.pk))


class AddonPermissionView(TeamView):
    def permission(self, install, name):
        found = install.permissions.filter(name=name).first()
        if found is None:
            raise NotFoundError("This addon has no such permission.")
        return found

    @extend_schema(responses={200: s.AddonPermissionSerializer})
    def get(self, request, package, name):
        permission = self.permission(self.find_addon_install(package), name)
        return Response(s.permission_data(permission, team_id=self.team.pk))

    @extend_schema(
        request=s.PermissionUpdateSerializer,
        responses={200: s.AddonPermissionSerializer},
        description="Only `operations` is writable: a subset of what the addon asks for under this permission.",
    )
    def put(self, request, package, name):
        self.require_manager()
        install = self.find_addon_install(package)
        self.permission(install, name)
        body = s.PermissionUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        permission = addon_services.addon_permission_update(
            install=install, name=name, operations=body.validated_data["operations"], by=request.user
        )
        return Response(s.permission_data(permission, team_id=self.team.pk))


class AddonSettingsView(TeamView):
    @extend_schema(
        responses={200: s.AddonSettingSerializer(many=True)},
        description="A list (the document's example shows one object).",
    )
    def get(self, request, package):
        install = self.find_addon_install(package)
        return self.page(install.settings.all(), lambda x: s.setting_data(x, team_id=self.team.pk))


class AddonSettingView(TeamView):
    @extend_schema(responses={200: s.AddonSettingSerializer})
    def get(self, request, package, name):
        setting = self.find_addon_install(package).settings.filter(name=name).first()
        if setting is None:
            raise NotFoundError("This setting is not set.")
        return Response(s.setting_data(setting, team_id=self.team.pk))

    @extend_schema(
        request=s.SettingPutSerializer,
        responses={200: s.AddonSettingSerializer},
        description="Upsert; `data` must fit the addon's schema for this setting name.",
    )
    def put(self, request, package, name):
        self.require_manager()
        install = self.find_addon_install(package)
        body = s.SettingPutSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        setting = addon_services.addon_setting_put(install=install, name=name, by=request.user, **body.validated_data)
        return Response(s.setting_data(setting, team_id=self.team.pk))

    @extend_schema(responses={200: OpenApiTypes.ANY}, description="The document's “Null response”: 200 with null.")
    def delete(self, request, package, name):
        self.require_manager()
        addon_services.addon_setting_delete(install=self.find_addon_install(package), name=name)
        return HttpResponse(b"null", content_type="application/json")  # DRF renders None as an empty body


# --- actions --------------------------------------------------------------------------------------------------------


class ActionsView(CatalogueView):
    @extend_schema(responses={200: s.ActionSerializer(many=True)})
    def get(self, request):
        return self.page(selectors.actions(team_id=self.team_id()), s.action_data)


class ActionsPopularView(CatalogueView):
    @extend_schema(
        responses={200: s.ActionSerializer(many=True)}, description="By the number of live installs, most first."
    )
    def get(self, request):
        return self.page(selectors.actions_popular(team_id=self.team_id()), s.action_data)


class ActionsInstalledView(TeamView):
    @extend_schema(
        responses={200: s.ActionSerializer(many=True)}, description="Actions with a live install in the current team."
    )
    def get(self, request):
        return self.page(selectors.actions(team_id=self.team.pk).filter(is_installed=True), s.action_data)


class ActionsRecentView(TeamView):
    @extend_schema(
        responses={200: s.ActionSerializer(many=True)},
        description="Actions the current team ran, the latest run first.",
    )
    def get(self, request):
        return self.page(selectors.actions_recent(team_id=self.team.pk), s.action_data)


class ActionsSearchView(CatalogueView):
    @extend_schema(parameters=[TERM], responses={200: s.ActionSerializer(many=True)})
    def get(self, request):
        return self.page(selectors.actions_search(team_id=self.team_id(), term=_term(request)), s.action_data)


class ActionView(CatalogueView):
    @extend_schema(responses={200: s.ActionSerializer})
    def get(self, request, pk):
        return Response(s.action_data(self.find_action(pk)))


class ActionVariablesView(CatalogueView):
    @extend_schema(
        responses={200: OBJECT},
        description="JSON Schemas: `settings` (an install's settings), `trigger_data` (a run's), `schedule`.",
    )
    def get(self, request, pk):
        return Response(self.find_action(pk).current_version.variables)


class ActionInstallsView(TeamView):
    @extend_schema(
        responses={200: s.ActionInstallSerializer(many=True)}, description="The current team's live installs."
    )
    def get(self, request):
        return self.page(selectors.installs(team_id=self.team.pk), s.install_data)

    @extend_schema(
        request=s.ActionInstallCreateSerializer,
        responses={201: s.ActionAnswerSerializer},
        description="Installs the action `id` (its addon must be installed). Answers the Action, plus `install_id`.",
    )
    def post(self, request):
        self.require_manager()
        body = s.ActionInstallCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        action_id = data.pop("action_id", None) or data.pop("id", None)
        data.pop("id", None)
        action = self.find_action(action_id)
        install = install_services.action_install(
            team=self.team, action=action, membership=self.membership, by=request.user, **data
        )
        return Response(s.action_answer(install), status=201)


class ActionInstallView(TeamView):
    @extend_schema(responses={200: s.ActionInstallSerializer})
    def get(self, request, pk):
        return Response(s.install_data(self.find_action_install(pk)))

    @extend_schema(
        request=s.ActionInstallUpdateSerializer,
        responses={200: s.ActionInstallSerializer},
        description="A new `schedule` replans the install's runs; `installed: false` pauses it.",
    )
    def put(self, request, pk):
        self.require_manager()
        install = self.find_action_install(pk)
        body = s.ActionInstallUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        install = install_services.install_update(install=install, by=request.user, **body.validated_data)
        return Response(s.install_data(self.find_action_install(install.pk)))

    @extend_schema(responses={200: s.ActionInstallSerializer}, description="Soft delete; answers the deleted install.")
    def delete(self, request, pk):
        self.require_manager()
        install = install_services.install_delete(install=self.find_action_install(pk), by=request.user)
        install = ActionInstall.objects.select_related("version__trigger", "version__activity", "team").get(
            pk=install.pk
        )
        return Response(s.install_data(install))


class ActionInstallRunView(TeamView):
    """GET with a JSON body as documented; POST too, and `?trigger_data=<JSON>` for clients that drop GET bodies."""

    def _trigger_data(self, request):
        if "trigger_data" in request.query_params:
            try:
                return {"trigger_data": json.loads(request.query_params["trigger_data"])}
            except ValueError:
                raise InvalidQueryParameter("trigger_data", "must be JSON.") from None
        return request.data if isinstance(request.data, dict) else {}

    @extend_schema(
        request=s.RunSerializer, responses={200: s.ActionAnswerSerializer}, description="Runs now (queued at once)."
    )
    def get(self, request, pk):
        self.require_manager()
        install = self.find_action_install(pk)
        body = s.RunSerializer(data=self._trigger_data(request))
        body.is_valid(raise_exception=True)
        run = run_services.run_now(install=install, trigger_data=body.validated_data["trigger_data"], by=request.user)
        return Response(s.action_answer(install, run=run))

    post = get


class ActionInstallRunLaterView(TeamView):
    @extend_schema(
        request=s.RunLaterSerializer,
        responses={200: s.ActionAnswerSerializer},
        description="Plants the install's stored `schedule` (its next occurrence); with `run_at` (an extension), "
        "one run at that time instead.",
    )
    def get(self, request, pk):
        self.require_manager()
        install = self.find_action_install(pk)
        body = s.RunLaterSerializer(data=request.data if isinstance(request.data, dict) else {})
        body.is_valid(raise_exception=True)
        run = run_services.run_later(install=install, by=request.user, **body.validated_data)
        return Response(s.action_answer(install, run=run))

    post = get


class ActionInstallHistoryView(TeamView):
    @extend_schema(responses={200: s.AuditLogSerializer(many=True)}, description="Newest first; page/per.")
    def get(self, request, pk):
        install = self.find_action_install(pk)
        return self.page(selectors.history(install=install), s.history_data)
