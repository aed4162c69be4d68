"""The rows a worker reads and writes at every step of a push, as SQL made once per set of columns.

A push reads and writes a dozen times on its way to WeChat (its claim, each state, each history line, the images
it uploaded, an early result event). Through the ORM each of those statements costs several times more to build
than to run (`bench/wechat_push.py`: about 0.2–0.5 ms against 0.04 ms), and the worker builds the same few over
and over. Here each is built once per model, database and set of columns, with the names quoted by the database's
own rules, and every value is converted by its field exactly as the ORM converts it, both ways. No signals are
sent on writes: the ORM's `update()` sends none either, and nothing listens for the history's rows being saved;
an instance read here is made by `Model.from_db`, as the ORM makes it.
"""

from django.db import connections, router
from django.db.models.constants import OnConflict

_MADE_ONCE = {}  # statements, converters and field lists, by model, database and columns


def _field(model, name):
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def _column(connection, model, name):
    return connection.ops.quote_name(_field(model, name).column)


def _statement(kind, model, connection, names, where=()):
    key = (kind, model, connection.alias, names, where)
    sql = _MADE_ONCE.get(key)
    if sql is None:
        table = connection.ops.quote_name(model._meta.db_table)
        conditions = " AND ".join(f"{_column(connection, model, name)} = %s" for name in where)
        if kind in ("select", "latest"):
            columns = ", ".join(_column(connection, model, name) for name in names)
            order = f" ORDER BY {_column(connection, model, 'pk')} DESC" if kind == "latest" else ""
            sql = f"SELECT {columns} FROM {table} WHERE {conditions}{order} LIMIT 1"  # noqa: S608 - quoted names
        elif kind == "update":
            assignments = ", ".join(f"{_column(connection, model, name)} = %s" for name in names)
            sql = f"UPDATE {table} SET {assignments} WHERE {conditions}"  # noqa: S608 - names from the model, quoted
        else:
            columns = ", ".join(_column(connection, model, name) for name in names)
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"  # noqa: S608
        _MADE_ONCE[key] = sql
    return sql


def _all_fields(model):
    """The attnames of `model`'s concrete fields, in their order (what an instance read whole is made from)."""
    names = _MADE_ONCE.get(("fields", model))
    if names is None:
        names = _MADE_ONCE["fields", model] = tuple(field.attname for field in model._meta.concrete_fields)
    return names


def _fetch_one(connection, sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _values(model, connection, values):
    return [_field(model, name).get_db_prep_save(value, connection) for name, value in values.items()]


def update(model, fields, **where):
    """Set `fields` on the rows of `model` whose columns equal `where` (none of them None); rows changed."""
    connection = connections[router.db_for_write(model)]
    sql = _statement("update", model, connection, tuple(fields), tuple(where))
    with connection.cursor() as cursor:
        cursor.execute(sql, _values(model, connection, fields) + _values(model, connection, where))
        return cursor.rowcount


def _converters(model, connection, names):
    """Per column, what the ORM applies to a value read from the database (SQLite's datetimes, JSON, ...)."""
    key = ("converters", model, connection.alias, names)
    converters = _MADE_ONCE.get(key)
    if converters is None:
        converters = _MADE_ONCE[key] = []
        for name in names:
            column = _field(model, name).cached_col
            converters.append(
                (column, connection.ops.get_db_converters(column) + column.field.get_db_converters(connection))
            )
    return converters


def _read(model, connection, names, row):
    values = []
    for value, (column, converters) in zip(row, _converters(model, connection, names), strict=True):
        for converter in converters:
            value = converter(value, column, connection)
        values.append(value)
    return values


def _one(kind, model, names, where):
    connection = connections[router.db_for_read(model)]
    names = tuple(names) if names else _all_fields(model)
    row = _fetch_one(
        connection, _statement(kind, model, connection, names, tuple(where)), _values(model, connection, where)
    )
    return None if row is None else model.from_db(connection.alias, names, _read(model, connection, names, row))


def get(model, names=None, **where):
    """The row of `model` whose columns equal `where` (a unique key), as an instance with the fields `names` (all
    concrete fields when None; the others deferred), or None."""
    return _one("select", model, names, where)


def get_with(model, related, **where):
    """`get`, with the row that the foreign key `related` points at read in the same statement (what the ORM's
    `select_related(related)` does), both with all their concrete fields; None when no row matches."""
    connection = connections[router.db_for_read(model)]
    foreign_key = model._meta.get_field(related)
    target = foreign_key.related_model
    names, target_names = _all_fields(model), _all_fields(target)
    key = ("with", model, connection.alias, related, tuple(where))
    sql = _MADE_ONCE.get(key)
    if sql is None:
        quote = connection.ops.quote_name
        columns = [f"t0.{_column(connection, model, name)}" for name in names]
        columns += [f"t1.{_column(connection, target, name)}" for name in target_names]
        conditions = " AND ".join(f"t0.{_column(connection, model, name)} = %s" for name in where)
        sql = _MADE_ONCE[key] = (
            f"SELECT {', '.join(columns)} FROM {quote(model._meta.db_table)} t0 "  # noqa: S608 - quoted names
            f"LEFT OUTER JOIN {quote(target._meta.db_table)} t1 "
            f"ON t0.{quote(foreign_key.column)} = t1.{quote(foreign_key.target_field.column)} "
            f"WHERE {conditions} LIMIT 1"
        )
    row = _fetch_one(connection, sql, _values(model, connection, where))
    if row is None:
        return None
    instance = model.from_db(connection.alias, names, _read(model, connection, names, row[: len(names)]))
    values = _read(target, connection, target_names, row[len(names) :])
    found = values[target_names.index(target._meta.pk.attname)] is not None
    foreign_key.set_cached_value(instance, target.from_db(connection.alias, target_names, values) if found else None)
    return instance


def latest(model, names=None, **where):
    """The newest (highest pk) row of `model` whose columns equal `where`, as `get` makes it, or None."""
    return _one("latest", model, names, where)


def claim(model, pk, worker, now, lease_start, states):
    """Hold the row `pk` for `worker` (`claimed_by`, `claimed_at`) when it is due at `now` (`slot`, no later
    `next_attempt_at`), in one of `states`, and free or held by a claim older than `lease_start`: one compare-and-set
    UPDATE, so of two workers only one wins. True when this one did."""
    connection = connections[router.db_for_write(model)]
    key = ("claim", model, connection.alias, len(states))
    sql = _MADE_ONCE.get(key)
    if sql is None:
        table = connection.ops.quote_name(model._meta.db_table)
        c = {name: _column(connection, model, name) for name in ("pk", "slot", "next_attempt_at", "state")}
        c["by"], c["at"] = _column(connection, model, "claimed_by"), _column(connection, model, "claimed_at")
        sql = _MADE_ONCE[key] = (
            f"UPDATE {table} SET {c['by']} = %s, {c['at']} = %s "  # noqa: S608 - names from the model, quoted
            f"WHERE {c['pk']} = %s AND {c['slot']} <= %s "
            f"AND ({c['next_attempt_at']} IS NULL OR {c['next_attempt_at']} <= %s) "
            f"AND ({c['at']} IS NULL OR {c['at']} < %s) AND {c['state']} IN ({', '.join(['%s'] * len(states))})"
        )
    at = _field(model, "claimed_at")
    instant = at.get_db_prep_value(now, connection)
    params = [worker, instant, pk, instant, instant, at.get_db_prep_value(lease_start, connection), *states]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1


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
