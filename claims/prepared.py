"""Querysets compiled to SQL once per process, then run again with a new value.

Turning a queryset into SQL (resolving lookups and joins, building the select list) costs
Django more than SQLite or PostgreSQL take to answer a small primary-key lookup: on the claim
page it was a third of the request. A page whose queries differ only in one slug or id can
build each queryset once with a marker in place of that value, keep the SQL, and swap the
marker for the real value on every run. The rules stay in the querysets (`published()` and
the rest); only their compilation is shared.
"""

from django.db import connections, router


class PreparedValues:
    """`build(*markers)` returns a `values_list()` queryset (or a union of them) using each
    marker at least once.

    `rows(*values)` runs its SQL with each value in every place of its marker and returns the
    rows as lists, converted as the queryset would (dates from SQLite, for instance). The
    database is the router's choice for reads of `model`, as for the queryset itself.
    """

    def __init__(self, model, build, *markers):
        self.model = model
        self.build = build
        self.markers = markers
        self._compiled = {}  # database alias → (sql, params, slots, compiler, converters)

    def _compile(self, alias):
        compiler = self.build(*self.markers).query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        slots = []  # (parameter position, index of the marker)
        for n, marker in enumerate(self.markers):
            found = [(i, n) for i, param in enumerate(params) if param == marker]
            if not found:
                raise ValueError(f"the query does not use the marker {marker!r}")
            slots += found
        columns = [column for column, _, _ in compiler.select[: compiler.col_count]]
        return sql, list(params), slots, compiler, compiler.get_converters(columns)

    def rows(self, *values):
        alias = router.db_for_read(self.model)
        if alias not in self._compiled:
            self._compiled[alias] = self._compile(alias)
        sql, params, slots, compiler, converters = self._compiled[alias]
        params = params.copy()
        for position, n in slots:
            params[position] = values[n]
        with _cursor(connections[alias]) as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            return list(compiler.apply_converters(rows, converters))
        return [list(row) for row in rows]

    def rows_for(self, values, filler):
        """`rows()` of a query built on a list of markers (an IN list, say) for any number of
        values: a shorter list is padded with `filler`, a value no row has; a longer one runs in
        turns of as many values as there are markers."""
        size, found = len(self.markers), []
        for first in range(0, len(values), size):
            turn = list(values[first : first + size])
            found += self.rows(*turn, *[filler] * (size - len(turn)))
        return found


def _cursor(connection):
    """Django's cursor (wrapped: errors, query logging), binding on the server on PostgreSQL."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = ServerBindingCursor(connection.connection)
    return connection._prepare_cursor(raw)


def instance(model, alias, values):
    """A model instance from a {attname: value} row, as if loaded by a queryset with .only()."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(alias, names, [values[name] for name in names])
