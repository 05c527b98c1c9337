"""The candidate projects of a news item, ranked, each with why."""

from tracker.news.proposals import Matcher


def test_the_bridge_ranks_first_with_the_words_partner_and_region_that_matched(record):
    proposal = Matcher().propose("Правительство города Хэйхэ и власти Амурской области обсудили мост Благовещенск – Хэйхэ.")
    best = proposal.candidates[0]
    assert best.project.reference == "AMU-901"
    assert best.likely and best.region
    assert best.partners == [record["heihe"].display_name]
    assert {"мост", "Благовещенск"} <= set(best.words)


def test_english_text_finds_the_same_project(record):
    proposal = Matcher().propose("The Blagoveshchensk–Heihe road bridge over the Amur carried record traffic.")
    assert proposal.candidates[0].project.reference == "AMU-901"


def test_partner_and_amount_lift_the_lng_plant(record):
    proposal = Matcher().propose("«Газпром гелий сервис» вложит 25 млрд рублей в завод СПГ в Амурской области.")
    best = proposal.candidates[0]
    assert best.project.reference == "AMU-004"
    assert best.amount and best.partners


def test_a_region_named_pushes_other_regions_projects_down(record):
    proposal = Matcher().propose("В Татарстане расширят сборку автомобилей Haval.")
    assert proposal.candidates[0].project.reference == "TA-002"
    assert all(not c.likely for c in proposal.candidates[1:])


def test_replayed_before_a_cycle_the_later_project_and_evidence_are_not_there(record):
    text = "Канатная дорога через Амур достроена."
    assert "AMU-030" in [c.project.reference for c in Matcher().propose(text).candidates]
    replay = Matcher(before=3).propose(text)
    assert "AMU-030" not in [c.project.reference for c in replay.candidates]


def test_something_new_gets_no_likely_candidate(record):
    proposal = Matcher().propose("В Якутии китайская компания построит тепличный комплекс.")
    assert proposal.likely == []


def test_an_empty_text_has_no_candidates(record):
    proposal = Matcher().propose("   ")
    assert proposal.candidates == [] and proposal.regions == []
