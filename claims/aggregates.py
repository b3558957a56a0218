"""A portable "join these names with '; '" aggregate (Django 5.2 has no generic StringAgg)."""

from django.db.models import Aggregate, CharField


class JoinedNames(Aggregate):
    """DISTINCT values joined with "; ", sorted on PostgreSQL; scan order on SQLite."""

    function = "STRING_AGG"
    output_field = CharField()

    def __init__(self, expression, **extra):
        super().__init__(expression, **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"STRING_AGG(DISTINCT {sql}, '; ' ORDER BY {sql})", (*params, *params)

    def as_sqlite(self, compiler, connection, **extra_context):
        # GROUP_CONCAT(DISTINCT x) only takes the default "," separator: shield real commas
        # with a control character, swap separators, then restore the commas.
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            "REPLACE(REPLACE(GROUP_CONCAT(DISTINCT REPLACE("
            f"{sql}, ',', char(31))), ',', '; '), char(31), ',')",
            params,
        )
