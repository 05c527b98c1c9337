"""The news inbox in the admin (README "News inbox"): items pasted one by one or imported
from a spreadsheet, and the decision screen — the item with the words the tracker found
marked, the top candidates side by side with their last evidence, and three buttons:
evidence for a project, a new project, dismiss. The first two open the existing add forms
prefilled (from_news.py); nothing is written until a form is saved or *Dismiss* pressed."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker.models import Evidence, NewsItem
from tracker.models.news import MAX_NEWS_CHARS
from tracker.news import decisions, imports
from tracker.news import text as texts
from tracker.news.proposals import Matcher
from tracker.spreadsheets.limits import check_size
from tracker.spreadsheets.errors import SpreadsheetError

from .news_links import evidence_url, project_url


class NewsItemForm(forms.ModelForm):
    class Meta:
        model = NewsItem
        fields = ["text", "occurred_on", "source_name", "url"]
        # Browsers stop a paste at this length; the server says so for longer texts.
        widgets = {"text": forms.Textarea(attrs={"maxlength": MAX_NEWS_CHARS, "rows": 16, "cols": 100})}

    def clean_text(self):
        return texts.checked(self.cleaned_data.get("text", ""))


class NewsImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Spreadsheet"), help_text=gettext_lazy(
        "CSV, XLSX or ODS with a column “text” (or «текст») and, if known, “date”, “source”, “url”."
    ))


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    form = NewsItemForm
    change_list_template = "admin/tracker/newsitem/change_list.html"
    list_display = ["excerpt", "occurred_on", "source_name", "language", "decision", "decided_by", "decided_at", "decide_link"]
    list_filter = ["decision", "language"]
    search_fields = ["text", "source_name", "url"]
    readonly_fields = ["language", "decision", "evidence", "project", "decided_by", "decided_at", "created_at"]

    @admin.display(description=gettext_lazy("news item"))
    def excerpt(self, item):
        return str(item)

    @admin.display(description=gettext_lazy("decide"))
    def decide_link(self, item):
        if item.decision != NewsItem.Decision.NEW:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:tracker_newsitem_decide", args=[item.pk]), _("Decide"))

    def get_fields(self, request, obj=None):
        return self.form.Meta.fields if obj is None else [*self.form.Meta.fields, *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        obj.language = texts.language(obj.text)
        super().save_model(request, obj, form, change)

    def add_view(self, request, form_url="", extra_context=None):
        """A text too big for a request at all is answered on the form, not with an error page."""
        if request.method == "POST":
            try:
                request.POST
            except RequestDataTooBig:
                self.message_user(request, texts.too_long(int(request.META.get("CONTENT_LENGTH") or 0)), messages.ERROR)
                return redirect(request.get_full_path())
        return super().add_view(request, form_url, extra_context)

    def response_add(self, request, obj, post_url_continue=None):
        if "_addanother" in request.POST or "_continue" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        return redirect("admin:tracker_newsitem_decide", obj.pk)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:object_id>/decide/", wrap(self.decide_view), name="tracker_newsitem_decide"),
            path("<int:object_id>/dismiss/", wrap(self.dismiss_view), name="tracker_newsitem_dismiss"),
            path("import/", wrap(self.import_view), name="tracker_newsitem_import"),
        ] + super().get_urls()

    def decide_view(self, request, object_id):
        item = get_object_or_404(NewsItem, pk=object_id)
        if not self.has_change_permission(request, item):
            raise PermissionDenied
        proposal = Matcher().propose(item.text)
        cards = [{"candidate": c, "url": evidence_url(item, proposal, c)} for c in proposal.candidates]
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "item": item, "proposal": proposal,
            "cards": cards, "new_project_url": project_url(item, proposal), "title": _("Decide on a news item"),
            "decided": item.decision != NewsItem.Decision.NEW, "kinds": Evidence.Kind.choices,
        }
        return TemplateResponse(request, "admin/tracker/newsitem/decide.html", context)

    def dismiss_view(self, request, object_id):
        item = get_object_or_404(NewsItem, pk=object_id)
        if request.method != "POST" or not self.has_change_permission(request, item):
            raise PermissionDenied
        try:
            decisions.dismiss(item, request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect("admin:tracker_newsitem_decide", item.pk)
        self.message_user(request, _("The news item was dismissed."), messages.SUCCESS)
        return redirect("admin:tracker_newsitem_changelist")

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = NewsImportForm(request.POST or None, request.FILES or None)
        problems = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                check_size(upload.size, upload.name)
                rows, problems = imports.read_rows(upload.read(), upload.name)
            except SpreadsheetError as error:
                rows, problems = [], [str(error)]
            if not problems:
                items = imports.import_rows(rows)
                self.message_user(request, _("%(count)s news items were added to the inbox.") % {"count": len(items)}, messages.SUCCESS)
                return redirect("admin:tracker_newsitem_changelist")
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
            "problems": problems[:50], "more": max(0, len(problems) - 50), "title": _("Import news items"),
        }
        return TemplateResponse(request, "admin/tracker/newsitem/import.html", context)
