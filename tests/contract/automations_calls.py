"""Calls for the automations samples (demo data and syncs) of tests/contract/samples/tommy.json.

Their documented success labels ("… successfully") are not the "<Model> response" labels that
test_tommy_contract._success_sample selects, so tests/automations/test_contract.py runs them with the same
assert_matches. `integration_id` is legitimately null (demo syncs come from no integration): listed as unset.
"""

from automations import services

SYNC_UNSET = ("$.integration_id", "$[0].integration_id")


def _finished_sync(ctx):
    team = ctx["owner"].memberships.select_related("team").first().team
    with ctx["captured"](execute=True):
        sync = services.demo_apply(
            team=team,
            user=ctx["owner"],
            seed_type="workforce",
            options={"number_of_team_members": 2, "number_of_shifts": 3, "number_of_timesheets": 1},
        )
    sync.refresh_from_db()
    return sync


def call_demo_apply(ctx):
    body = {"seed_type": "workforce", "options": {"number_of_team_members": 2, "number_of_shifts": 3}}
    with ctx["captured"](execute=True):
        return ctx["tommy_client"].post("/api/v1/team/demo_data/apply", body, format="json")


def call_demo_reset(ctx):
    _finished_sync(ctx)
    return ctx["tommy_client"].delete("/api/v1/team/demo_data/reset")


def call_syncs(ctx):
    _finished_sync(ctx)
    return ctx["tommy_client"].get("/api/v1/syncs"), SYNC_UNSET


def call_sync_detail(ctx):
    sync = _finished_sync(ctx)
    return ctx["tommy_client"].get(f"/api/v1/syncs/{sync.pk}"), SYNC_UNSET


AUTOMATION_CALLS = {
    ("POST", "/team/demo_data/apply"): (call_demo_apply, 200),
    ("DELETE", "/team/demo_data/reset"): (call_demo_reset, 200),
    ("GET", "/syncs"): (call_syncs, 200),
    ("GET", "/syncs/{id}"): (call_sync_detail, 200),
}
