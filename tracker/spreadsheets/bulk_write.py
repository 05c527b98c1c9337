"""The bulk import's writes: new rows in one pass per database's fastest way in, and the
audit entries for what it wrote.

New rows get their primary keys as `bulk_create` would give them:

- SQLite: one prepared INSERT (executemany). The import's transaction is the only writer
  (IMMEDIATE), so the rows take consecutive ids ending at `last_insert_rowid()`.
- PostgreSQL: ids are drawn from the table's sequence in one statement, then the rows go
  in with COPY, three to four times faster than INSERT there. (As with `bulk_create`, a
  concurrent writer may take an id in between.)
- Anything else, or a table without a sequence: `bulk_create` in batches.

Values are prepared by each field as `save()` would (`pre_save` for automatic dates,
`get_db_prep_save`), and errors come back as Django's database errors, so the caller can
start again row by row.

Also here: the lookup of a file's existing rows by their keys (`pks_with`) and the ids and
names of written rows for the admin's log (`describe_written`).
"""

import json
import operator

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from audit.context import current_source, current_user
from audit.models import AuditEntry, audited_fields, plain

BATCH = 1000

#: Field types whose Python values the drivers take as they are (unless NULL is allowed,
#: where a field may turn "" into None).
PLAIN_TYPES = {
    "CharField", "TextField", "SlugField", "URLField", "ForeignKey", "IntegerField",
    "PositiveSmallIntegerField", "PositiveIntegerField", "SmallIntegerField", "BigIntegerField",
}


def insert_rows(model, instances):
    """Insert new instances and give them their primary keys (marked saved, as after
    `bulk_create`)."""
    if not instances:
        return
    connection = transaction.get_connection()
    pk = model._meta.pk
    sequence = _sequence(connection, model) if connection.vendor == "postgresql" else None
    if connection.vendor == "sqlite" and pk.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField"):
        _executemany(connection, model, _insert_fields(model), instances)
        with connection.cursor() as cursor:
            cursor.execute("SELECT last_insert_rowid()")
            last = cursor.fetchone()[0]
        _mark_saved(connection, instances, range(last - len(instances) + 1, last + 1))
    elif sequence:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, len(instances)])
            ids = sorted(row[0] for row in cursor.fetchall())
        _mark_saved(connection, instances, ids)  # before COPY, which writes the ids
        _copy(connection, model, [pk, *_insert_fields(model)], instances)
    else:
        for chunk in chunks(instances, BATCH):
            model.objects.bulk_create(chunk)


def _mark_saved(connection, instances, ids):
    for instance, value in zip(instances, ids):
        instance.pk = value
        instance._state.adding = False
        instance._state.db = connection.alias


def _insert_fields(model):
    return [f for f in model._meta.concrete_fields if not f.primary_key and not getattr(f, "generated", False)]


def _sequence(connection, model):
    """The sequence behind the table's primary key (serial or identity), if any."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_serial_sequence(%s, %s)",
            [connection.ops.quote_name(model._meta.db_table), model._meta.pk.column],
        )
        return cursor.fetchone()[0]


def _row_values(connection, fields, instances):
    """The instances' values for `fields`, row by row, ready for the driver; worked out a
    column at a time. Values of plain types pass as they are; the others are prepared by
    their field once per distinct value (a whole file shares one "recorded at", and has
    few distinct dates)."""
    automatic = [f for f in fields if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)]
    for instance in instances:
        for field in automatic:
            field.pre_save(instance, add=True)
    data = [instance.__dict__ for instance in instances]
    columns = []
    for field in fields:
        column = list(map(operator.itemgetter(field.attname), data))
        if field.get_internal_type() not in PLAIN_TYPES or field.null:
            column = _prepared(connection, field, column)
        columns.append(column)
    return zip(*columns)


def _prepared(connection, field, column):
    prepare = field.get_db_prep_save
    try:
        memo = {value: prepare(value, connection) for value in set(column)}
    except TypeError:  # unhashable values
        return [prepare(value, connection) for value in column]
    return list(map(memo.__getitem__, column))


def _executemany(connection, model, fields, instances):
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = _row_values(connection, fields, instances)
    with connection.cursor() as cursor:
        for chunk in chunks(rows, 5000):
            cursor.executemany(sql, chunk)


def _copy(connection, model, fields, instances):
    quote = connection.ops.quote_name
    sql = "COPY {} ({}) FROM STDIN".format(quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields))
    with connection.cursor() as cursor, connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        for row in _row_values(connection, fields, instances):
            copy.write_row(row)


def write_audit(model, created, updated, snapshots, key=None):
    """Audit entries for what the bulk write did: one per changed record with its old and
    new values, and one for the batch of new records, written with one prepared INSERT
    per five thousand. `snapshots`: {id(instance): audited values before}; `key`: the
    attribute that names a record in the trail."""
    label = model._meta.label
    user = current_user()
    user_id, source = (user.pk if user else None), current_source()
    connection = transaction.get_connection()
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    entries = (
        (at, user_id, source, action, label, str(pk), text, json.dumps(changes, ensure_ascii=False))
        for action, pk, text, changes in _entries(model, created, updated, snapshots, key)
    )
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    sql = (
        f"INSERT INTO {table} (at, user_id, source, action, model, object_id, object_repr, changes) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
    )
    with connection.cursor() as cursor:
        for chunk in chunks(entries, 5000):
            cursor.executemany(sql, chunk)


def _entries(model, created, updated, snapshots, key):
    """(action, object id, text, changes) of each audit entry. New rows: one entry for the
    whole batch (who, when, how many, which ids); their values are the rows themselves
    until a later change, which is recorded."""
    if created:
        pks = [o.pk for o in created]
        summary = {"rows": [None, len(created)], "first_id": [None, min(pks)], "last_id": [None, max(pks)]}
        yield ("create", "", f"{len(created)} {model._meta.verbose_name_plural} imported", summary)
    names = audited_fields(model)
    for obj in updated:
        before, data = snapshots[id(obj)], obj.__dict__
        changes = {n: [before[n], plain(data[n])] for n in names if before[n] != plain(data[n])}
        if changes:
            value = getattr(obj, key, None) if key else None
            yield ("update", obj.pk, str(value if isinstance(value, str) and value else obj)[:300], changes)


def chunks(items, size=BATCH):
    """Lists of at most `size` items from any iterable."""
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def describe_written(model, row_results):
    """Each written row's id and name (`object_id`, `object_repr`), as the row path gives
    them for the admin's log. The related rows the names need (a project's, a cycle's)
    are fetched a thousand rows at a time, where the file did not bring them."""
    written = [r for r in row_results if r.instance is not None]
    relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
    for chunk in chunks(written):
        instances = [r.instance for r in chunk]
        if relations:
            prefetch_related_objects(instances, *relations)
        for row_result, instance in zip(chunk, instances):
            row_result.object_id = instance.pk
            row_result.object_repr = str(instance)


def pks_with(model, column, values):
    """Primary keys of the rows whose `column` holds one of `values` (texts, none blank),
    with a plain query per thousand (PostgreSQL: ten thousand, as one array): the ORM's
    handling of each value of an IN list costs far more than the query itself. `<> ''`
    (true of every key) lets a unique index on the non-blank values serve the lookup
    instead of a scan of the whole table."""
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    table, pk, column = quote(model._meta.db_table), quote(model._meta.pk.column), quote(column)
    sql = f"SELECT {pk} FROM {table} WHERE {column} <> '' AND {column} "
    array = connection.vendor == "postgresql"
    pks = []
    with connection.cursor() as cursor:
        for chunk in chunks(values, 10 * BATCH if array else BATCH):
            if array:
                cursor.execute(sql + "= ANY(%s)", [chunk])
            else:
                cursor.execute(sql + f"IN ({', '.join(['%s'] * len(chunk))})", chunk)
            pks.extend(row[0] for row in cursor.fetchall())
    return pks
