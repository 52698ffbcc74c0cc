"""Model instances and value rows from hand-written SQL, for the two reads hot enough to need it: the credential
lookup every authenticated request makes (accounts/services/credentials.py) and a page of the polled shift lists
(workforce/services/shift_page.py).

Compiling their ORM querysets (a `select_related` over four models; a 16-column page with an EXISTS, its count and
a window query) cost the ORM more on these machines than PostgreSQL needed to run them. Here the SQL is written
once; its column lists come from the models' metadata, so a field added to a model is selected without touching
the SQL; and each value is converted as the ORM converts it (the backend's converters, then the field's
`from_db_value`), instances built by `Model.from_db`.

Use it only where a profile shows the compile cost; everything else stays on the ORM.
"""

from collections.abc import Callable, Sequence

from django.db.models import Model


class ModelColumns:
    """Every concrete column of `model` under the table alias `alias`, and how to build the instance back."""

    def __init__(
        self, model: type[Model], alias: str, fields: Sequence[str] | None = None, verbatim: Sequence[str] = ()
    ):
        """All concrete fields, or only `fields` (names or attnames, in that order) for rows read as values.
        `verbatim` fields keep the value the database driver gave (no converter), e.g. a JSON column's text."""
        self.model = model
        self.alias = alias
        if fields is None:
            self.fields = tuple(model._meta.concrete_fields)
        else:
            self.fields = tuple(model._meta.get_field(name) for name in fields)
        self.attnames = tuple(field.attname for field in self.fields)
        self.pk_index = self.fields.index(model._meta.pk) if model._meta.pk in self.fields else None
        self.verbatim = frozenset(model._meta.get_field(name) for name in verbatim)
        self._converters: dict[str, list[tuple[int, list[Callable], object]]] = {}
        self._columns: dict[tuple[str, str], str] = {}

    def __len__(self) -> int:
        return len(self.fields)

    def table(self, connection) -> str:
        """`"table" "alias"`, for FROM and JOIN."""
        quote = connection.ops.quote_name
        return f"{quote(self.model._meta.db_table)} {quote(self.alias)}"

    def column(self, connection, name: str) -> str:
        """`"alias"."column"` of the field called `name` (e.g. "team" gives the team_id column)."""
        found = self._columns.get((connection.alias, name))
        if found is None:
            quote = connection.ops.quote_name
            found = f"{quote(self.alias)}.{quote(self.model._meta.get_field(name).column)}"
            self._columns[(connection.alias, name)] = found
        return found

    def select(self, connection) -> str:
        quote = connection.ops.quote_name
        return ", ".join(f"{quote(self.alias)}.{quote(field.column)}" for field in self.fields)

    def _converters_for(self, connection) -> list[tuple[int, list[Callable], object]]:
        found = self._converters.get(connection.alias)
        if found is None:
            found = []
            for index, field in enumerate(self.fields):
                if field in self.verbatim:
                    continue
                column = field.get_col(self.alias)
                converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
                if converters:
                    found.append((index, converters, column))
            self._converters[connection.alias] = found
        return found

    def has_converters(self, connection) -> bool:
        """False when every value comes from the driver as the ORM gives it (PostgreSQL, for most models): `convert`
        would only copy the row."""
        return bool(self._converters_for(connection))

    def convert(self, connection, values: Sequence) -> list:
        """The column values (in `select` order) as the ORM would give them: backend, then field converters.
        Columns after this model's (an EXISTS, a count) are kept as they came."""
        values = list(values)
        found = self._converters.get(connection.alias)  # per row: the lookup without the call
        for index, converters, column in self._converters_for(connection) if found is None else found:
            value = values[index]
            for converter in converters:
                value = converter(value, column, connection)
            values[index] = value
        return values

    def build(self, connection, values: Sequence) -> Model | None:
        """The instance these values (in `select` order) describe; None for the all-NULL side of an outer join.
        Needs every concrete field (the default `fields`)."""
        if values[self.pk_index] is None:
            return None
        return self.model.from_db(connection.alias, self.attnames, self.convert(connection, values))


def split_row(row: Sequence, layout: Sequence[ModelColumns], connection) -> list[Model | None]:
    """One instance per entry of `layout`, from a row that selected each entry's columns in that order."""
    instances, start = [], 0
    for columns in layout:
        instances.append(columns.build(connection, row[start : start + len(columns)]))
        start += len(columns)
    return instances
