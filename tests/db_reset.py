"""Between transactional tests: the test database emptied by DELETE on PostgreSQL, and what the migrations left in it
put back in one INSERT per table instead of Django's object-by-object restore.

A transactional test (a live server, real worker processes, a browser) ends with `flush`, and the next one with
`serialized_rollback` restores the migrated data. On PostgreSQL Django's flush is one `TRUNCATE` of every table,
which makes each of them a new file: 0.43 s of wall time per test on this machine, for about 220 such tests per run.
Deleting the few rows a test wrote from each table takes a few milliseconds; the sequences stay where they were, as
Django's flush without `reset_sequences` leaves them, and the foreign keys (deferred) are checked at its commit.

Django serializes the migrated database once (`serialize_db_to_string`: 539 objects here, content types,
permissions, groups, workflows, the root page, policy v1…) and, before every test with `serialized_rollback`,
deserializes it and saves each object through the ORM: 0.13 s of CPU a test on SQLite, more on PostgreSQL, for
about 250 such tests per run. Here the same moment also reads the rows of every table that `flush` empties, and the
restore writes them back as they were: the same rows, ids and values (a superset of what the serializer keeps), no
model built and no signal sent. Django's restore sends `post_save` for each object, and Wagtail's handlers then drop
what they cached of the previous test's sites and locales (`wagtail_site_root_paths`, a default site whose root page
the flush removed): so the restore here clears the cache those handlers would have cleared (this test process's own
keys, `tests/worker_cache.py`).

The foreign keys Django makes are deferred on both databases, so the tables may be filled in any order inside the
restore's transaction. The restore follows each transactional test's flush at once, not only the start of the next
transactional test as in Django, so whatever test comes next finds the migrated data; a transactional test also
empties and restores at its start (`tests/conftest.py`), so rows written after the last restore go too.
"""

from django.core.cache import cache
from django.core.management import call_command
from django.db import IntegrityError, connections, transaction
from django.db.backends.base.creation import BaseDatabaseCreation
from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations
from django.test import TransactionTestCase

_serialize = BaseDatabaseCreation.serialize_db_to_string
_deserialize = BaseDatabaseCreation.deserialize_db_from_string
_postgres_flush = PostgresOperations.sql_flush


def postgres_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    """One statement that deletes every row of `tables`, where Django would truncate them (its way for the rest)."""
    if reset_sequences or allow_cascade or not tables:
        return _postgres_flush(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    return [" ".join(f"DELETE FROM {self.quote_name(table)};" for table in tables)]  # noqa: S608 - quoted names


def _virtual_tables(cursor, connection):
    """SQLite's virtual tables: the search backend's FTS5 index, which its own triggers fill from the index entries'
    rows (modelsearch's migration 0002), so the restore must not write it a second time."""
    if connection.vendor != "sqlite":
        return set()
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")
    return {name for (name,) in cursor.fetchall()}


def table_rows(connection):
    """[(table, columns, rows)] of every table of the project's models that holds rows (and that no trigger fills)."""
    quote = connection.ops.quote_name
    snapshot = []
    with connection.cursor() as cursor:
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        for table in sorted(set(tables) - _virtual_tables(cursor, connection)):
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - a table name from the introspection
            rows = cursor.fetchall()
            if rows:
                snapshot.append((table, [column[0] for column in cursor.description], rows))
    return snapshot


# {alias: (Django's serialized contents, table rows)} as the migrations left each test database. Kept here, not
# only on the connection object that made the database: while Playwright's loop runs (tests/browser/conftest.py),
# `connections[alias]` is another object (Django keeps connections in context variables), which would otherwise lack
# `_test_serialized_contents`, so the next test would neither be restored nor flushed without post_migrate.
MIGRATED = {}


def serialize_db_to_string(self):
    contents = _serialize(self)
    MIGRATED[self.connection.alias] = (contents, table_rows(self.connection))
    return contents


def adopt(aliases):
    """Give each alias's current connection object the serialized contents its test database was made with."""
    for alias in aliases:
        if alias in MIGRATED and not hasattr(connections[alias], "_test_serialized_contents"):
            connections[alias]._test_serialized_contents = MIGRATED[alias][0]


def deserialize_db_from_string(self, data):
    contents, snapshot = MIGRATED.get(self.connection.alias, (None, None))
    if contents is not data:  # something else than the migrated state: Django's own restore
        return _deserialize(self, data)
    quote = self.connection.ops.quote_name
    with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
        for table, columns, rows in snapshot:
            names = ", ".join(quote(column) for column in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)  # noqa: S608
    cache.clear()
    return None


def restorable(aliases):
    """Those of `aliases` whose migrated data is kept here (a run with no serialized test keeps none)."""
    return [alias for alias in aliases if alias in MIGRATED]


def empty(aliases):
    """Delete every row of the test databases, without post_migrate. The sequences are kept: the restore writes its
    rows with their ids, and a sequence restarted at 1 would hand the next test's first page the id of the root."""
    for alias in aliases:
        call_command(
            "flush", verbosity=0, interactive=False, database=alias, inhibit_post_migrate=True, reset_sequences=False
        )


def restore(aliases):
    """Put back what the migrations made into the emptied test databases; once more, emptied again, when rows
    written meanwhile (a browser's late request, a journey's process) collide with it."""
    for alias in aliases:
        if alias not in MIGRATED:
            continue
        try:
            connections[alias].creation.deserialize_db_from_string(MIGRATED[alias][0])
        except IntegrityError:
            empty([alias])
            connections[alias].creation.deserialize_db_from_string(MIGRATED[alias][0])


def _restoring_teardown(original):
    """A transactional test's flush, followed at once by the restore. Django restores only when the next
    transactional test starts, so a test in a transaction that ran between them (pytest-xdist's work stealing hands
    them over in any order) found no root page, groups or policy."""

    def _fixture_teardown(self):
        aliases = self._databases_names(include_mirrors=False)
        adopt(aliases)
        result = original(self)
        if self.serialized_rollback:
            restore(aliases)
        return result

    return _fixture_teardown


def install():
    TransactionTestCase._fixture_teardown = _restoring_teardown(TransactionTestCase._fixture_teardown)
    PostgresOperations.sql_flush = postgres_flush
    BaseDatabaseCreation.serialize_db_to_string = serialize_db_to_string
    BaseDatabaseCreation.deserialize_db_from_string = deserialize_db_from_string
