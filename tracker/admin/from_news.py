"""The doors a news item's decision opens: the evidence and project add forms, prefilled
from the item (`?news=<id>&…`), which record the decision when — and only when — the form
is saved, in the same transaction."""

from django.utils.translation import gettext as _

from tracker.models import NewsItem, Source
from tracker.models.common import DatePrecision
from tracker.news import decisions

NEWS = "news"


def news_item(request):
    """The undecided news item a form was opened from (`?news=<id>`), or None."""
    value = request.GET.get(NEWS, "")
    if not value.isdigit():
        return None
    return NewsItem.objects.filter(pk=int(value), decision=NewsItem.Decision.NEW).first()


def source_for(item):
    """The item's source: the one with its URL, else a new one named after it (saved by
    the caller, with the evidence)."""
    if item.url:
        known = Source.objects.filter(url=item.url).first()
        if known is not None:
            return known
    title = (item.source_name or item.url or _("News item %(id)s") % {"id": item.pk})[:450]
    if item.url and Source.objects.filter(title=title).exists():
        title = f"{title} — {item.url}"[:500]
    language = item.language if item.language in Source.Language.values else Source.Language.OTHER
    source = Source(kind=Source.Kind.MEDIA, title=title, url=item.url, publisher=item.source_name, language=language)
    if item.occurred_on:
        source.published_on, source.published_precision = item.occurred_on, DatePrecision.DAY
    return source


class EvidenceFromNews:
    """EvidenceAdmin's part: the source may be left empty (the item's own is used)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None and news_item(request) is not None and "source" in form.base_fields:
            form.base_fields["source"].required = False
            form.base_fields["source"].help_text = _("Empty: the news item’s source is recorded.")
        return form

    def save_model(self, request, obj, form, change):
        item = None if change else news_item(request)
        if item is not None and obj.source_id is None:
            source = source_for(item)
            if source.pk is None:
                source.save()
            obj.source = source
        super().save_model(request, obj, form, change)
        if item is not None:
            decisions.link(item, obj, request.user)


class ProjectFromNews:
    """ProjectAdmin's part: the partners named (`?partner=<id>`, repeated) as participant
    rows, and the decision recorded when the project is saved."""

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if request.method == "GET" and (obj is None or obj.pk is None) and getattr(inline, "from_news_partners", False):
            kwargs["initial"] = [{"organization": pk} for pk in partner_ids(request)]
        return kwargs

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        item = None if change else news_item(request)
        if item is not None:
            decisions.new_project(item, form.instance, request.user)


def partner_ids(request):
    if news_item(request) is None:
        return []
    return [int(v) for v in request.GET.getlist("partner") if v.isdigit()][:10]
