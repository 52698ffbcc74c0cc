"""One page of a polled shift list (GET /workforce/manager/shifts, /workforce/shifts) in hand-written SQL.

Clients poll these lists, and a page of 100 built with the ORM spent most of its time compiling querysets (the
page with its EXISTS flag, the count, the same-day window: ~5 ms of Python on these machines) rather than in
PostgreSQL. Here the statements are written once (core/db/rows.py converts the columns exactly as the ORM
does) and only their WHERE clause varies. The answer equals the ORM read path's (`shifts_annotated` +
`mark_same_day`, still used for single shifts and `/shifts/active`); tests/workforce/test_shift_page.py compares the
two for both scopes and every filter, so a rule changed on one side and not the other fails there.

Rules repeated here, as written in workforce.services.shifts: employees see published shifts that are theirs or
open (`shifts_visible_to_employee`); `shift_requested` means a live request by the viewer (`ShiftRequest.LIVE`).
"""

import datetime
import re
from dataclasses import dataclass
from functools import cache, lru_cache

import orjson
from django.db import DEFAULT_DB_ALIAS, connections

from core.db.rows import ModelColumns
from workforce.models import Shift, ShiftRequest
from workforce.services.shifts import ROW_FIELDS, SAME_DAY_MARGIN, STATUS, mark_days

# `data` stays the JSON text the database returns, handed to the renderer as an orjson.Fragment: parsing each
# row's JSON only to write it out again was a sixth of a computed page.
_SHIFT = ModelColumns(Shift, "s", fields=ROW_FIELDS, verbatim=("data",))
_DATA = ROW_FIELDS.index("data")
_START = ROW_FIELDS.index("start_at")
_PAGE_KEYS = (*ROW_FIELDS, "shift_requested")
_REQUEST = ModelColumns(ShiftRequest, "r", fields=("id",))
_STARTS = ModelColumns(Shift, "s", fields=("id", "start_at"))
# django-filter lookups the shift FilterSet uses, as SQL operators.
_OPERATORS = {"exact": "=", "gte": ">=", "gt": ">", "lte": "<=", "lt": "<"}


@dataclass(frozen=True)
class Condition:
    """`field <lookup> value` from a validated FilterSet (field name and django-filter lookup)."""

    field: str
    lookup: str
    value: object


def _where(c, *, team_id: int, viewer_id: int, employee: bool, conditions: list[Condition]) -> tuple[str, list]:
    clauses, params = [f"{_SHIFT.column(c, 'team')} = %s"], [team_id]
    if employee:
        clauses.append(f"{_SHIFT.column(c, 'status')} = %s")
        params.append(STATUS.PUBLISHED)
        assignee = _SHIFT.column(c, "assignee")
        clauses.append(f"({assignee} = %s OR {assignee} IS NULL)")
        params.append(viewer_id)
    for condition in conditions:
        field = Shift._meta.get_field(condition.field)
        clauses.append(f"{_SHIFT.column(c, condition.field)} {_OPERATORS[condition.lookup]} %s")
        params.append(field.get_db_prep_value(field.to_python(condition.value), c))
    return " AND ".join(clauses), params


# The live request statuses, written into the SQL (code constants, checked to be plain words).
_LIVE_SQL = ", ".join(f"'{status}'" for status in ShiftRequest.LIVE if re.fullmatch(r"[a-z_]+", status))
assert _LIVE_SQL.count("'") == 2 * len(ShiftRequest.LIVE)


@cache
def _requested_sql(c) -> str:
    """`shift_requested`: a live request by the viewer (the one parameter) on the row's shift."""
    return (
        f"EXISTS (SELECT 1 FROM {_REQUEST.table(c)} WHERE {_REQUEST.column(c, 'shift')} = {_SHIFT.column(c, 'id')}"
        f" AND {_REQUEST.column(c, 'user')} = %s AND {_REQUEST.column(c, 'status')} IN ({_LIVE_SQL}))"
    )


@lru_cache(maxsize=512)  # per connection, WHERE shape and page: a polled list asks for the same few again and again
def _page_sql(c, where: str, limit: int, offset: int) -> str:
    """The page with its `shift_requested` flag and the total (an uncorrelated subquery, computed once: page and
    count in one round trip).

    A deferred join: the inner query picks the page's ids in list order, which the (team, start_at, id) index gives
    without a sort (index-only for an unfiltered list), and only those rows are then read whole, by primary key.
    Asked for whole rows directly, PostgreSQL's planner flipped to sorting the whole team once the table held many
    teams; given the ids as a joined subquery, it flipped to a sequential scan of the whole table hashed against
    them (1 ms at 9,000 rows, growing with the table). `id = ANY(ARRAY(…))` leaves it one plan: the ids computed
    once, then 100 primary-key lookups (0.4 ms). LIMIT, OFFSET and the statuses are literals, as the ORM writes
    LIMIT and OFFSET: as parameters they made the prepared statement's generic plan sort the whole team, so
    PostgreSQL re-planned it on every request (~0.4 ms)."""
    requested = _requested_sql(c)
    order = f"ORDER BY {_SHIFT.column(c, 'start_at')}, {_SHIFT.column(c, 'id')}"
    page_ids = (
        f"SELECT {_SHIFT.column(c, 'id')} FROM {_SHIFT.table(c)} WHERE {where}"
        f" {order} LIMIT {int(limit)} OFFSET {int(offset)}"
    )
    in_page = f"= ANY(ARRAY({page_ids}))" if c.vendor == "postgresql" else f"IN ({page_ids})"  # SQLite: no arrays
    return (
        f"SELECT {_SHIFT.select(c)}, {requested}, ({_count_sql(c, where)}) FROM {_SHIFT.table(c)}"
        f" WHERE {_SHIFT.column(c, 'id')} {in_page} {order}"
    )


@lru_cache(maxsize=512)
def _page_and_starts_sql(c, where: str, limit: int, offset: int) -> str:
    """PostgreSQL: `_page_sql` and `_starts_sql` in one statement, one round trip (the second was a fifth of a
    computed page). The page's ids and starts are a materialized CTE, read by both branches; the viewer's shifts
    come after the page as rows of their own (the last column says which), holding only `id` and `start_at`."""
    order = f"ORDER BY {_SHIFT.column(c, 'start_at')}, {_SHIFT.column(c, 'id')}"
    page = (
        f"SELECT {_SHIFT.column(c, 'id')}, {_SHIFT.column(c, 'start_at')} FROM {_SHIFT.table(c)} WHERE {where}"
        f" {order} LIMIT {int(limit)} OFFSET {int(offset)}"
    )
    mine = ["NULL"] * (len(_SHIFT) + 2)  # the page's columns, its `shift_requested` and its total
    mine[0], mine[_START] = _STARTS.column(c, "id"), _STARTS.column(c, "start_at")
    return (
        f"WITH page AS MATERIALIZED ({page})"
        f" SELECT {_SHIFT.select(c)}, {_requested_sql(c)}, ({_count_sql(c, where)}), 0 FROM {_SHIFT.table(c)}"
        f" WHERE {_SHIFT.column(c, 'id')} = ANY(ARRAY(SELECT id FROM page))"
        f" UNION ALL SELECT {', '.join(mine)}, 1 FROM {_STARTS.table(c)}"
        f" WHERE {_STARTS.column(c, 'team')} = %s AND {_STARTS.column(c, 'assignee')} = %s"
        f" AND {_STARTS.column(c, 'start_at')} >= (SELECT MIN(start_at) FROM page) - %s"
        f" AND {_STARTS.column(c, 'start_at')} < (SELECT MAX(start_at) FROM page) + %s"
        f" ORDER BY {len(_SHIFT) + 3}, {_START + 1}, 1"
    )


@cache
def _count_sql(c, where: str) -> str:
    return f"SELECT COUNT(*) FROM {_SHIFT.table(c)} WHERE {where}"


def shift_page(
    *,
    team_id: int,
    zone: datetime.tzinfo,
    viewer_id: int,
    employee: bool,
    conditions: list[Condition],
    offset: int,
    limit: int,
) -> tuple[list[dict], int]:
    """The rows of one page (every documented field plus `shift_requested` and `shift_on_same_day`, in list order)
    and the total the filters match. One query on PostgreSQL, two elsewhere, whatever the page size (one more past
    the last page). `data` is an orjson.Fragment of the stored JSON text."""
    c = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: `django.db.connection` is a proxy, slow per attribute
    where, params = _where(c, team_id=team_id, viewer_id=viewer_id, employee=employee, conditions=conditions)
    if c.vendor == "postgresql":
        return _page_and_starts(c, where, params, team_id=team_id, zone=zone, viewer_id=viewer_id, offset=offset,
                                limit=limit)  # fmt: skip
    with c.cursor() as cursor:
        cursor.execute(_page_sql(c, where, limit, offset), [viewer_id, *params, *params])
        fetched = cursor.fetchall()
        total = _total(cursor, c, where, params, fetched, column=-1, offset=offset)
    rows = [_page_row(c, row) for row in fetched]
    mark_days(rows, zone=zone, viewer_shift_starts=_viewer_starts(c, team_id, viewer_id, rows))
    return rows, total


def _page_and_starts(c, where, params, *, team_id, zone, viewer_id, offset, limit) -> tuple[list[dict], int]:
    with c.cursor() as cursor:
        cursor.execute(
            _page_and_starts_sql(c, where, limit, offset),
            [*params, viewer_id, *params, team_id, viewer_id, SAME_DAY_MARGIN, SAME_DAY_MARGIN],
        )
        fetched = cursor.fetchall()
        page = [row for row in fetched if row[-1] == 0]  # (…, requested, total, 0): _PAGE_KEYS ends at requested
        total = _total(cursor, c, where, params, page, column=-2, offset=offset)
    if _SHIFT.has_converters(c) or _STARTS.has_converters(c):
        rows = [_page_row(c, row[:-1]) for row in page]
        mine = [tuple(_STARTS.convert(c, (row[0], row[_START]))) for row in fetched if row[-1] == 1]
    else:  # psycopg's values are the ORM's: the rows as they came (a tenth of a computed page less)
        rows = [dict(zip(_PAGE_KEYS, row, strict=False)) for row in page]  # stops before the total
        for row in rows:
            row["data"] = orjson.Fragment(row["data"])
        mine = [(row[0], row[_START]) for row in fetched if row[-1] == 1]
    return mark_days(rows, zone=zone, viewer_shift_starts=mine), total


def _total(cursor, c, where: str, params: list, page: list, *, column: int, offset: int) -> int:
    """The total the filters match: carried by the page's rows (in `column`), else counted past the last page."""
    if page:
        return page[0][column]
    if offset:  # past the last page: the count still says how many there are
        cursor.execute(_count_sql(c, where), params)
        return cursor.fetchone()[0]
    return 0  # an empty first page: nothing matches


def _page_row(c, row) -> dict:
    """A page row (the shift's columns, `shift_requested`, the total) as the documented fields."""
    values = _SHIFT.convert(c, row)  # the two extra columns (requested, total) have no converter
    values[_DATA] = orjson.Fragment(values[_DATA])
    values[-2] = bool(values[-2])
    return dict(zip(_PAGE_KEYS, values, strict=False))  # stops before the total, the last column


def _viewer_starts(c, team_id: int, viewer_id: int, rows: list[dict]) -> list[tuple[int, datetime.datetime]]:
    """(id, start_at) of the viewer's assigned shifts around the page (SAME_DAY_MARGIN), for `shift_on_same_day`."""
    if not rows:
        return []
    start = Shift._meta.get_field("start_at")
    lowest = start.get_db_prep_value(min(row["start_at"] for row in rows) - SAME_DAY_MARGIN, c)
    highest = start.get_db_prep_value(max(row["start_at"] for row in rows) + SAME_DAY_MARGIN, c)
    with c.cursor() as cursor:
        cursor.execute(_starts_sql(c), [team_id, viewer_id, lowest, highest])
        return [tuple(_STARTS.convert(c, row)) for row in cursor.fetchall()]


@cache
def _starts_sql(c) -> str:
    return (
        f"SELECT {_STARTS.select(c)} FROM {_STARTS.table(c)}"
        f" WHERE {_STARTS.column(c, 'team')} = %s AND {_STARTS.column(c, 'assignee')} = %s"
        f" AND {_STARTS.column(c, 'start_at')} >= %s AND {_STARTS.column(c, 'start_at')} < %s"
    )
