"""An instant as the facts document's ISO 8601 text, written by the database (issue 15).

A semester's facts hold about 60,000 instants. Loaded as datetimes, each cost a Python call or two in the
driver and in Django (SQLite: Django's parse and `make_aware`; PostgreSQL: Django's time-zone loader, which
parses `timestamptz` in Python), then pydantic read them again: a fifth of an evaluation from the database. As
text in UTC they pass through untouched to `parse_facts`, which reads them in Rust.
"""

from django.db.models import CharField, Func


class UtcText(Func):
    """`expression` (a datetime column; NULL stays NULL) as `YYYY-MM-DD HH:MM:SS[.ffffff]+00:00` in UTC."""

    output_field = CharField()
    # PostgreSQL: spelled out rather than a cast to text, which would follow the session's DateStyle.
    template = """to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US"+00:00"')"""

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django stores an aware datetime in SQLite as its UTC text, `YYYY-MM-DD HH:MM:SS[.ffffff]`.
        return self.as_sql(compiler, connection, template="(%(expressions)s || '+00:00')", **extra_context)
