"""The prefilled add forms a news item's decision opens (from_news.py records the
decision when they are saved): their addresses, built from what the tracker proposes."""

import re
from urllib.parse import urlencode

from django.urls import reverse

from tracker.models import NewsItem, Project, Source
from tracker.ops.releases import open_cycle

from .from_news import NEWS

_SENTENCE = re.compile(r"(?<=[.!?…])\s+")
SUMMARY_CHARS = 600
TITLE_CHARS = 200


def _first(text, limit):
    """The first sentences of `text`, up to `limit` characters."""
    out = ""
    for sentence in _SENTENCE.split(text.strip()):
        if out and len(out) + len(sentence) + 1 > limit:
            break
        out = f"{out} {sentence}".strip()
    return out[:limit]


def _summary_field(item):
    return "summary" if item.language == NewsItem.Language.ENGLISH else "summary_ru"


def evidence_url(item, proposal, candidate):
    cycle = open_cycle()
    params = {NEWS: item.pk, "project": candidate.project.pk, _summary_field(item): _first(proposal.text, SUMMARY_CHARS)}
    if cycle is not None:
        params["cycle"] = cycle.pk
    if proposal.kind:
        params["kind"] = proposal.kind
    date = proposal.date
    if date is not None:
        params.update(occurred_on=date.date.isoformat(), precision=date.precision)
    elif item.occurred_on:
        params.update(occurred_on=item.occurred_on.isoformat(), precision="day")
    if item.url:
        source = Source.objects.filter(url=item.url).values_list("pk", flat=True).first()
        if source:
            params["source"] = source
    return f"{reverse('admin:tracker_evidence_add')}?{urlencode(params)}"


def next_reference(region):
    """A free reference for a new project of `region`: AMU-024 after AMU-023."""
    prefix = region.iso_code.split("-")[-1][:6]
    numbers = [int(r.split("-")[1]) for r in Project.objects.filter(reference__startswith=f"{prefix}-").values_list("reference", flat=True) if r.split("-")[1].isdigit()]
    return f"{prefix}-{(max(numbers, default=0) + 1):03d}"


def project_url(item, proposal):
    params = [(NEWS, item.pk)]
    title = _first(proposal.text, TITLE_CHARS)
    params.append(("title_en" if item.language == NewsItem.Language.ENGLISH else "title_ru", title))
    if proposal.regions:
        region = proposal.regions[0].region
        params += [("region", region.pk), ("reference", next_reference(region))]
    cycle = open_cycle()
    if cycle is not None:
        params.append(("first_cycle", cycle.pk))
    params += [("partner", found.organization.pk) for found in proposal.organizations[:10]]
    return f"{reverse('admin:tracker_project_add')}?{urlencode(params)}"
