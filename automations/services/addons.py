"""Addons in a team: install (gated by the addon's `roles`), upgrade, uninstall, the permissions an install holds and
the settings it takes, and abuse reports."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Membership, Team, User
from automations.models import ActionInstall, Addon, AddonInstall, AddonPermission, AddonReport, AddonSetting
from automations.variables import check
from core.exceptions import NotFoundError, PermissionDeniedError, ValidationFailed

# Who holds which install role: each level holds the ones below it.
ROLES = ("owner", "admin", "manager", "member")


def roles_of(membership: Membership | None) -> set[str]:
    """The roles a membership holds for Addon.roles: owner ⊃ admin ⊃ manager ⊃ member."""
    if membership is None:
        return set()
    held = {"member"}
    if membership.can_manage:
        held.add("manager")
    if membership.status in (Membership.Status.ADMIN, Membership.Status.OWNER):
        held.add("admin")
    if membership.status == Membership.Status.OWNER:
        held.add("owner")
    return held


def check_roles(*, addon: Addon, membership: Membership | None) -> None:
    """Addon.roles are the roles required to install it: holding any one of them is enough (none listed: anyone
    who may install addons)."""
    required = set(addon.roles or [])
    if required and not required & roles_of(membership):
        raise PermissionDeniedError(
            f"Installing {addon.title} needs one of these roles: {', '.join(sorted(required))}."
        )


def _grant_all(install: AddonInstall, addon: Addon, *, by: User | None) -> None:
    AddonPermission.objects.bulk_create(
        [
            AddonPermission(
                addon_install=install,
                name=p["name"],
                title=p.get("title", ""),
                hint=p.get("hint", ""),
                resource_type=p.get("resource_type", ""),
                resource_kind=p.get("resource_kind", ""),
                operations=list(p.get("operations", [])),
                updated_by=by,
            )
            for p in addon.permissions
            if p.get("name")
        ]
    )


@transaction.atomic
def addon_install(*, team: Team, addon: Addon, membership: Membership | None, by: User | None) -> AddonInstall:
    """Install `addon` in `team` with every permission it asks for; installing it again returns the install."""
    check_roles(addon=addon, membership=membership)
    existing = AddonInstall.objects.filter(team=team, addon=addon).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            install = AddonInstall.objects.create(team=team, addon=addon, version=addon.version, installed_by=by)
    except IntegrityError:  # a concurrent install of the same addon won
        return AddonInstall.objects.get(team=team, addon=addon)
    _grant_all(install, addon, by=by)
    return install


@transaction.atomic
def addon_upgrade(*, install: AddonInstall, by: User | None) -> AddonInstall:
    """PUT /addons/{package}/install: bring the install to the addon's current version — new permissions granted,
    withdrawn ones removed (kept ones keep the team's choice) — and move its live actions to their current versions."""
    from automations.services.installs import install_upgrade

    install = AddonInstall.objects.select_for_update(of=("self",)).select_related("addon").get(pk=install.pk)
    addon = install.addon
    defined = {p["name"] for p in addon.permissions if p.get("name")}
    install.permissions.exclude(name__in=defined).delete()
    have = set(install.permissions.values_list("name", flat=True))
    missing = Addon(permissions=[p for p in addon.permissions if p.get("name") not in have])
    _grant_all(install, missing, by=by)
    for permission in install.permissions.all():  # operations the addon no longer offers are dropped
        offered = addon.permission_definition(permission.name).get("operations", [])
        kept = [op for op in permission.operations if op in offered]
        if kept != permission.operations:
            permission.operations = kept
            permission.save(update_fields=["operations", "updated_at"])
    install.version = addon.version
    install.save(update_fields=["version", "updated_at"])
    for action_install in ActionInstall.objects.live().filter(addon_install=install).select_related("action"):
        install_upgrade(install=action_install, by=by)
    return install


@transaction.atomic
def addon_uninstall(*, install: AddonInstall, by: User | None) -> Addon:
    """Remove the install with its permissions and settings; its action installs are deleted (soft) and their
    pending runs canceled."""
    from automations.services.installs import install_delete

    for action_install in ActionInstall.objects.live().filter(addon_install=install):
        install_delete(install=action_install, by=by, reason=f"{install.addon.title} was uninstalled")
    addon = install.addon
    install.delete()
    return addon


@transaction.atomic
def addon_permission_update(*, install: AddonInstall, name: str, operations, by: User | None) -> AddonPermission:
    """Set which of the addon's operations the install may perform under permission `name` (a subset of what the
    addon asks for; an empty list withdraws the permission)."""
    permission = install.permissions.filter(name=name).first()
    definition = install.addon.permission_definition(name)
    if permission is None or definition is None:
        raise NotFoundError("This addon has no such permission.")
    offered = definition.get("operations", [])
    if not isinstance(operations, list) or not all(isinstance(op, str) for op in operations):
        raise ValidationFailed.for_field("operations", "must be a list of strings")
    unknown = [op for op in operations if op not in offered]
    if unknown:
        raise ValidationFailed.for_field(
            "operations", f"{', '.join(unknown)}: not an operation of this permission (one of: {', '.join(offered)})"
        )
    permission.operations = [op for op in offered if op in operations]
    permission.updated_by = by
    permission.save(update_fields=["operations", "updated_by", "updated_at"])
    return permission


def allows(install: AddonInstall | None, name: str, operation: str) -> bool:
    if install is None:
        return False
    permission = next((p for p in install.permissions.all() if p.name == name), None)
    return permission is not None and operation in permission.operations


def setting_schema(addon: Addon, name: str) -> dict:
    properties = (addon.settings_schema or {}).get("properties") or {}
    if name not in properties:
        known = ", ".join(sorted(properties)) or "none"
        raise ValidationFailed.for_field("name", f"{name!r} is not a setting of this addon (its settings: {known})")
    return properties[name]


@transaction.atomic
def addon_setting_put(*, install: AddonInstall, name: str, data, by: User | None, **fields) -> AddonSetting:
    """Upsert setting `name`; `data` must fit the addon's schema for it. `fields`: context, format, resource_type,
    resource_id (stored as given)."""
    check(data, setting_schema(install.addon, name), field="data")
    setting, _ = AddonSetting.objects.update_or_create(
        addon_install=install, name=name, defaults={"data": data, "user": by, **fields}
    )
    return setting


@transaction.atomic
def addon_setting_delete(*, install: AddonInstall, name: str) -> None:
    deleted, _ = install.settings.filter(name=name).delete()
    if not deleted:
        raise NotFoundError("This setting is not set.")


def addon_settings_data(install: AddonInstall | None) -> dict:
    """{name: data} of an install's settings (the activities read them, e.g. the SMS signature)."""
    if install is None:
        return {}
    return {s.name: s.data for s in install.settings.all()}


@transaction.atomic
def addon_report(*, addon: Addon, user: User, team: Team | None, reason: str = "") -> AddonReport:
    """Record a report (once per person and addon: reporting again updates the reason and time)."""
    report, _ = AddonReport.objects.update_or_create(
        addon=addon, user=user, defaults={"team": team, "reason": reason[:2000], "created_at": timezone.now()}
    )
    return report
