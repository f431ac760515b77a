"""bulk_create for the hot write paths, cheaper on PostgreSQL.

Django's bulk_create prepares every value of every row through its field classes; for
the 1,000 interactions, customers and invitations of a big API batch that cost more than
the database's work. Values of plain types are taken as they are, the others through their
field as Django would, and each column is sent as one array literal (psycopg2 adapting
a list does it value by value, several times slower). Like bulk_create: no signals,
primary keys set from RETURNING. Only public model APIs (_meta, _state, field methods).
"""

import datetime as dt

from django.db import connections, models, router

# Field classes whose Python value is already the value PostgreSQL takes.
_AS_IS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.FloatField,
    models.DateField,  # DateTimeField too; a naive datetime goes through the field
)


def bulk_insert(objs: list[models.Model]) -> list[models.Model]:
    """Insert new model instances (of one model, without primary keys) in one statement."""
    if not objs:
        return objs
    model = type(objs[0])
    using = router.db_for_write(model)
    connection = connections[using]
    meta = model._meta
    fields = [field for field in meta.concrete_fields if field is not meta.auto_field]
    prepare = [_preparer(field, connection) for field in fields]
    # One array per column, unnested into rows (in order, as Django's bulk_create does).
    columns = [_array([value(obj) for obj in objs]) for value in prepare]
    quote = connection.ops.quote_name
    arrays = ", ".join(f"%s::{field.cast_db_type(connection)}[]" for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
            f"SELECT * FROM UNNEST({arrays}) RETURNING {quote(meta.pk.column)}",
            columns,
        )
        keys = cursor.fetchall()
    for obj, (key,) in zip(objs, keys, strict=True):
        setattr(obj, meta.pk.attname, key)
        obj._state.adding, obj._state.db = False, using
    return objs


def _preparer(field: models.Field, connection):
    attname = field.attname

    def through_field(obj):
        return field.get_db_prep_save(field.pre_save(obj, add=True), connection)

    if isinstance(field, models.ForeignKey):
        return _related_key(field)
    computed = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    if computed or not isinstance(field, _AS_IS):
        return through_field  # auto_now and other computed values, JSON, ...

    def as_is(obj):
        value = getattr(obj, attname)
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            return through_field(obj)
        return value

    return as_is


def _related_key(field: models.ForeignKey):
    """The key of the related object, also when it was saved after being assigned (as
    Django's save does); an unsaved one is refused."""
    attname, name = field.attname, field.name

    def key(obj):
        value = getattr(obj, attname)
        if value is None and field.is_cached(obj):
            related = field.get_cached_value(obj)
            if related is not None:
                if related.pk is None:
                    raise ValueError(f"bulk_insert: {name} is not saved yet")
                value = related.pk
                setattr(obj, attname, value)
        return value

    return key


def _array(values: list):
    """The PostgreSQL array literal of a column's values, or the list itself for psycopg2
    when a value is of a type the literal does not spell."""
    try:
        return "{" + ",".join([_spelled(v) for v in values]) + "}"
    except LookupError:
        return values


def _spelled(value) -> str:
    spell = _ELEMENT.get(type(value))
    if spell is not None:
        return spell(value)
    if isinstance(value, str):  # a TextChoices member
        return _quoted(str(value))
    raise LookupError(type(value))


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_ELEMENT = {
    type(None): lambda v: "NULL",
    bool: lambda v: "t" if v else "f",
    int: str,
    float: lambda v: _quoted(repr(v)),
    str: _quoted,
    dt.date: lambda v: v.isoformat(),
    dt.datetime: lambda v: _quoted(v.isoformat()),
}
