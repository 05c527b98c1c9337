"""The candidate pool: the projects whose words share most with a news item's, fetched
through the database's full-text index of one document per project — SQLite's FTS5 table
of lemmas and stems (tracker/models/search.py), PostgreSQL's weighted `tsvector` table
(tracker/models/search_pg.py) — so that a search over 100,000 projects reads only the
projects that share a word. On both, the words most projects hold are left out of the
pool query: SQLite counts them in its vocabulary table, PostgreSQL in the most common
elements ANALYZE records for the documents."""

from django.db import connections

from tracker.models.search import ALL, lexemes

#: Projects fetched by words, overall and again within the regions the text names.
POOL = 40
#: A word held by more than this share of the projects is left out of the pool query (it
#: still counts in the ranking), unless the item has no rarer word.
COMMON_SHARE = 0.02
VOCABULARY = "tracker_search_vocab"


def _rare(using, keys):
    """The keys without the commonest ones, by the index's own counts of projects."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT max(rowid) FROM {ALL}")
        size = cursor.fetchone()[0] or 0
        cursor.execute(f"SELECT term, doc FROM {VOCABULARY} WHERE term IN ({', '.join(['%s'] * len(keys))})", keys)
        counts = dict(cursor.fetchall())
    limit = max(200, COMMON_SHARE * size)
    rare = [key for key in keys if counts.get(key, 0) <= limit]
    return rare or sorted(keys, key=lambda key: counts.get(key, 0))[:3]


def _fetch(using, match, params, rank, before, regions):
    """The best POOL project ids whose index row satisfies `match` (SQL over the index `s`,
    with `params`), ordered by `rank`; only projects first reported before `before` and in
    `regions` when given."""
    where, params = [match], list(params)
    if before is not None:
        where.append("p.first_number < %s")
        params.append(before)
    if regions:
        where.append(f"p.region_id IN ({', '.join(['%s'] * len(regions))})")
        params += list(regions)
    sql = (
        f"SELECT p.id FROM {ALL} s JOIN tracker_project p ON p.id = s.rowid WHERE {' AND '.join(where)}"
        f" ORDER BY {rank[0]}, p.id LIMIT {POOL}"
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [*params, *rank[1]])
        return [row[0] for row in cursor.fetchall()]


def _sqlite(using, keys, before, regions, columns=""):
    expression = " OR ".join(f'"{key}"' for key in keys)
    if columns:
        expression = f"{columns} : ({expression})"
    return _fetch(using, f"{ALL} MATCH %s", [expression], ("s.rank", []), before, regions)


def _lexemes(using, words):
    """The distinct lexemes PostgreSQL reads `words` as, without the commonest ones (by
    ANALYZE's most common elements of the index's documents), unless none would be left."""
    found = lexemes(using, words)
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats"
            " WHERE tablename = %s AND attname = %s",
            [ALL, ALL],
        )
        row = cursor.fetchone()
    shares = dict(zip(row[0], row[1])) if row and row[0] else {}
    rare = [lexeme for lexeme in found if shares.get(lexeme, 0) <= COMMON_SHARE]
    return rare or sorted(found, key=lambda lexeme: shares.get(lexeme, 0))[:3]


def _postgres(using, found, before, regions, weights=""):
    query = " | ".join(f"'{lexeme}'{weights}" for lexeme in found)
    rank = (f"ts_rank(s.{ALL}, to_tsquery('simple', %s)) DESC", [query])
    return _fetch(using, f"s.{ALL} @@ to_tsquery('simple', %s)", [query], rank, before, regions)


def pool(keys, words, *, before=None, regions=(), using="default"):
    """Ids of the projects sharing words with the item: the best POOL overall and the best
    POOL within `regions`. With `before` (a cycle number), only projects first reported
    before it; the replay also asks the titles and partners alone (SQLite's columns,
    PostgreSQL's weights A and B), whose words no later cycle changed, so that later
    evidence cannot push a project out."""
    if not keys:
        return []
    if connections[using].vendor == "sqlite":
        keys = _rare(using, keys)
        ids = _sqlite(using, keys, before, ())
        if regions:
            ids += _sqlite(using, keys, before, regions)
        if before is not None:
            ids += _sqlite(using, keys, before, regions, columns="{titles partners}")
    else:
        lexemes = _lexemes(using, words)
        if not lexemes:
            return []
        ids = _postgres(using, lexemes, before, ())
        if regions:
            ids += _postgres(using, lexemes, before, regions)
        if before is not None:
            ids += _postgres(using, lexemes, before, regions, weights=":AB")
    return list(dict.fromkeys(ids))
