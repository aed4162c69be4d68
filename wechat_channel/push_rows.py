"""The rows a worker writes at every step of a push, as SQL made once per set of columns.

A push writes a dozen times on its way to WeChat (its claim, each state, each history line, the images it
uploaded). Through the
ORM each of those statements costs several times more to build than to run (`bench/wechat_push.py`: about
0.2 ms against 0.04 ms), and the worker builds the same few over and over. Here each is built once per model,
database and set of columns, with the names quoted by the database's own rules, and every value is converted
by its field exactly as the ORM converts it. No signals are sent: the ORM's `update()` sends none either, and
nothing listens for the history's rows being saved.
"""

from django.db import connections, router
from django.db.models.constants import OnConflict

_STATEMENTS = {}


def _field(model, name):
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def _column(connection, model, name):
    return connection.ops.quote_name(_field(model, name).column)


def _statement(kind, model, connection, names, where=()):
    key = (kind, model, connection.alias, names, where)
    sql = _STATEMENTS.get(key)
    if sql is None:
        table = connection.ops.quote_name(model._meta.db_table)
        if kind == "update":
            assignments = ", ".join(f"{_column(connection, model, name)} = %s" for name in names)
            conditions = " AND ".join(f"{_column(connection, model, name)} = %s" for name in where)
            sql = f"UPDATE {table} SET {assignments} WHERE {conditions}"  # noqa: S608 - names from the model, quoted
        else:
            columns = ", ".join(_column(connection, model, name) for name in names)
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"  # noqa: S608
        _STATEMENTS[key] = sql
    return sql


def _values(model, connection, values):
    return [_field(model, name).get_db_prep_save(value, connection) for name, value in values.items()]


def update(model, fields, **where):
    """Set `fields` on the rows of `model` whose columns equal `where` (none of them None); rows changed."""
    connection = connections[router.db_for_write(model)]
    sql = _statement("update", model, connection, tuple(fields), tuple(where))
    with connection.cursor() as cursor:
        cursor.execute(sql, _values(model, connection, fields) + _values(model, connection, where))
        return cursor.rowcount


def insert_new(objects):
    """Rows of unsaved model instances (one model), each left out where a unique constraint already holds one: what
    `bulk_create(objects, ignore_conflicts=True)` writes, in one statement (their pks stay unset)."""
    if not objects:
        return
    model = type(objects[0])
    connection = connections[router.db_for_write(model)]
    fields = [field for field in model._meta.concrete_fields if field is not model._meta.auto_field]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    row = f"({', '.join(['%s'] * len(fields))})"
    conflict = connection.ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, None, None)
    table = connection.ops.quote_name(model._meta.db_table)
    head = f"{connection.ops.insert_statement(on_conflict=OnConflict.IGNORE)} {table} ({columns}) VALUES "
    size = max(1, connection.ops.bulk_batch_size(fields, objects))  # SQLite's limit on parameters
    with connection.cursor() as cursor:
        for start in range(0, len(objects), size):
            batch = objects[start : start + size]
            sql = head + ", ".join([row] * len(batch)) + (f" {conflict}" if conflict else "")
            params = [field.get_db_prep_save(field.pre_save(o, True), connection) for o in batch for field in fields]
            cursor.execute(sql, params)


def insert(model, fields):
    """One row of `model` with `fields` (by field name). Nothing fills in a model's Python-side defaults
    (`default=`, `auto_now_add`): a field left out gets the column's database default or NULL, so a caller names
    every field that has neither (`events.record` names them all)."""
    connection = connections[router.db_for_write(model)]
    sql = _statement("insert", model, connection, tuple(fields))
    with connection.cursor() as cursor:
        cursor.execute(sql, _values(model, connection, fields))
