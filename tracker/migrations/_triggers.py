"""Named invariant "status_change_effective_in_cycle": an effective date lies inside its
cycle's period when both are known. It spans two tables, so a trigger holds it."""


SQLITE_CHECK = """
SELECT RAISE(ABORT, 'status_change_effective_in_cycle')
FROM ratings_cycle c
WHERE c.id = NEW.cycle_id AND NEW.effective_on IS NOT NULL AND (
    (c.period_start IS NOT NULL AND NEW.effective_on < c.period_start)
    OR (c.period_end IS NOT NULL AND NEW.effective_on > c.period_end));
"""

SQLITE_FORWARD = [
    f"CREATE TRIGGER status_change_effective_in_cycle_insert BEFORE INSERT ON tracker_statuschange "
    f"BEGIN {SQLITE_CHECK} END;",
    f"CREATE TRIGGER status_change_effective_in_cycle_update BEFORE UPDATE ON tracker_statuschange "
    f"BEGIN {SQLITE_CHECK} END;",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS status_change_effective_in_cycle_insert;",
    "DROP TRIGGER IF EXISTS status_change_effective_in_cycle_update;",
]

POSTGRES_FORWARD = [
    """
CREATE OR REPLACE FUNCTION status_change_effective_in_cycle() RETURNS trigger AS $$
BEGIN
    IF NEW.effective_on IS NOT NULL AND EXISTS (
        SELECT 1 FROM ratings_cycle c WHERE c.id = NEW.cycle_id AND (
            (c.period_start IS NOT NULL AND NEW.effective_on < c.period_start)
            OR (c.period_end IS NOT NULL AND NEW.effective_on > c.period_end))
    ) THEN
        RAISE EXCEPTION 'status_change_effective_in_cycle' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
""",
    """
CREATE TRIGGER status_change_effective_in_cycle
BEFORE INSERT OR UPDATE ON tracker_statuschange
FOR EACH ROW EXECUTE FUNCTION status_change_effective_in_cycle();
""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS status_change_effective_in_cycle ON tracker_statuschange;",
    "DROP FUNCTION IF EXISTS status_change_effective_in_cycle() CASCADE;",
]




def _run(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def create(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD})


def drop(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD})


def recreate(apps, schema_editor):
    drop(apps, schema_editor)
    create(apps, schema_editor)
