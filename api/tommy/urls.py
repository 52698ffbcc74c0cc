"""The tommy family's routes, one module: paths as its document has them (trailing slash optional)."""

from django.urls import re_path

from api.tommy import (
    accounts,
    automations,
    contacts,
    invitations,
    syncs,
    workforce_people,
    workforce_shifts,
    workforce_time,
)
from core.api.routers import OptionalSlashRouter

# --- accounts ---------------------------------------------------------------------------------------

accounts_patterns = [
    re_path(r"^users/?$", accounts.UsersView.as_view(), name="users"),
    re_path(r"^users/verify/?$", accounts.VerifyView.as_view(), name="users-verify"),
    re_path(r"^users/search/?$", accounts.UsersSearchView.as_view(), name="users-search"),
    re_path(r"^users/reset_password/?$", accounts.ResetPasswordView.as_view(), name="users-reset-password"),
    re_path(
        r"^users/(?P<pk>[0-9]+)/send_verification_sms/?$",
        accounts.SendVerificationSmsView.as_view(),
        name="users-send-verification-sms",
    ),
    re_path(
        r"^users/(?P<pk>[0-9]+)/send_verification_email/?$",
        accounts.SendVerificationEmailView.as_view(),
        name="users-send-verification-email",
    ),
    re_path(r"^users/(?P<id_or_slug>[^/]+)/?$", accounts.UserDetailView.as_view(), name="user-detail"),
    re_path(r"^me/?$", accounts.MeView.as_view(), name="me"),
    re_path(r"^accounts/search/?$", accounts.AccountsSearchView.as_view(), name="accounts-search"),
    re_path(r"^me/accounts/?$", accounts.MeAccountsView.as_view(), name="me-accounts"),
    re_path(r"^me/current_account/?$", accounts.MeCurrentAccountView.as_view(), name="me-current-account"),
    re_path(r"^me/settings/?$", accounts.MeSettingsView.as_view(), name="me-settings"),
    re_path(r"^me/settings/(?P<name>[^/]+)/?$", accounts.MeSettingDetailView.as_view(), name="me-setting-detail"),
    re_path(r"^me/qr/?$", accounts.MeQrView.as_view(), name="me-qr"),
    re_path(r"^me/wls/?$", accounts.MeWlsView.as_view(), name="me-wls"),
    re_path(r"^teams/?$", accounts.TeamsView.as_view(), name="teams"),
    re_path(r"^teams/(?P<slug>[^/]+)/?$", accounts.TeamBySlugView.as_view(), name="team-by-slug"),
    re_path(r"^team/?$", accounts.TeamView.as_view(), name="team"),
    re_path(r"^team/features/?$", accounts.TeamFeaturesView.as_view(), name="team-features"),
    re_path(r"^team/settings/?$", accounts.TeamSettingsView.as_view(), name="team-settings"),
    re_path(r"^team/settings/(?P<name>[^/]+)/?$", accounts.TeamSettingDetailView.as_view(), name="team-setting-detail"),
    re_path(r"^team/members/?$", accounts.TeamMembersView.as_view(), name="team-members"),
    re_path(r"^team/members/invite/?$", accounts.TeamMemberInviteView.as_view(), name="team-members-invite"),
    re_path(
        r"^team/members/(?P<user_id>[0-9]+)/?$", accounts.TeamMemberDetailView.as_view(), name="team-member-detail"
    ),
    re_path(r"^sessions/?$", accounts.SessionsView.as_view(), name="sessions"),
    re_path(r"^devices/?$", accounts.DevicesView.as_view(), name="devices"),
    re_path(r"^devices/(?P<pk>[0-9]+)/?$", accounts.DeviceDetailView.as_view(), name="device-detail"),
]


# --- contacts ---------------------------------------------------------------------------------------

FRIEND = r"(?P<friend_id>[0-9]{1,18})"

contacts_patterns = [
    re_path(r"^contacts/?$", contacts.ContactListView.as_view(), name="contacts"),
    re_path(r"^contacts/import/?$", contacts.ContactImportView.as_view(), name="contacts-import"),
    re_path(rf"^contacts/{FRIEND}/?$", contacts.ContactDetailView.as_view(), name="contact-detail"),
    re_path(rf"^contacts/{FRIEND}/add/?$", contacts.ContactAddView.as_view(), name="contact-add"),
    re_path(rf"^contacts/{FRIEND}/invite/?$", contacts.ContactInviteView.as_view(), name="contact-invite"),
    re_path(rf"^contacts/{FRIEND}/accept/?$", contacts.ContactAcceptView.as_view(), name="contact-accept"),
    re_path(rf"^contacts/{FRIEND}/decline/?$", contacts.ContactDeclineView.as_view(), name="contact-decline"),
]


# --- invitations ------------------------------------------------------------------------------------

TOKEN = r"(?P<token>[A-Za-z0-9_-]+)"

invitations_patterns = [
    re_path(r"^invitations/?$", invitations.InvitationsView.as_view(), name="invitations"),
    re_path(rf"^invitations/{TOKEN}/accept/?$", invitations.InvitationAcceptView.as_view(), name="invitation-accept"),
    re_path(
        rf"^invitations/{TOKEN}/decline/?$", invitations.InvitationDeclineView.as_view(), name="invitation-decline"
    ),
    re_path(rf"^invitations/{TOKEN}/?$", invitations.InvitationDetailView.as_view(), name="invitation-detail"),
]


# --- workforce people -------------------------------------------------------------------------------

ID = r"(?P<pk>[0-9]+)"

workforce_people_patterns = [
    re_path(
        r"^workforce/?$",
        workforce_people.WorkforceViewSet.as_view({"get": "retrieve", "put": "update"}),
        name="workforce",
    ),
    re_path(
        r"^workforce/manager/employees/?$",
        workforce_people.ManagerEmployeesViewSet.as_view({"get": "list"}),
        name="workforce-manager-employees",
    ),
    re_path(
        r"^workforce/manager/employees/(?P<user_id>[0-9]+)/?$",
        workforce_people.ManagerEmployeesViewSet.as_view({"get": "retrieve", "put": "update"}),
        name="workforce-manager-employee-detail",
    ),
    re_path(
        r"^workforce/availabilities/?$",
        workforce_people.AvailabilitiesViewSet.as_view({"get": "list"}),
        name="workforce-availabilities",
    ),
    re_path(
        r"^workforce/availabilities/(?P<date>[^/]+)/?$",
        workforce_people.AvailabilitiesViewSet.as_view({"get": "retrieve", "put": "update"}),
        name="workforce-availability-detail",
    ),
    re_path(
        r"^workforce/manager/shift_questions/?$",
        workforce_people.ManagerShiftQuestionsViewSet.as_view({"post": "create"}),
        name="workforce-manager-shift-questions",
    ),
    re_path(
        rf"^workforce/shifts/{ID}/questions/?$",
        workforce_people.ShiftQuestionsViewSet.as_view({"get": "list"}),
        name="workforce-shift-questions",
    ),
    re_path(
        rf"^workforce/shifts/{ID}/answers/?$",
        workforce_people.ShiftAnswersViewSet.as_view({"post": "create"}),
        name="workforce-shift-answers",
    ),
    re_path(r"^events/?$", workforce_people.EventsViewSet.as_view({"get": "list", "post": "create"}), name="events"),
    re_path(
        rf"^events/{ID}/?$",
        workforce_people.EventsViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"}),
        name="event-detail",
    ),
]


# --- workforce shifts -------------------------------------------------------------------------------

ID = r"(?P<pk>[0-9]{1,18})"

employee_shifts = workforce_shifts.EmployeeShiftViewSet
manager_shifts = workforce_shifts.ManagerShiftViewSet
employee_requests = workforce_shifts.EmployeeShiftRequestViewSet
manager_requests = workforce_shifts.ManagerShiftRequestViewSet

workforce_shifts_patterns = [
    re_path(r"^workforce/shifts/?$", employee_shifts.as_view({"get": "list"}), name="workforce-shifts"),
    re_path(r"^workforce/shifts/active/?$", employee_shifts.as_view({"get": "active"}), name="workforce-shifts-active"),
    re_path(rf"^workforce/shifts/{ID}/?$", employee_shifts.as_view({"get": "retrieve"}), name="workforce-shift"),
    re_path(
        r"^workforce/manager/shifts/?$",
        manager_shifts.as_view({"get": "list", "post": "create"}),
        name="workforce-manager-shifts",
    ),
    re_path(
        rf"^workforce/manager/shifts/{ID}/?$",
        manager_shifts.as_view({"get": "retrieve", "put": "update", "delete": "destroy"}),
        name="workforce-manager-shift",
    ),
    re_path(
        r"^workforce/shift_requests/?$",
        employee_requests.as_view({"post": "create"}),
        name="workforce-shift-requests",
    ),
    re_path(
        rf"^workforce/shift_requests/{ID}/?$",
        employee_requests.as_view({"put": "update", "delete": "destroy"}),
        name="workforce-shift-request",
    ),
    re_path(
        r"^workforce/manager/shift_requests/?$",
        manager_requests.as_view({"get": "list", "post": "create"}),
        name="workforce-manager-shift-requests",
    ),
    re_path(
        rf"^workforce/manager/shift_requests/{ID}/?$",
        manager_requests.as_view({"get": "retrieve", "put": "update"}),
        name="workforce-manager-shift-request",
    ),
]


# --- workforce time ---------------------------------------------------------------------------------

workforce_time_router = OptionalSlashRouter()
workforce_time_router.register(
    "workforce/attendances", workforce_time.AttendanceViewSet, basename="workforce-attendance"
)
workforce_time_router.register(
    "workforce/manager/attendances", workforce_time.ManagerAttendanceViewSet, basename="workforce-manager-attendance"
)
workforce_time_router.register("workforce/timesheets", workforce_time.TimesheetViewSet, basename="workforce-timesheet")
workforce_time_router.register(
    "workforce/manager/timesheets", workforce_time.ManagerTimesheetViewSet, basename="workforce-manager-timesheet"
)
workforce_time_router.register(
    "workforce/timesheet_items", workforce_time.TimesheetItemViewSet, basename="workforce-timesheet-item"
)
workforce_time_router.register(
    "workforce/manager/timesheet_items",
    workforce_time.ManagerTimesheetItemViewSet,
    basename="workforce-manager-timesheet-item",
)

workforce_time_patterns = workforce_time_router.urls


# --- syncs ------------------------------------------------------------------------------------------

syncs_router = OptionalSlashRouter()
syncs_router.register("syncs", syncs.SyncViewSet, basename="sync")

syncs_patterns = [
    re_path(r"^team/demo_data/apply/?$", syncs.DemoDataApplyView.as_view(), name="demo-data-apply"),
    re_path(r"^team/demo_data/reset/?$", syncs.DemoDataResetView.as_view(), name="demo-data-reset"),
    *syncs_router.urls,
]


# --- developers, addons, actions (literal paths before their {package} / {id} siblings) -------------------------

a = automations
PACKAGE = r"(?P<package>[A-Za-z0-9_.-]+)"
NAME = r"(?P<name>[^/]+)"
PK = r"(?P<pk>[0-9]{1,18})"

automations_patterns = [
    re_path(r"^developers/?$", a.DevelopersView.as_view(), name="developers"),
    re_path(rf"^developers/{PK}/?$", a.DeveloperView.as_view(), name="developer"),
    re_path(rf"^developers/{PK}/addons/?$", a.DeveloperAddonsView.as_view(), name="developer-addons"),
    re_path(rf"^developers/{PK}/actions/?$", a.DeveloperActionsView.as_view(), name="developer-actions"),
    re_path(r"^addons/?$", a.AddonsView.as_view(), name="addons"),
    re_path(r"^addons/recommended/?$", a.AddonsRecommendedView.as_view(), name="addons-recommended"),
    re_path(r"^addons/popular/?$", a.AddonsPopularView.as_view(), name="addons-popular"),
    re_path(r"^addons/installed/?$", a.AddonsInstalledView.as_view(), name="addons-installed"),
    re_path(r"^addons/search/?$", a.AddonsSearchView.as_view(), name="addons-search"),
    re_path(rf"^addons/{PACKAGE}/?$", a.AddonView.as_view(), name="addon"),
    re_path(rf"^addons/{PACKAGE}/report/?$", a.AddonReportView.as_view(), name="addon-report"),
    re_path(rf"^addons/{PACKAGE}/actions/?$", a.AddonActionsView.as_view(), name="addon-actions"),
    re_path(rf"^addons/{PACKAGE}/install/?$", a.AddonInstallView.as_view(), name="addon-install"),
    re_path(rf"^addons/{PACKAGE}/install/permissions/?$", a.AddonPermissionsView.as_view(), name="addon-permissions"),
    re_path(
        rf"^addons/{PACKAGE}/install/permissions/{NAME}/?$",
        a.AddonPermissionView.as_view(),
        name="addon-permission",
    ),
    re_path(rf"^addons/{PACKAGE}/install/settings/?$", a.AddonSettingsView.as_view(), name="addon-settings"),
    re_path(rf"^addons/{PACKAGE}/install/settings/{NAME}/?$", a.AddonSettingView.as_view(), name="addon-setting"),
    re_path(r"^actions/?$", a.ActionsView.as_view(), name="actions"),
    re_path(r"^actions/popular/?$", a.ActionsPopularView.as_view(), name="actions-popular"),
    re_path(r"^actions/installed/?$", a.ActionsInstalledView.as_view(), name="actions-installed"),
    re_path(r"^actions/recent/?$", a.ActionsRecentView.as_view(), name="actions-recent"),
    re_path(r"^actions/search/?$", a.ActionsSearchView.as_view(), name="actions-search"),
    re_path(r"^actions/installs/?$", a.ActionInstallsView.as_view(), name="action-installs"),
    re_path(rf"^actions/installs/{PK}/?$", a.ActionInstallView.as_view(), name="action-install"),
    re_path(rf"^actions/installs/{PK}/run/?$", a.ActionInstallRunView.as_view(), name="action-install-run"),
    re_path(
        rf"^actions/installs/{PK}/run_later/?$", a.ActionInstallRunLaterView.as_view(), name="action-install-run-later"
    ),
    re_path(rf"^actions/installs/{PK}/history/?$", a.ActionInstallHistoryView.as_view(), name="action-install-history"),
    re_path(rf"^actions/{PK}/?$", a.ActionView.as_view(), name="action"),
    re_path(rf"^actions/{PK}/variables/?$", a.ActionVariablesView.as_view(), name="action-variables"),
]


# Django tries patterns in order: the shift lists every client polls come first (no other group's pattern can match
# a path of theirs), so resolving them costs a few regex tries instead of fifty (issue 10).
urlpatterns = [
    *workforce_shifts_patterns,
    *accounts_patterns,
    *contacts_patterns,
    *invitations_patterns,
    *workforce_people_patterns,
    *workforce_time_patterns,
    *syncs_patterns,
    *automations_patterns,
]
