"""The match_news command: a table or JSON lines, replayed before a cycle."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

ITEMS = (
    "id,date,text\n"
    "bridge,2026-01-10,Мост Благовещенск – Хэйхэ через Амур принял рекордный поток машин.\n"
    "cable,,Канатная дорога через Амур достроена.\n"
    "empty,,\n"
)


def run(tmp_path, *args, content=ITEMS, name="items.csv"):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("match_news", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_lines_give_id_regions_kind_and_scored_candidates(record, tmp_path):
    out, err = run(tmp_path, "--format", "json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["id"] for line in lines] == ["bridge", "cable"]
    assert set(lines[0]) == {"id", "regions", "kind", "candidates"}
    assert lines[0]["regions"] == ["RU-AMU"]
    assert lines[0]["candidates"][0]["reference"] == "AMU-901"
    assert 0 < lines[0]["candidates"][0]["score"] <= 1 and len(lines[0]["candidates"]) <= 5
    assert "row 4, column “text”" in err


def test_the_table_has_one_line_per_item(record, tmp_path):
    out, _err = run(tmp_path)
    first = out.splitlines()[0].split("\t")
    assert first[:2] == ["bridge", "RU-AMU"] and first[3].startswith("AMU-901:")


def test_before_cycle_replays_the_record_without_later_projects(record, tmp_path):
    now = {json.loads(line)["id"]: json.loads(line) for line in run(tmp_path, "--format", "json")[0].splitlines()}
    replay = {json.loads(line)["id"]: json.loads(line) for line in run(tmp_path, "--format", "json", "--before-cycle", "III")[0].splitlines()}
    assert now["cable"]["candidates"][0]["reference"] == "AMU-030"
    assert "AMU-030" not in [c["reference"] for c in replay["cable"]["candidates"]]


def test_a_file_without_a_text_column_is_refused_clearly(record, tmp_path):
    with pytest.raises(CommandError, match="has no column “text”"):
        run(tmp_path, content="id,body\n1,Мост\n")


def test_an_unknown_cycle_is_refused(record, tmp_path):
    with pytest.raises(CommandError, match="No cycle"):
        run(tmp_path, "--before-cycle", "XX")
