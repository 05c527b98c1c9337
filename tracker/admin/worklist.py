"""The editors' follow-up review of the open cycle: every earlier unfinished project not
yet reviewed in it, worked one at a time (evidence and status in one form) or in bulk
("no news this cycle")."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from django.utils.translation import gettext as _

from audit.context import acting

from tracker.models import DatePrecision, Evidence, Project, Source, StatusChange
from tracker.models.common import check_precision
from tracker.ops.releases import open_cycle
from tracker.status import history
from tracker.status.unresolved import status_projects

#: The source of the editors' own "no news" findings: its title reads in both languages.
EDITORIAL_SOURCE = "Редакционная проверка / Editorial review"
NO_NEWS_EVIDENCE = gettext_noop("No news of the project in cycle %(cycle)s.")
NO_NEWS_NOTE = gettext_noop("Inferred: no news in cycle %(cycle)s.")




def reviewed_in(cycle):
    """Whether a project already has evidence or a status change of `cycle`."""
    evidence = Evidence.objects.filter(project=OuterRef("pk"), cycle=cycle)
    change = StatusChange.objects.filter(project=OuterRef("pk"), cycle=cycle, is_initial=False)
    return Exists(evidence) | Exists(change)


def to_review(cycle):
    """Earlier projects unfinished at the start of `cycle`, each annotated `reviewed`."""
    return status_projects().unfinished_at_start_of(cycle).annotate(reviewed=reviewed_in(cycle))


def worklist(cycle):
    """Earlier projects unfinished at the start of `cycle` that `cycle` has neither
    evidence nor a status change for yet; oldest and largest first."""
    qs = to_review(cycle).filter(reviewed=False).with_follow_up(cycle).select_related("region")
    return qs.order_by(*WORKLIST_ORDER)


#: The worklist's order: oldest first, then the largest amounts, then by reference.
WORKLIST_ORDER = ["-age", F("amount").desc(nulls_last=True), "reference"]


def editorial_source():
    source, _created = Source.objects.get_or_create(
        title=EDITORIAL_SOURCE,
        defaults={"kind": Source.Kind.OTHER, "note": "The editors' own review of a cycle: no news found.", "language": Source.Language.RUSSIAN},
    )
    return source


class ReviewForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status from now on"), choices=Project.Status.choices, widget=forms.RadioSelect)
    kind = forms.ChoiceField(label=gettext_lazy("Evidence kind"), choices=Evidence.Kind.choices, initial=Evidence.Kind.FOLLOW_UP, widget=forms.RadioSelect)
    summary_ru = forms.CharField(label=gettext_lazy("What was found (Russian)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    summary = forms.CharField(label=gettext_lazy("What was found (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.ModelChoiceField(label=gettext_lazy("Source"), queryset=Source.objects.order_by("title"))
    locator = forms.CharField(label=gettext_lazy("Where in the source"), required=False)
    occurred_on = forms.DateField(label=gettext_lazy("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    precision = forms.ChoiceField(label=gettext_lazy("Date precision"), choices=[("", "—"), *DatePrecision.choices], required=False)
    effective_on = forms.DateField(label=gettext_lazy("Effective date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    basis = forms.ChoiceField(label=gettext_lazy("How we know"), choices=StatusChange.Basis.choices, initial=StatusChange.Basis.STATED, required=False)
    public_note_ru = forms.CharField(label=gettext_lazy("Public note (Russian)"), required=False)
    public_note_en = forms.CharField(label=gettext_lazy("Public note (English)"), required=False)
    note = forms.CharField(label=gettext_lazy("Editors' note"), required=False)

    def clean(self):
        cleaned = super().clean()
        for field, message in check_precision(cleaned.get("occurred_on"), cleaned.get("precision"), "precision").items():
            self.add_error(field, message)
        if not cleaned.get("summary_ru") and not cleaned.get("summary"):
            self.add_error("summary_ru", _("Give the summary in Russian, in English or both."))
        return cleaned


@transaction.atomic
def record_review(project, cycle, data, user):
    """Evidence and the status verdict, saved together or not at all."""
    evidence = Evidence(
        project=project,
        cycle=cycle,
        kind=data["kind"],
        summary=data["summary"],
        summary_ru=data["summary_ru"],
        source=data["source"],
        locator=data.get("locator", ""),
        occurred_on=data.get("occurred_on"),
        precision=data.get("precision", ""),
        recorded_by=user,
    )
    evidence.full_clean()
    evidence.save()
    history.append_status_change(
        project, data["status"], cycle, effective_on=data.get("effective_on"), evidence=evidence,
        basis=data.get("basis") or None, note=data.get("note", ""), public_note_ru=data.get("public_note_ru", ""),
        public_note_en=data.get("public_note_en", ""), by=user,
    )
    return evidence


@transaction.atomic
def mark_no_news(projects, cycle, user):
    """For each project: follow-up evidence "no news this cycle" and its suggested status,
    *inferred* from that silence (docs/domain.md "Basis"), written in both languages."""
    source = editorial_source()
    numeral = cycle.numeral
    for project in projects:
        evidence = Evidence.objects.create(
            project=project, cycle=cycle, kind=Evidence.Kind.FOLLOW_UP, source=source,
            summary=bilingual_text("en", NO_NEWS_EVIDENCE, cycle=numeral),
            summary_ru=bilingual_text("ru", NO_NEWS_EVIDENCE, cycle=numeral),
            recorded_by=user,
        )
        history.append_status_change(
            project, project.suggested_status, cycle, evidence=evidence, basis=StatusChange.Basis.INFERRED,
            public_note_en=bilingual_text("en", NO_NEWS_NOTE, cycle=numeral),
            public_note_ru=bilingual_text("ru", NO_NEWS_NOTE, cycle=numeral),
            by=user,
        )


def bilingual_text(language, message, **values):
    """`message` translated into `language` (texts the tracker writes into the record exist
    in both languages, whoever clicked)."""
    with translation.override(language):
        return gettext(message) % values
