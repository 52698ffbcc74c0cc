"""Django's PostgreSQL backend with psycopg's C loader for `timestamptz` (ENGINE `core.db.postgresql`).

Django registers, on every psycopg 3 connection, a loader that subclasses psycopg's *pure-Python*
`TimestamptzLoader` to pin the timezone of the datetimes it returns. Parsing each timestamp in Python costs about
10 µs on these machines: a 100-row shift page (two timestamps a row) spent ~2 ms there, more than the query itself.

When Django's connection timezone is UTC (USE_TZ with the database TIME_ZONE unset, Django's own default and
ours), the session runs `TimeZone=UTC` (Django sets it on connect) and psycopg's C loader already returns datetimes
aware in `datetime.timezone.utc`, exactly what Django's loader returns. Only then is the C loader put back; any
other configuration keeps Django's loader untouched. tests/core/test_db_backend.py compares the two.
"""

import datetime

from django.db.backends.postgresql import base
from psycopg import adapt, adapters
from psycopg.pq import Format

TIMESTAMPTZ_OID = adapters.types["timestamptz"].oid
_FAST_LOADER = adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)  # the C class when psycopg[binary] is installed


class UtcTimestamptzLoader:
    """Registers psycopg's fastest `timestamptz` loader under Django's contract.

    Django's `create_cursor` reads `.timezone` off the registered loader class to decide whether a cursor needs its
    own loader; the C class has no such attribute and cannot be subclassed, so this class carries it and builds the
    C loader itself (psycopg instantiates the registered class once per result set)."""

    format = Format.TEXT
    timezone = datetime.UTC

    def __new__(cls, oid, context=None):
        return _FAST_LOADER(oid, context)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        if self.timezone == datetime.UTC and self.timezone_name == "UTC":
            context = adapt.AdaptersMap(params["context"])  # Django's template is shared: extend a copy
            context.register_loader(TIMESTAMPTZ_OID, UtcTimestamptzLoader)
            params["context"] = context
        return params
