"""Statements of the hottest paths, planned once per database connection.

PostgreSQL plans every statement it is sent; for a survey link's lookup (a five-table join
by the token's hash) planning costs several times the execution, and the ORM compiling the
statement costs more again. A PreparedStatement is written once as SQL with named
placeholders, sent as PREPARE the first time a connection runs it and as EXECUTE after, so
the server keeps its plan. ModelColumns turns its rows back into model instances, through
the same converters the ORM applies.

Prepared statements belong to a server session: behind a transaction-pooling PgBouncer
they need its max_prepared_statements (1.21 and newer).
"""

import re
from collections.abc import Callable
from functools import cached_property

from django.db import connection, models

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


class PreparedStatement:
    def __init__(self, name: str, sql: Callable[[], str]):
        """`sql` returns the statement with %(name)s placeholders; it is called at first
        use, when the models' table and column names can be read."""
        self.name = name
        self._build = sql

    @cached_property
    def sql(self) -> str:
        return self._build()

    @cached_property
    def _names(self) -> list[str]:
        return list(dict.fromkeys(_PLACEHOLDER.findall(self.sql)))

    @cached_property
    def _prepare(self) -> str:
        numbered = _PLACEHOLDER.sub(lambda m: f"${self._names.index(m.group(1)) + 1}", self.sql)
        return f"PREPARE {self.name} AS {numbered}"

    @cached_property
    def _execute(self) -> str:
        arguments = ", ".join(f"%({name})s" for name in self._names)
        return f"EXECUTE {self.name} ({arguments})" if arguments else f"EXECUTE {self.name}"

    def execute(self, cursor, params: dict) -> None:
        """Run it on `cursor` (of the default connection) with these named values."""
        prepared = _prepared_on_this_connection(cursor)
        if self.name not in prepared:
            cursor.execute(self._prepare)
            # PREPARE outlives a rollback of its transaction: it is the session's from now.
            prepared.add(self.name)
        cursor.execute(self._execute, params)


def _prepared_on_this_connection(cursor) -> set[str]:
    """The names prepared in the current server session, asked of the server once per
    connection (a pooler may hand over a session that has some already)."""
    raw = connection.connection
    known = getattr(connection, "_prepared_statements", None)
    if known is None or known[0] is not raw:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        known = (raw, {name for (name,) in cursor.fetchall()})
        connection._prepared_statements = known
    return known[1]


class ModelColumns:
    """Some columns of some models, read side by side by one raw statement: the SELECT list
    to write into it, and each row turned back into one instance per model, the rest of
    whose fields are deferred."""

    def __init__(self, *parts: tuple[type[models.Model], str, tuple[str, ...]]):
        """Each part: a model, its alias in the statement, the attnames read."""
        # In the model's field order, the order Model.from_db takes values in.
        self.parts = [
            (
                model,
                alias,
                tuple(f.attname for f in model._meta.concrete_fields if f.attname in names),
            )
            for model, alias, names in parts
        ]
        for (model, _, names), (_, _, asked) in zip(self.parts, parts, strict=True):
            if len(names) != len(asked):
                raise ValueError(f"{model.__name__} has no column among {asked}")

    def select_list(self) -> str:
        quote = connection.ops.quote_name
        return ", ".join(
            f"{alias}.{quote(model._meta.get_field(name).column)}"
            for model, alias, names in self.parts
            for name in names
        )

    @cached_property
    def _converters(self) -> list[list[tuple[Callable, models.expressions.Col]]]:
        converted = []
        for model, alias, names in self.parts:
            for name in names:
                column = model._meta.get_field(name).get_col(alias)
                functions = connection.ops.get_db_converters(column)
                functions += column.get_db_converters(connection)
                converted.append([(function, column) for function in functions])
        return converted

    def instances(self, row) -> list[models.Model]:
        values = [
            _converted(value, converters)
            for value, converters in zip(row, self._converters, strict=True)
        ]
        made, start = [], 0
        for model, _alias, names in self.parts:
            made.append(model.from_db(connection.alias, names, values[start : start + len(names)]))
            start += len(names)
        return made


def _converted(value, converters):
    for function, expression in converters:
        value = function(value, expression, connection)
    return value
