"""Write-matrix rows of issue 14 (developers, addons, actions): installing, configuring and running automations is
for the current team's managers (an API key acts as its maker); an addon's `roles` narrow that further (the addons
used here ask for "manager"); reporting an addon is anyone's. Another team's action install is a 404."""

from tests.permissions.matrix import Write

PKG = "crewdesk-messaging"


def extend_world(world) -> dict:
    """The catalogue; in both teams the messaging and scheduling addons (with a setting); in ours an install."""
    from automations.catalogue import catalogue_load_current
    from automations.models import AddonSetting
    from tests.automations.automation_support import install_action, install_addon

    catalogue_load_current()
    objects = world["objects"]
    for team, owner in ((objects["team"], objects["owner"]), (objects["other_team"], objects["outsider"])):
        install = install_addon(team, owner, PKG)
        install_addon(team, owner, "crewdesk-scheduling")
        AddonSetting.objects.create(addon_install=install, name="sms", data={"signature": "x"})
    install = install_action(
        objects["team"],
        objects["owner"],
        "text-members",
        settings={"member_id": objects["member"].pk, "message": "Hi"},
        schedule={"interval": {"every": 1, "period": "hours"}},
    )
    from automations.models import Action

    return {"automation_install": install.pk, "text_action": Action.objects.get(key="text-members").pk}


WRITES = [
    Write("tommy", "POST", f"addons/{PKG}/report", "self", {"reason": "spam"}),
    Write("tommy", "POST", "addons/crewdesk-webhooks/install", "current_admin"),  # roles ["admin"]
    Write("tommy", "PUT", f"addons/{PKG}/install", "current_manager"),
    Write("tommy", "DELETE", f"addons/{PKG}/install", "current_manager"),
    Write("tommy", "PUT", f"addons/{PKG}/install/permissions/sms", "current_manager", {"operations": ["send"]}),
    Write("tommy", "PUT", f"addons/{PKG}/install/settings/sms", "current_manager", {"data": {"signature": "y"}}),
    Write("tommy", "DELETE", f"addons/{PKG}/install/settings/sms", "current_manager"),
    Write("tommy", "POST", "actions/installs", "current_manager", lambda w: {"id": w["text_action"]}),
    Write("tommy", "PUT", "actions/installs/{automation_install}", "manager", {"title": "Renamed"}),
    Write("tommy", "DELETE", "actions/installs/{automation_install}", "manager"),
    Write("tommy", "POST", "actions/installs/{automation_install}/run", "manager", {"trigger_data": {}}),
    Write("tommy", "POST", "actions/installs/{automation_install}/run_later", "manager"),
]
