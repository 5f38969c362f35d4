"""One row by primary key, for the two lookups every personal page makes.

`Model.objects.get(pk=...)` compiles its SQL afresh on every call: about 0.3 ms of
CPU, more than the query itself takes. The person's own row (every logged-in
request) and an assessment (every results page) sit on the hottest paths, so for
them the SELECT and the column converters are worked out once per model, and each
row becomes an instance the way the ORM's compiler makes one: converters applied,
then `Model.from_db` (about 0.1 ms).
"""

from collections.abc import Callable
from functools import cache

from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.db.models.expressions import Col

Converter = Callable[[object, Col, object], object]


@cache
def _plan(
    model: type[models.Model], alias: str
) -> tuple[str, tuple[str, ...], tuple[tuple[int, Col, tuple[Converter, ...]], ...]]:
    """The SELECT of every concrete column by primary key, the attribute each column
    fills, and the converters the compiler would apply to each (JSON, dates, ...)."""
    if type(model._default_manager).get_queryset is not models.Manager.get_queryset:
        raise TypeError(f"{model.__name__}'s default manager filters rows: use the ORM")
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = model._meta.concrete_fields
    columns = ", ".join(quote(field.column) for field in fields)
    sql = (
        f"SELECT {columns} FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.pk.column)} = %s"
    )
    converters = []
    for index, field in enumerate(fields):
        col = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if found:
            converters.append((index, col, tuple(found)))
    return sql, tuple(field.attname for field in fields), tuple(converters)


def _key(field: models.Field, pk: object, connection: object) -> object | None:
    """The key as the database compares it, or None when no row can have it."""
    try:
        value = field.get_db_prep_value(field.to_python(pk), connection)
    except (ValidationError, TypeError, ValueError):
        return None
    if isinstance(value, int):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        if (low is not None and value < low) or (high is not None and value > high):
            return None
    return value


def values_of(instance: models.Model) -> tuple:
    """The instance's column values, in by_pk()'s order: what from_values() rebuilds it from."""
    _sql, names, _converters = _plan(type(instance), router.db_for_read(type(instance)))
    return tuple(getattr(instance, name) for name in names)


def from_values[M: models.Model](model: type[M], values: tuple) -> M:
    """The instance values_of() described, as by_pk() makes it."""
    alias = router.db_for_read(model)
    _sql, names, _converters = _plan(model, alias)
    return model.from_db(alias, names, list(values))


def by_pk[M: models.Model](model: type[M], pk: object) -> M | None:
    """What `model._default_manager.get(pk=pk)` returns, or None when there is no such
    row or `pk` is not a valid key."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    sql, names, converters = _plan(model, alias)
    value = _key(model._meta.pk, pk, connection)
    if value is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, col, functions in converters:
        for function in functions:
            values[index] = function(values[index], col, connection)
    return model.from_db(alias, names, values)
