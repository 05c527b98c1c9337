"""What a cycle's edition says, read from the record (README "The edition"): the title
block, the summary, the rating by tier — one row per region, «Region N (M)», its earlier
events and this period's events, where italic lines follow up earlier news — and the
places without a rating. Every line comes from one evidence row (with its source) or, for
an earlier project the cycle brought no news of, from the project itself.

A handful of queries whatever the size of the record; rows are read as tuples, not model
instances, so an edition of 100,000 projects stays within memory."""

from collections import defaultdict, deque
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ratings.models import Cycle, Rating, Region
from tracker.models import Evidence
from tracker.models.common import format_date
from tracker.models.evidence import InEdition
from tracker.status.unresolved import status_projects

K = Evidence.Kind
#: The kinds that follow earlier news up: in italics when the project is earlier news.
FOLLOW_UPS = {K.FOLLOW_UP, K.SETBACK, K.CONTRADICTION}
#: This period's column: results before efforts, then the rest.
KIND_ORDER = {K.RESULT: 0, K.EFFORT: 1, K.FOLLOW_UP: 2, K.SETBACK: 3, K.CONTRADICTION: 4}
#: Of a recalled project's earlier evidence, the edition names at most this many lines.
EARLIER_PER_PROJECT = 2


@dataclass(slots=True)
class Line:
    """One sentence of a row, and where it comes from."""

    text: str
    italic: bool = False
    source: str = ""
    url: str = ""
    note: int = 0  # its footnote's number, when the document cites sources


@dataclass
class Row:
    region: str
    score: int | None = None
    previous: int | None = None
    commentary: str = ""
    earlier: list = field(default_factory=list)
    current: list = field(default_factory=list)

    @property
    def heading(self):
        """«Амурская область 9 (9)»: this edition's score, the previous one in brackets."""
        if self.score is None:
            return self.region
        return f"{self.region} {self.score} ({self.previous if self.previous is not None else '–'})"


@dataclass
class Edition:
    language: str
    title: str
    period: str
    status: str
    is_draft: bool
    summary: list
    tiers: list  # [(heading, [Row, …])]
    unrated: list  # [Row, …]

    def lines(self):
        for _heading, rows in self.tiers:
            for row in rows:
                yield from row.earlier
                yield from row.current
        for row in self.unrated:
            yield from row.earlier
            yield from row.current


def tables(edition):
    """The document's tables in order: each tier's rows, then the places without a rating."""
    return [rows for _heading, rows in edition.tiers] + ([edition.unrated] if edition.unrated else [])


def number_sources(edition):
    """Number every sourced line in document order (`line.note`) and return the notes'
    (source, url) in that order: what each format cites as its footnotes."""
    notes = []
    for rows in tables(edition):
        for row in rows:
            for line in (*row.earlier, *row.current):
                if line.source:
                    notes.append((line.source, line.url))
                    line.note = len(notes)
    return notes


def sentence(text):
    """A summary as one sentence of the table: trimmed, closed by a full stop."""
    text = " ".join((text or "").split())
    return text if not text or text[-1] in ".!?…»\"" else f"{text}."


def build(cycle, language="ru", progress=None):
    """The edition of `cycle` in `language` ("ru" or "en")."""
    with translation.override(language):
        return _Builder(cycle, language, progress).edition()


class _Builder:
    def __init__(self, cycle, language, progress):
        self.cycle, self.language, self.progress = cycle, language, progress or (lambda step: None)
        self.english = language == "en"
        self.previous = cycle.previous()
        self._sources = {}

    # -- texts in the edition's language ------------------------------------------------

    def pick(self, russian, english):
        first, second = (english, russian) if self.english else (russian, english)
        return first or second or ""

    def source_of(self, title, title_en, locator):
        """One shared string per source and locator (thousands of lines cite each)."""
        key = (title or title_en or "", locator)
        if key not in self._sources:
            self._sources[key] = f"{key[0]}, {locator}" if locator else key[0]
        return self._sources[key]

    # -- the record ---------------------------------------------------------------------

    def edition(self):
        cycle = self.cycle
        regions = {r[0]: r for r in Region.objects.values_list("pk", "name_ru", "name_en", "iso_code")}
        scores = dict(Rating.objects.filter(cycle=cycle).values_list("region_id", "score"))
        commentary = {
            region: self.pick(ru, en)
            for region, ru, en in Rating.objects.filter(cycle=cycle).values_list("region_id", "commentary_ru", "commentary_en")
        }
        previous = dict(Rating.objects.filter(cycle=self.previous).values_list("region_id", "score")) if self.previous else {}
        self.progress("ratings")
        unfinished = set(status_projects().unfinished_at_start_of(cycle).values_list("pk", flat=True))
        self.progress("unfinished")
        projects = {}  # pk → (region_id, title, first cycle number, amount)
        current = defaultdict(list)  # region → [(order key, Line)]
        followed = set()  # earlier projects that have a line in this period
        efforts = defaultdict(list)
        rows = (
            Evidence.objects.filter(cycle=cycle)
            .values_list(
                "project_id", "project__region_id", "project__title_ru", "project__title_en", "project__first_cycle__number",
                "project__amount", "kind", "occurred_on", "precision", "summary_ru", "summary", "in_edition",
                "source__title", "source__url", "locator",
            )
            .order_by("occurred_on", "pk")
        )
        for (project, region, title_ru, title_en, first, amount, kind, day, precision, summary_ru, summary, chosen,
             source, url, locator) in rows.iterator(chunk_size=5000):
            earlier_news = first < cycle.number
            projects[project] = (region, self.pick(title_ru, title_en), first, amount)
            if chosen == InEdition.NO:
                continue
            line = Line(sentence(self.pick(summary_ru, summary)), italic=earlier_news and kind in FOLLOW_UPS,
                        source=self.source_of(source, "", locator), url=url or "")
            if earlier_news:
                followed.add(project)
            item = ((1 if line.italic else 0, KIND_ORDER[kind], day or cycle.period_end, project), line)
            # An earlier announcement's own news is its line: the limit on efforts never drops it.
            if kind == K.EFFORT and chosen == InEdition.RULE and project not in unfinished:
                efforts[region].append((amount or 0, item))
            else:
                current[region].append(item)
        self._keep_efforts(efforts, current)
        self.progress("evidence")
        silent = unfinished - set(projects)
        earlier, last_year = self._earlier(followed | silent, projects)
        self.progress("earlier evidence")
        # No list of ids in SQL (PostgreSQL takes at most 65,535 parameters): the silent ones
        # are asked for as such.
        silent_rows = status_projects().unfinished_at_start_of(cycle).filter(
            ~Exists(Evidence.objects.filter(project=OuterRef("pk"), cycle=cycle))
        )
        for pk, region, title_ru, title_en, first, amount, announced in silent_rows.values_list(
            "pk", "region_id", "title_ru", "title_en", "first_cycle__number", "amount", "announced_on"
        ).iterator(chunk_size=5000):
            year = last_year.get(pk) or (announced.year if announced else None)
            current[region].append(((1, 9, cycle.period_end, pk), self._silence_line(self.pick(title_ru, title_en), year, first)))
        self.progress("silent projects")
        return self._assemble(regions, scores, previous, commentary, current, earlier)

    def _keep_efforts(self, efforts, current):
        """By the rule, a region's efforts beyond TRACKER_EDITION_MAX_EFFORTS are left out:
        those of the largest projects (by amount), then the earliest, are kept. Efforts on
        projects unfinished at the start of the cycle are not counted: each is the line
        that follows its project up."""
        limit = settings.TRACKER_EDITION_MAX_EFFORTS
        for region, items in efforts.items():
            kept = sorted(items, key=lambda pair: -pair[0])[:limit] if len(items) > limit else items
            current[region].extend(item for _amount, item in kept)

    def _earlier(self, recalled, projects):
        """The earlier events of the projects this period recalls (results first, at most
        EARLIER_PER_PROJECT each), and the year of each one's latest dated evidence. Rows
        come project by project and only the lines kept are held, so memory stays bounded."""
        earlier, last_year = defaultdict(list), {}
        rows = (
            Evidence.objects.filter(cycle__number__lt=self.cycle.number, project__first_cycle__number__lt=self.cycle.number)
            .exclude(in_edition=InEdition.NO)
            .values_list("project_id", "project__region_id", "kind", "occurred_on", "summary_ru", "summary",
                         "source__title", "source__url", "locator")
            .order_by("project_id", "occurred_on", "pk")
        )
        current, results, others = None, deque(maxlen=EARLIER_PER_PROJECT), deque(maxlen=EARLIER_PER_PROJECT)

        def flush():
            # Results first (the latest ones), then the latest of the rest.
            kept = [(0, row) for row in reversed(results)] + [(1, row) for row in reversed(others)]
            for rank, row in kept[:EARLIER_PER_PROJECT]:
                earlier[row[1]].append(((rank, row[3] or self.cycle.period_start, current), self._line(row)))

        for row in rows.iterator(chunk_size=5000):
            project = row[0]
            if project not in recalled:
                continue
            if project != current:
                if current is not None:
                    flush()
                current = project
                results.clear()
                others.clear()
            if row[3]:
                last_year[project] = row[3].year
            (results if row[2] == K.RESULT else others).append(row)
        if current is not None:
            flush()
        return earlier, last_year

    def _line(self, row):
        _project, _region, _kind, _day, summary_ru, summary, source, url, locator = row
        return Line(sentence(self.pick(summary_ru, summary)), source=self.source_of(source, "", locator), url=url or "")

    def _silence_line(self, title, year, first_cycle):
        if year:
            text = _("No news of “%(title)s” has come since %(year)s.") % {"title": title, "year": year}
        else:
            numeral = Cycle(number=first_cycle).numeral
            text = _("No news of “%(title)s” has come since rating %(numeral)s.") % {"title": title, "numeral": numeral}
        return Line(text, italic=True, source=_("the record: no evidence in this cycle"))

    # -- the document's parts -----------------------------------------------------------

    def _assemble(self, regions, scores, previous, commentary, current, earlier):
        rated, unrated = [], []
        for pk, name_ru, name_en, iso in regions.values():
            row = Row(self.pick(name_ru, name_en), scores.get(pk), previous.get(pk), commentary.get(pk, ""),
                      _distinct(line for _key, line in sorted(earlier.get(pk, []), key=_order)),
                      _distinct(line for _key, line in sorted(current.get(pk, []), key=_order)))
            if pk in scores:
                rated.append(row)
            elif row.current or row.earlier:
                unrated.append(row)
        rated.sort(key=lambda row: (-row.score, row.region))
        unrated.sort(key=lambda row: row.region)
        tiers = []
        for tier, heading in self._tier_headings():
            rows = [row for row in rated if _tier_of(row.score) == tier]
            if rows:
                tiers.append((heading, rows))
        return Edition(
            language=self.language, title=str(self.cycle.title_text) or _("Rating %(numeral)s") % {"numeral": self.cycle.numeral},
            period=self._period(), status=self._status(), is_draft=not self.cycle.is_published,
            summary=self._summary(rated), tiers=tiers, unrated=unrated,
        )

    def _tier_headings(self):
        return [
            (Rating.Tier.HIGH, _("HIGH PRODUCTIVITY")),
            (Rating.Tier.MODERATE, _("MODERATE PRODUCTIVITY")),
            (Rating.Tier.LOW, _("LOW PRODUCTIVITY")),
        ]

    def _period(self):
        start, end = self.cycle.period_start, self.cycle.period_end
        if start and end:
            return _("Period: %(start)s – %(end)s") % {"start": format_date(start, "month"), "end": format_date(end, "month")}
        if end:
            return _("Period: up to %(end)s") % {"end": format_date(end, "month")}
        return ""

    def _status(self):
        if self.cycle.is_published and self.cycle.published_on:
            return _("Published on %(date)s") % {"date": date_format(self.cycle.published_on, "j E Y")}
        return _("DRAFT — not for citation")

    def _summary(self, rated):
        lines = []
        for tier, heading in self._tier_headings():
            count = sum(1 for row in rated if _tier_of(row.score) == tier)
            lines.append(ngettext("%(tier)s: %(count)s region", "%(tier)s: %(count)s regions", count)
                         % {"tier": heading.capitalize(), "count": count})
        compared = [row for row in rated if row.previous is not None]
        rose = sorted((row for row in compared if row.score > row.previous), key=lambda r: (r.previous - r.score, r.region))
        fell = sorted((row for row in compared if row.score < row.previous), key=lambda r: (r.score - r.previous, r.region))
        stayed = len(compared) - len(rose) - len(fell)
        for rows, direction in ((rose, "rose"), (fell, "fell")):
            text = _moved(direction, len(rows))
            if rows:
                largest = abs(rows[0].score - rows[0].previous)
                named = ", ".join(f"{row.region} ({row.previous} → {row.score})" for row in rows
                                  if abs(row.score - row.previous) == largest)
                text += " " + _("Largest: %(regions)s.") % {"regions": named}
            lines.append(text)
        lines.append(ngettext("The score of %(count)s region stayed the same.",
                              "The scores of %(count)s regions stayed the same.", stayed) % {"count": stayed})
        new = len(rated) - len(compared)
        if new:
            lines.append(ngettext("%(count)s region is rated for the first time.",
                                  "%(count)s regions are rated for the first time.", new) % {"count": new})
        return lines


def _moved(direction, n):
    if direction == "rose":
        return ngettext("The score of %(count)s region rose.", "The scores of %(count)s regions rose.", n) % {"count": n}
    return ngettext("The score of %(count)s region fell.", "The scores of %(count)s regions fell.", n) % {"count": n}


def _distinct(lines):
    """Each sentence once per column: evidence about several projects at once (one news
    item naming three plants) is recorded per project but said once."""
    seen, kept = set(), []
    for line in lines:
        if (line.text, line.italic) not in seen:
            seen.add((line.text, line.italic))
            kept.append(line)
    return kept


def _order(pair):
    key = pair[0]
    return tuple((0, value) if value is not None else (1, 0) for value in key)


def _tier_of(score):
    if score >= Rating.HIGH_FROM:
        return Rating.Tier.HIGH
    if score >= Rating.MODERATE_FROM:
        return Rating.Tier.MODERATE
    return Rating.Tier.LOW
