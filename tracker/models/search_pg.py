"""The PostgreSQL search index: the same two tables as on SQLite (tracker/models/search.py),
each one row per project whose rowid is the project's id and whose one column, named as
its table, is the project's words as a `tsvector` with a GIN index — titles, reference and
location weighted A, partners' names B, evidence summaries C — read by the Russian
Snowball configuration. One table holds the evidence of the published cycles only (what
the public reads), the other every cycle's (what editors read).

Statement-level triggers with transition tables keep both in step on every write to
projects, evidence, participation, organisations and cycles, whichever door it comes
through (admin, imports and their bulk path, commands, pg_restore writes the tables
themselves); one refresh per statement, however many rows it touched. A TRUNCATE of the
projects empties both."""

from .search import ALL, DEFERRED, POSTGRES_REBUILD, PUBLIC, PUBLISHED

#: The configuration both the documents and the queries use.
CONFIG = "russian"


def _document(published):
    cycle = f" AND c.number <= {PUBLISHED}" if published else ""
    return f"""
    setweight(to_tsvector('{CONFIG}', concat_ws(' ', p.reference, p.title_ru, p.title_en, p.location)), 'A')
    || setweight(to_tsvector('{CONFIG}', coalesce((
        SELECT string_agg(o.name || ' ' || coalesce(o.name_en, ''), ' ')
        FROM tracker_participation pa JOIN tracker_organization o ON o.id = pa.organization_id
        WHERE pa.project_id = p.id), '')), 'B')
    || setweight(to_tsvector('{CONFIG}', coalesce((
        SELECT string_agg(coalesce(e.summary_ru, '') || ' ' || coalesce(e.summary, ''), ' ')
        FROM tracker_evidence e JOIN ratings_cycle c ON c.id = e.cycle_id
        WHERE e.project_id = p.id{cycle}), '')), 'C')"""


def _refresh(table, published):
    # Two transactions refreshing the same project at once queue on its index row (locked
    # first, in id order); each later statement of the function reads afresh, so the second
    # builds the document from the first's committed rows too, and the upsert never fails
    # on the other's new row. A document that comes out as it was is not written again (no
    # dead row, no new index entries: most writes — a status, an amount — change no word).
    return f"""
    SELECT count(*) FROM (SELECT 1 FROM {table} WHERE rowid = ANY(ids) ORDER BY rowid FOR UPDATE) AS locked;
    DELETE FROM {table} WHERE rowid = ANY(ids) AND NOT EXISTS (SELECT 1 FROM tracker_project p WHERE p.id = rowid);
    INSERT INTO {table} (rowid, {table}) SELECT p.id, {_document(published)} FROM tracker_project p
    WHERE p.id = ANY(ids) ORDER BY p.id
    ON CONFLICT (rowid) DO UPDATE SET {table} = EXCLUDED.{table}
    WHERE {table}.{table} IS DISTINCT FROM EXCLUDED.{table};"""


REFRESH = f"""
CREATE OR REPLACE FUNCTION tracker_search_refresh(ids bigint[]) RETURNS void LANGUAGE sql AS $$
{_refresh(ALL, False)}
{_refresh(PUBLIC, True)}
$$;"""

#: table → the projects a changed row touches, as a query over the transition table `rows`.
TOUCHED = {
    "tracker_project": "SELECT id FROM rows",
    "tracker_evidence": "SELECT project_id FROM rows",
    "tracker_participation": "SELECT project_id FROM rows",
    "tracker_organization": (
        "SELECT pa.project_id FROM tracker_participation pa WHERE pa.organization_id IN (SELECT id FROM rows)"
    ),
    # A cycle's number or publication changes what the public index holds of every later
    # cycle's evidence too (a deleted cycle's own evidence goes first, by its own trigger).
    "ratings_cycle": (
        "SELECT DISTINCT e.project_id FROM tracker_evidence e JOIN ratings_cycle c ON c.id = e.cycle_id"
        " WHERE c.number >= (SELECT min(number) FROM rows)"
    ),
}
EVENTS = {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}


def _function(table, event):
    name = f"tracker_search_{table}_{event.lower()}"
    touched = " UNION ".join(
        TOUCHED[table].replace("FROM rows", f"FROM {side.lower()}_rows") for side in EVENTS[event]
    )
    sql = f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('{DEFERRED}', true) = 'on' THEN  -- a bulk load: rebuilt once at its end
        RETURN NULL;
    END IF;
    PERFORM tracker_search_refresh(ARRAY(SELECT DISTINCT t.id FROM ({touched}) AS t(id) WHERE t.id IS NOT NULL));
    RETURN NULL;
END $$;"""
    return name, sql


def forward_sql():
    statements = []
    for table in (ALL, PUBLIC):
        statements += [
            f"CREATE TABLE {table} (rowid bigint PRIMARY KEY, {table} tsvector NOT NULL)",
            f"CREATE INDEX {table}_gin ON {table} USING gin ({table})",
        ]
    statements.append(REFRESH)
    for table in TOUCHED:
        for event, sides in EVENTS.items():
            referencing = " ".join(f"{side} TABLE AS {side.lower()}_rows" for side in sides)
            name, function = _function(table, event)
            statements += [
                function,
                f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing}"
                f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
            ]
    statements += [
        f"""CREATE OR REPLACE FUNCTION tracker_search_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {ALL};
    DELETE FROM {PUBLIC};
    RETURN NULL;
END $$;""",
        "CREATE TRIGGER tracker_search_truncate AFTER TRUNCATE ON tracker_project"
        " FOR EACH STATEMENT EXECUTE FUNCTION tracker_search_truncate()",
    ]
    return statements


def rebuild_sql():
    return [POSTGRES_REBUILD]


def refresh_functions_sql():
    """The functions alone (CREATE OR REPLACE), for a database whose triggers exist."""
    return [REFRESH, *(_function(table, event)[1] for table in TOUCHED for event in EVENTS)]


def backward_sql():
    statements = ["DROP TRIGGER IF EXISTS tracker_search_truncate ON tracker_project"]
    for table in TOUCHED:
        for event in EVENTS:
            name = f"tracker_search_{table}_{event.lower()}"
            statements += [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
    return statements + [
        "DROP FUNCTION IF EXISTS tracker_search_truncate()",
        "DROP FUNCTION IF EXISTS tracker_search_refresh(bigint[])",
        f"DROP TABLE IF EXISTS {ALL}",
        f"DROP TABLE IF EXISTS {PUBLIC}",
    ]
