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
    """`build(marker)` returns a `values_list()` queryset in which `marker` is used once.

    `rows(value)` runs its SQL with `value` in the marker's place and returns the rows as
    lists, converted as the queryset would (dates from SQLite, for instance). The database is
    the router's choice for reads of `model`, as for the queryset itself.
    """

    def __init__(self, model, build, marker):
        self.model = model
        self.build = build
        self.marker = marker
        self._compiled = {}  # database alias → (sql, params, marker slot, compiler, converters)

    def _compile(self, alias):
        compiler = self.build(self.marker).query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        slots = [i for i, param in enumerate(params) if param == self.marker]
        if len(slots) != 1:
            raise ValueError(f"the marker {self.marker!r} must be used once, not {len(slots)}")
        columns = [column for column, _, _ in compiler.select[: compiler.col_count]]
        return sql, list(params), slots[0], compiler, compiler.get_converters(columns)

    def rows(self, value):
        alias = router.db_for_read(self.model)
        if alias not in self._compiled:
            self._compiled[alias] = self._compile(alias)
        sql, params, slot, compiler, converters = self._compiled[alias]
        params = params.copy()
        params[slot] = value
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            return list(compiler.apply_converters(rows, converters))
        return [list(row) for row in rows]


def instance(model, alias, values):
    """A model instance from a {attname: value} row, as if loaded by a queryset with .only()."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(alias, names, [values[name] for name in names])
