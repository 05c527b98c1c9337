"""The SQLite search index: an FTS5 table of the keys of words (lemmas and stems:
tracker/models/words.py) in two tables whose rowid is the project's id — as the public
reads the record (evidence of the published cycles only) and as editors do (every
cycle) — each in three weighted columns:
titles (reference, titles, location), partners (their names in both languages) and
evidence (both summaries).

Triggers on the projects, evidence, participation, organisation and cycle tables keep it
in step on every write, whichever door it comes through (admin, imports and their bulk
path, commands, raw SQL); the function that turns text into keys, which they call, is installed on each SQLite
connection (tracker/ops/sqlite.py). PostgreSQL has the same two tables, of `tsvector`
documents with GIN indexes, kept by statement-level triggers (tracker/models/search_pg.py).
"""

import contextlib
import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q, Value

from . import words

FUNCTION = "tracker_search_keys"
#: bm25 weights of the columns: a word in a title counts most, then a partner's name.
WEIGHTS = (10.0, 5.0, 1.0)
#: The two tables, both with a project's id as rowid: as the public reads the record, and
#: as editors do.
PUBLIC, ALL = "tracker_search_public", "tracker_search"
TABLES = (PUBLIC, ALL)

#: The highest cycle number n such that cycles 1…n are all published.
PUBLISHED = (
    "coalesce((SELECT min(number) - 1 FROM ratings_cycle WHERE NOT is_published),"
    " (SELECT max(number) FROM ratings_cycle), 0)"
)


def refresh_sql(ids):
    """Statements that rewrite the index rows of the projects whose ids `ids` (an SQL
    expression: one id, or a subquery of `value`s) selects."""
    statements = []
    for table in TABLES:
        published = f" AND c.number <= {PUBLISHED}" if table == PUBLIC else ""
        statements += [
            f"DELETE FROM {table} WHERE rowid IN ({ids_subquery(ids)});",
            f"""INSERT INTO {table} (rowid, titles, partners, evidence)
SELECT p.id, {FUNCTION}(p.reference, p.title_ru, p.title_en, p.location),
    (SELECT {FUNCTION}(group_concat(o.name || ' ' || coalesce(o.name_en, ''), ' '))
     FROM tracker_participation pa JOIN tracker_organization o ON o.id = pa.organization_id
     WHERE pa.project_id = p.id),
    (SELECT {FUNCTION}(group_concat(coalesce(e.summary_ru, '') || ' ' || coalesce(e.summary, ''), ' '))
     FROM tracker_evidence e JOIN ratings_cycle c ON c.id = e.cycle_id
     WHERE e.project_id = p.id{published})
FROM tracker_project p WHERE p.id IN ({ids_subquery(ids)});""",
        ]
    return statements


def ids_subquery(ids):
    return f"SELECT value FROM ({ids})" if ids.lstrip().upper().startswith("SELECT") else ids


def _trigger(name, event, table, ids, when=""):
    body = " ".join(refresh_sql(ids))
    when = f" WHEN {when}" if when else ""
    return f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{when} BEGIN {body} END;"


def _evidence_from(number):
    """The projects with evidence in the cycles numbered `number` (an SQL expression) and up."""
    return (
        "SELECT DISTINCT project_id AS value FROM tracker_evidence"
        f" WHERE cycle_id IN (SELECT id FROM ratings_cycle WHERE number >= {number})"
    )


TRIGGERS = {
    "tracker_search_project_insert": ("INSERT", "tracker_project", "NEW.id", ""),
    "tracker_search_project_update": (
        "UPDATE OF reference, title_ru, title_en, location", "tracker_project", "NEW.id", ""
    ),
    "tracker_search_evidence_insert": ("INSERT", "tracker_evidence", "NEW.project_id", ""),
    "tracker_search_evidence_update": (
        "UPDATE OF summary, summary_ru, cycle_id, project_id",
        "tracker_evidence",
        "SELECT NEW.project_id AS value UNION SELECT OLD.project_id",
        "",
    ),
    "tracker_search_evidence_delete": ("DELETE", "tracker_evidence", "OLD.project_id", ""),
    "tracker_search_participation_insert": ("INSERT", "tracker_participation", "NEW.project_id", ""),
    "tracker_search_participation_update": (
        "UPDATE", "tracker_participation", "SELECT NEW.project_id AS value UNION SELECT OLD.project_id", ""
    ),
    "tracker_search_participation_delete": ("DELETE", "tracker_participation", "OLD.project_id", ""),
    "tracker_search_organization_update": (
        "UPDATE OF name, name_en",
        "tracker_organization",
        "SELECT project_id AS value FROM tracker_participation WHERE organization_id = NEW.id",
        "",
    ),
    "tracker_search_cycle_insert": ("INSERT", "ratings_cycle", _evidence_from("NEW.number"), ""),
    "tracker_search_cycle_update": (
        "UPDATE OF is_published, number",
        "ratings_cycle",
        _evidence_from("min(NEW.number, OLD.number)"),
        "OLD.is_published IS NOT NEW.is_published OR OLD.number IS NOT NEW.number",
    ),
    "tracker_search_cycle_delete": ("DELETE", "ratings_cycle", _evidence_from("OLD.number"), ""),
}


def forward_sql():
    statements = []
    for table in TABLES:
        statements += [
            f"CREATE VIRTUAL TABLE {table} USING fts5(titles, partners, evidence,"
            " tokenize = 'unicode61 remove_diacritics 2');",
            f"INSERT INTO {table} ({table}, rank) VALUES ('rank', 'bm25({', '.join(map(str, WEIGHTS))})');",
        ]
    return statements + trigger_sql()


def trigger_sql():
    deleted = " ".join(f"DELETE FROM {table} WHERE rowid = OLD.id;" for table in TABLES)
    return [
        f"CREATE TRIGGER tracker_search_project_delete AFTER DELETE ON tracker_project FOR EACH ROW BEGIN {deleted} END;",
        *(_trigger(name, *spec) for name, spec in TRIGGERS.items()),
    ]


def _drop_triggers():
    return [f"DROP TRIGGER IF EXISTS {name};" for name in ["tracker_search_project_delete", *TRIGGERS]]


def backward_sql():
    return [*_drop_triggers(), *(f"DROP TABLE IF EXISTS {table};" for table in TABLES)]


#: PostgreSQL: the transaction's setting under which the index's triggers leave their work
#: to one rebuild at the end of a bulk load (`deferred`).
DEFERRED = "tracker.search_deferred"


@contextlib.contextmanager
def deferred(using=DEFAULT_DB_ALIAS):
    """For a bulk load: the writes inside skip the triggers' work, and the index is rebuilt
    once on the way out, all in one transaction — each project's document is written once,
    not once per statement that touched it (SQLite: the triggers are dropped and recreated;
    PostgreSQL: they stand aside for this transaction only, other sessions keep theirs)."""
    conn = connections[using]
    if conn.vendor not in ("sqlite", "postgresql"):
        yield
        return
    with transaction.atomic(using=using):
        with conn.cursor() as cursor:
            if conn.vendor == "postgresql":
                cursor.execute("SELECT set_config(%s, 'on', true)", [DEFERRED])
            else:
                for statement in _drop_triggers():
                    cursor.execute(statement)
        yield
        with conn.cursor() as cursor:
            if conn.vendor == "postgresql":
                cursor.execute("SELECT set_config(%s, '', true)", [DEFERRED])
            else:
                for statement in trigger_sql():
                    cursor.execute(statement)
        rebuild(using)


@contextlib.contextmanager
def without_parallel_workers(queryset):
    """Around a search's count: on PostgreSQL, when `queryset` is a search, its queries
    run without parallel workers — they cost more to start than they save for a count
    (a word held by 5 % of 100,000 projects: 20–31 ms with two workers, 11 without; one
    held by 88 %: 60 and 68 ms). Not around the page's rows: without workers the planner
    reads every project to join a few thousand matches (68 ms instead of 20). Elsewhere
    nothing changes."""
    conn = connections[queryset.db]
    if conn.vendor != "postgresql" or "search_rank" not in queryset.query.annotations:
        yield
        return
    setting = "max_parallel_workers_per_gather"
    outer = conn.in_atomic_block  # then the setting would outlast this block: put it back
    with transaction.atomic(using=queryset.db), conn.cursor() as cursor:
        if outer:
            cursor.execute("SELECT current_setting(%s)", [setting])
            previous = cursor.fetchone()[0]
        cursor.execute("SELECT set_config(%s, '0', true)", [setting])
        yield
        if outer:  # (a block that failed is rolled back, the setting with it)
            cursor.execute("SELECT set_config(%s, %s, true)", [setting, previous])


#: The PostgreSQL index's refresh of every project (its function: tracker/models/search_pg.py).
POSTGRES_REBUILD = "SELECT tracker_search_refresh(ARRAY(SELECT id FROM tracker_project))"


def rebuild(using=None):
    """Rewrite every project's index rows (after a bulk load, or to repair an index)."""
    conn = connections[using or DEFAULT_DB_ALIAS]
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            for table in TABLES:  # the rows of projects deleted while the triggers stood aside
                cursor.execute(
                    f"DELETE FROM {table} WHERE NOT EXISTS (SELECT 1 FROM tracker_project p WHERE p.id = {table}.rowid)"
                )
            cursor.execute(POSTGRES_REBUILD)
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"DELETE FROM {table}")
        for statement in refresh_sql("SELECT id AS value FROM tracker_project")[1::2]:
            cursor.execute(statement)


class DocumentField(models.TextField):
    """The FTS5 table's hidden column of its own name, which `… MATCH` searches whole."""


#: PostgreSQL: the head of a document — its titles, reference, location (weight A) and
#: partners' names (B) — which has a GIN index of its own (migration 0032).
HEAD = "ts_filter({}, '{{a,b}}')"


@DocumentField.register_lookup
class Match(models.Lookup):
    """The document holds the query: `{lhs} MATCH {rhs}` on SQLite, `@@` on PostgreSQL."""

    lookup_name = "match"
    operators = {"sqlite": "{} MATCH {}", "postgresql": "{} @@ {}"}

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return self.operators[connection.vendor].format(lhs, rhs), [*lhs_params, *rhs_params]


@DocumentField.register_lookup
class HeadMatch(Match):
    """PostgreSQL: the document's head holds the query (SQLite filters its FTS columns)."""

    lookup_name = "head_match"
    operators = {"postgresql": HEAD + " @@ {}"}


class SearchRow(models.Model):
    """A row of the SQLite index, read only through a project's join."""

    project = models.OneToOneField(
        "tracker.Project", models.DO_NOTHING, primary_key=True, db_column="rowid", db_constraint=False, related_name="+"
    )
    rank = models.FloatField()

    class Meta:
        abstract = True


class SearchRowAll(SearchRow):
    """The editors' index: every cycle's evidence."""

    project = models.OneToOneField(
        "tracker.Project", models.DO_NOTHING, primary_key=True, db_column="rowid", db_constraint=False,
        related_name="search_all",
    )
    # The FTS5 table's hidden column of its own name: `… MATCH` on it searches every column.
    document = DocumentField(db_column=ALL)

    class Meta:
        managed = False
        db_table = ALL


class SearchRowPublic(SearchRow):
    """The public's index: the published cycles' evidence only."""

    project = models.OneToOneField(
        "tracker.Project", models.DO_NOTHING, primary_key=True, db_column="rowid", db_constraint=False,
        related_name="search_public",
    )
    document = DocumentField(db_column=PUBLIC)

    class Meta:
        managed = False
        db_table = PUBLIC


def lexemes(using, words):
    """The distinct lexemes, sorted, PostgreSQL reads `words` as (stop words give none)."""
    if not words:
        return []
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT unnest(tsvector_to_array(to_tsvector(%s::regconfig, %s)))", [CONFIG, " ".join(words)]
        )
        return sorted(row[0] for row in cursor.fetchall())


def _lexemes_of(using, words):
    """{word: its lexemes} for each of `words`, from one query."""
    if not words:
        return {}
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT w, unnest(tsvector_to_array(to_tsvector(%s::regconfig, w))) FROM unnest(%s::text[]) AS w",
            [CONFIG, list(words)],
        )
        found = {}
        for word, lexeme in cursor.fetchall():
            found.setdefault(word, set()).add(lexeme)
        return found


def _either(lexemes):
    """One query of the alternatives `lexemes`; None when there are none."""
    if not lexemes:
        return None
    return SearchQuery(" | ".join(f"'{lexeme}'" for lexeme in sorted(lexemes)), config="simple", search_type="raw")


#: PostgreSQL's configuration: Russian words by the Russian Snowball stemmer, Latin ones
#: by the English one — the same as tracker/models/words.py.
CONFIG = "russian"


def matching(queryset, text, up_to=None):
    """`queryset` narrowed to the projects whose words hold every word of `text` (after
    reading: tracker/models/words.py), with the alias `search_rank` (lower is more relevant). Evidence counts only
    as the reader sees it: `up_to` None or a range with drafts reads every cycle, else the
    published cycles only — drafts are never found by the public.

    Every word anywhere in the project's titles, location, partners' names and evidence
    summaries, on both databases; ranked with titles weighing most, then partners — by
    bm25 on SQLite, by ts_rank over the same weighted document on PostgreSQL
    (tracker/models/search_pg.py).

    Also the aliases `search_head` — whether the titles, reference, location or partners'
    names hold the words — and `search_entry`, for a search that finds more than BROAD
    projects (tracker/pages/search.py `BroadResults`)."""
    terms = words.query_keys(text)
    if not terms:
        return queryset.none().alias(search_rank=Value(0.0))
    from ratings.models import Cycle

    drafts = up_to is None or Cycle.objects.filter(number__lte=up_to, is_published=False).exists()
    relation = "search_all" if drafts else "search_public"
    if connections[queryset.db].vendor == "sqlite":
        expression = " AND ".join(
            "(" + " OR ".join('"' + " ".join(alternative) + '"' for alternative in term) + ")" for term in terms
        )
        queryset = queryset.filter(**{f"{relation}__document__match": expression})
        rows = SearchRowAll if relation == "search_all" else SearchRowPublic
        # (a second MATCH of the same FTS table cannot share its scan: a subquery of its own)
        in_head = Q(pk__in=rows.objects.filter(document__match=f"{{titles partners}} : ({expression})").values("pk"))
        return queryset.alias(search_rank=F(f"{relation}__rank"), search_head=_boolean(in_head), **_entry(relation))
    return _postgres(queryset, text, relation)


def _entry(relation):
    """The alias `search_entry`: the project's id as the index holds it (its rowid) — in
    that order SQLite's FTS table hands its matches over as it finds them, and a page
    stops at its last row instead of sorting every match by the project's id."""
    return {"search_entry": F(f"{relation}__pk")}


def _boolean(condition):
    return ExpressionWrapper(condition, output_field=BooleanField())


#: A search that finds more projects than this counts them up to here only and shows
#: those whose head holds the words first (tracker/pages/search.py `BroadResults`).
BROAD = 20_000


def _postgres(queryset, text, relation):
    query = None
    terms = words.query_terms(text)
    singles = [[alternative for alternative in term if re.fullmatch(r"[^\W_]+", alternative)] for term in terms]
    found = _lexemes_of(queryset.db, {word for single in singles for word in single})
    for term, single in zip(terms, singles):
        either = _either(set().union(*(found.get(word, set()) for word in single)))
        for alternative in term if either is None else [a for a in term if a not in single]:
            one = SearchQuery(alternative, config=CONFIG, search_type="plain" if alternative in single else "phrase")
            either = one if either is None else either | one
        query = either if query is None else query & either
    queryset = queryset.filter(**{f"{relation}__document__match": query})
    # ts_rank weighs a word in the titles (A) 1.0, in a partner's name (B) 0.4, in evidence (C) 0.2.
    return queryset.alias(
        search_rank=SearchRank(F(f"{relation}__document"), query) * Value(-1.0),
        search_head=_boolean(Q(**{f"{relation}__document__head_match": query})),
        **_entry(relation),
    )
