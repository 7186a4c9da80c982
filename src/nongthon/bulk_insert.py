"""Write many rows fast: `executemany` on SQLite, `COPY` on PostgreSQL.

Django's `bulk_create` builds and checks a model instance per row (about 100 µs each), which is
fine for thousands of rows and too slow for the millions of a national data set or the million
criterion results of a national recompute. These helpers take plain tuples in the order of the
given column names (attnames: `unit_id`, not `unit`), convert the few types the database driver
does not take as they are, and write them in one statement per batch. No signals, no history,
no `auto_now`: callers give every column they need.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import islice

from django.db import connection, models

BATCH = 5000


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _converter(field: models.Field):
    """A function for the columns the driver cannot take as Python gives them, else None."""
    if isinstance(field, models.JSONField):
        # A string already holds JSON (callers that assemble it from cached fragments).
        return lambda v: v if v is None or isinstance(v, str) else json.dumps(v, ensure_ascii=False)
    if _is_postgres():
        return None  # COPY's text format takes str() of dates, decimals, UUIDs and booleans
    if isinstance(field, models.UUIDField):
        return lambda v: v if v is None else v.hex
    # Dates repeat a lot (one timestamp for a whole build): convert each distinct one once.
    if isinstance(field, models.DateTimeField):
        return lru_cache(maxsize=4096)(connection.ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return lru_cache(maxsize=4096)(lambda v: v.isoformat())
    return None


def _columns(model: type[models.Model], fields: Sequence[str]):
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    chosen = [by_attname[name] for name in fields]
    return [f.column for f in chosen], [_converter(f) for f in chosen]


def _converted(rows: Iterable[Sequence], converters) -> Iterable[tuple]:
    if not any(converters):
        yield from (tuple(r) for r in rows)
        return
    pairs = [(i, c) for i, c in enumerate(converters) if c is not None]
    for row in rows:
        row = list(row)
        for i, convert in pairs:
            if row[i] is not None:
                row[i] = convert(row[i])
        yield tuple(row)


def _batches(rows: Iterable[tuple], size: int) -> Iterable[list[tuple]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence], batch=BATCH
) -> int:
    """Insert `rows` (tuples in the order of `fields`) into `model`'s table; returns the count."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns, converters = _columns(model, fields)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if _is_postgres():
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in _converted(rows, converters):
                    copy.write_row(row)
                    count += 1
            return count
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
        for chunk in _batches(_converted(rows, converters), batch):
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def update_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence], batch=BATCH
) -> int:
    """Update rows by primary key: each row is (pk, *values of `fields`)."""
    table = connection.ops.quote_name(model._meta.db_table)
    pk = model._meta.pk
    columns, converters = _columns(model, [pk.attname, *fields])
    quoted = [connection.ops.quote_name(c) for c in columns]
    count = 0
    with connection.cursor() as cursor:
        if _is_postgres():
            # COPY into a temporary table, then one UPDATE ... FROM: far fewer round trips.
            temp = connection.ops.quote_name(f"tmp_update_{model._meta.db_table}")
            cursor.execute(f"DROP TABLE IF EXISTS {temp}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {temp} AS SELECT {', '.join(quoted)} FROM {table} "
                "WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY {temp} ({', '.join(quoted)}) FROM STDIN") as copy:
                for row in _converted(rows, converters):
                    copy.write_row(row)
                    count += 1
            sets = ", ".join(f"{c} = t.{c}" for c in quoted[1:])
            cursor.execute(
                f"UPDATE {table} SET {sets} FROM {temp} t WHERE {table}.{quoted[0]} = t.{quoted[0]}"
            )
            cursor.execute(f"DROP TABLE {temp}")
            return count
        sets = ", ".join(f"{c} = %s" for c in quoted[1:])
        sql = f"UPDATE {table} SET {sets} WHERE {quoted[0]} = %s"
        for chunk in _batches(_converted(rows, converters), batch):
            cursor.executemany(sql, [(*r[1:], r[0]) for r in chunk])
            count += len(chunk)
    return count


def delete_where_in(
    model: type[models.Model], column: str, ids: Sequence[int], batch=BATCH
) -> None:
    """DELETE ... WHERE column IN (...), in batches (SQLite limits the number of parameters)."""
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = connection.ops.quote_name(column)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), batch):
            chunk = list(ids[start : start + batch])
            if _is_postgres():
                cursor.execute(f"DELETE FROM {table} WHERE {quoted} = ANY(%s)", [chunk])
            else:
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {table} WHERE {quoted} IN ({marks})", chunk)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` primary keys nobody else will get, so related rows can be written in the same
    pass (COPY and executemany return no ids)."""
    if count <= 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if _is_postgres():
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
            sequence = cursor.fetchone()[0]
            # Each nextval is atomic, so concurrent writers never get one of these ids.
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, count])
            return [row[0] for row in cursor.fetchall()]
        # SQLite has one writer at a time (the caller holds the write transaction): start after
        # the highest id ever handed out and move the AUTOINCREMENT counter past the range.
        quoted = connection.ops.quote_name(table)
        cursor.execute(
            f"SELECT COALESCE(MAX({connection.ops.quote_name(column)}), 0) FROM {quoted}"
        )
        first = cursor.fetchone()[0] + 1
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        seq = cursor.fetchone()
        if seq and seq[0] >= first:
            first = seq[0] + 1
        last = first + count - 1
        if seq:
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [last, table])
        else:
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, last])
        return list(range(first, last + 1))
