"""Every write of the automations app, one module per area: demo (demo-data syncs), addons (installs, permissions,
settings, reports), installs (action installs and their schedules), runs (dispatch, execution, events, history).
The demo-data functions are importable from `automations.services` itself, as before the split."""

from automations.services.demo import (
    DEMO_ITEM_TYPE,
    LOST_AFTER,
    STALE_AFTER,
    demo_apply,
    demo_reset,
    demo_run,
    syncs_sweep,
)

__all__ = ["DEMO_ITEM_TYPE", "LOST_AFTER", "STALE_AFTER", "demo_apply", "demo_reset", "demo_run", "syncs_sweep"]
