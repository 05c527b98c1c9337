"""What the tracker proposes for a news item: its regions, the organisations it names
(known and new-looking), the candidate projects, the evidence kind and the date."""

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe

from tracker.models import NewsItem
from tracker.status.letters import STATUSES, letter_at

from . import candidates, kinds, organisations, regions, text
from .amounts import find_amounts
from .dates import find_date
from .phrases import tokenize


@dataclass
class Proposal:
    text: str
    language: str
    regions: list = field(default_factory=list)  # regions.FoundRegion, most named first
    organizations: list = field(default_factory=list)  # organisations.FoundOrganization
    new_names: list = field(default_factory=list)
    candidates: list = field(default_factory=list)  # candidates.Candidate, best first
    kind: str = None
    kind_phrase: str = ""
    kind_reason: str = ""  # why, when the record rather than a phrase decided the kind
    date: object = None  # dates.FoundDate
    spans: list = field(default_factory=list)  # (start, end, what) of the words found
    regions_inferred: bool = False

    @property
    def region_codes(self):
        return [found.region.iso_code for found in self.regions]

    @property
    def likely(self):
        return [c for c in self.candidates if c.likely]

    def highlighted(self):
        """The text, escaped, with each detected phrase in <mark class="news-WHAT">."""
        out, last = [], 0
        for start, end, what in sorted(self.spans):
            if start < last:
                continue
            out += [escape(self.text[last:start]), f'<mark class="news-{what}">{escape(self.text[start:end])}</mark>']
            last = end
        out.append(escape(self.text[last:]))
        return mark_safe("".join(out))


class Matcher:
    """Reads items against the record; built once for a batch (it holds the regions' and
    organisations' names). `before` is a cycle number: the record as it stood before it."""

    def __init__(self, before=None):
        self.before = before
        self.regions = regions.finder()
        self.organisations = organisations.finder()

    def status(self, project):
        """The project's status as the record stood: at the end of the cycle before
        `before`, or now."""
        if self.before is None:
            return project.status
        return STATUSES.get(letter_at(project.status_path, self.before - 1))

    def propose(self, raw_text):
        plain = text.clean(raw_text)
        proposal = Proposal(plain, text.language(plain))
        tokens = tokenize(plain)
        proposal.regions = self.regions.find(tokens, plain)
        proposal.organizations = self.organisations.find(tokens, plain)
        region_spans = [s for f in proposal.regions for s in f.spans]
        org_spans = [s for f in proposal.organizations for s in f.spans]
        proposal.new_names = self.organisations.unknown_names(plain, org_spans, region_spans)
        proposal.date = find_date(plain)
        proposal.candidates = candidates.rank(
            tokens,
            regions={f.region.pk for f in proposal.regions},
            organizations={f.organization.pk for f in proposal.organizations},
            amounts=find_amounts(plain),
            before=self.before,
        )
        if not proposal.regions and proposal.likely:
            best = proposal.likely[0].project.region
            proposal.regions = [regions.FoundRegion(best)]
            proposal.regions_inferred = True
        status = self.status(proposal.likely[0].project) if proposal.likely else None
        readable = proposal.language != NewsItem.Language.OTHER
        proposal.kind, proposal.kind_phrase, kind_span, proposal.kind_reason = kinds.decide(tokens, plain, status, readable)
        proposal.spans = [(*s, "region") for s in region_spans] + [(*s, "organization") for s in org_spans]
        if kind_span:
            proposal.spans.append((*kind_span, "kind"))
        if proposal.date:
            proposal.spans.append((*proposal.date.span, "date"))
        return proposal
