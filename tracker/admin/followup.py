"""The open cycle's follow-up in the admin: the worklist as an admin list (filters, search,
pages of 50, sorting, "no news" for the selected rows), the cycle's progress, and a review
queue that walks the list in its filtered order."""

import copy

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from audit.context import acting

from tracker.models import FollowUp, Project
from tracker.ops.releases import open_cycle

from . import progress
from .forms import short_amount
from .search import ProjectSearch
from .worklist import WORKLIST_ORDER, ReviewForm, editorial_source, mark_no_news, record_review, to_review, worklist

STATUS_LABELS = dict(Project.Status.choices)


def amount_display(project):
    """«2,5 млрд RUB» (the whole amount, «2 500 000 000 RUB», when pointed at)."""
    if project.amount is None:
        return "—"
    places = 0 if project.amount == project.amount.to_integral_value() else 2
    whole = f"{formats.number_format(project.amount, places, force_grouping=True)} {project.currency}"
    return format_html('<span title="{}">{} {}</span>', whole, short_amount(project.amount), project.currency)


class ReviewStateFilter(admin.SimpleListFilter):
    """Left to review (the worklist, shown by default), reviewed in the cycle, or both."""

    title = gettext_lazy("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("left", _("left to review")), ("done", _("reviewed in this cycle")), ("all", _("all"))]

    def choices(self, changelist):
        current = self.value() or "left"
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or "left"
        if value == "left":
            return queryset.filter(reviewed=False)
        if value == "done":
            return queryset.filter(reviewed=True)
        return queryset


class SuggestedStatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("suggested status")
    parameter_name = "suggested"

    def lookups(self, request, model_admin):
        return Project.Status.choices

    def queryset(self, request, queryset):
        return queryset.filter(suggested_status=self.value()) if self.value() else queryset


class AgeFilter(admin.SimpleListFilter):
    title = gettext_lazy("age (cycles)")
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return [("1", "1"), ("2", "2"), ("3", _("3 or more"))]

    def queryset(self, request, queryset):
        if self.value() in ("1", "2"):
            return queryset.filter(age=int(self.value()))
        if self.value() == "3":
            return queryset.filter(age__gte=3)
        return queryset


class AmountFilter(admin.SimpleListFilter):
    """Amount ranges in the project's own currency."""

    title = gettext_lazy("announced amount")
    parameter_name = "amount"
    RANGES = {
        "none": Q(amount__isnull=True),
        "small": Q(amount__lt=10**9),
        "medium": Q(amount__gte=10**9, amount__lt=10**10),
        "large": Q(amount__gte=10**10),
    }

    def lookups(self, request, model_admin):
        return [
            ("none", _("not given")), ("small", _("under 1 billion")),
            ("medium", _("1 to 10 billion")), ("large", _("10 billion or more")),
        ]

    def queryset(self, request, queryset):
        return queryset.filter(self.RANGES[self.value()]) if self.value() in self.RANGES else queryset


@admin.register(FollowUp)
class FollowUpAdmin(ProjectSearch, admin.ModelAdmin):
    """The worklist of the open cycle. Whoever may change projects may work it."""

    change_list_template = "admin/tracker/followup/change_list.html"
    list_display = ["reference_link", "review_link", "title", "region", "age_display", "amount_display", "status", "last_evidence", "suggested"]
    list_display_links = None
    list_filter = [
        ReviewStateFilter, ("region", admin.RelatedOnlyFieldListFilter), "region__federal_district", "sector",
        SuggestedStatusFilter, AgeFilter, AmountFilter,
    ]
    list_per_page = 50
    list_max_show_all = 500
    actions = ["no_news"]
    actions_on_top = True
    actions_on_bottom = True
    sortable_by = None

    # -- permissions: those of projects ------------------------------------------------

    def _may(self, request):
        return request.user.is_active and request.user.has_perm("tracker.change_project")

    def has_module_permission(self, request):
        return self._may(request)

    def has_view_permission(self, request, obj=None):
        return self._may(request)

    def has_change_permission(self, request, obj=None):
        return self._may(request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # -- the list ----------------------------------------------------------------------

    def get_queryset(self, request):
        cycle = open_cycle()
        if cycle is None:
            return Project.objects.none()
        return to_review(cycle).with_follow_up(cycle).select_related("region").order_by(*WORKLIST_ORDER)

    def get_ordering(self, request):
        return WORKLIST_ORDER

    @admin.display(description=gettext_lazy("reference"), ordering="reference")
    def reference_link(self, project):
        return format_html('<a href="{}">{}</a>', reverse("admin:tracker_project_change", args=[project.pk]), project.reference)

    @admin.display(description=gettext_lazy("title"), ordering="title_ru")
    def title(self, project):
        return project.title

    @admin.display(description=gettext_lazy("age, cycles"), ordering="age")
    def age_display(self, project):
        return project.age

    @admin.display(description=gettext_lazy("announced amount"), ordering="amount")
    def amount_display(self, project):
        return amount_display(project)

    @admin.display(description=gettext_lazy("last evidence"), ordering="last_evidence_on")
    def last_evidence(self, project):
        return formats.date_format(project.last_evidence_on, "SHORT_DATE_FORMAT") if project.last_evidence_on else "—"

    @admin.display(description=gettext_lazy("suggested status"), ordering="suggested_status")
    def suggested(self, project):
        return STATUS_LABELS.get(project.suggested_status, project.suggested_status)

    @admin.display(description="")
    def review_link(self, project):
        if project.reviewed:
            return _("reviewed")
        return format_html('<a class="button" href="{}">{}</a>', self.queue_url(project.pk, self._filters), _("Review"))

    _filters = ""

    def queue_url(self, pk, filters):
        url = reverse("admin:tracker_followup_review", args=[pk])
        return f"{url}?{urlencode({'_changelist_filters': filters})}" if filters else url

    def changelist_view(self, request, extra_context=None):
        self._filters = request.GET.urlencode()
        cycle = open_cycle()
        if cycle is None:
            context = {**self.admin_site.each_context(request), "opts": self.opts, "cycle": None, "title": self.opts.verbose_name_plural}
            return TemplateResponse(request, "admin/tracker/followup/no_cycle.html", context)
        extra = {
            "cycle": cycle, "queue_filters": self._filters, "progress": progress.summary(cycle),
            "title": _("Follow-up of cycle %(cycle)s") % {"cycle": cycle.numeral},
        }
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    # -- "no news this cycle" for the selected rows ----------------------------------

    @admin.action(description=gettext_lazy("No news this cycle…"))
    def no_news(self, request, queryset):
        cycle = open_cycle()
        chosen = [p for p in queryset if not p.reviewed]
        if not chosen:
            self.message_user(request, _("Every selected project has already been reviewed in this cycle."), messages.WARNING)
            return None
        if request.POST.get("confirm"):
            with acting(request.user, "action"):
                mark_no_news(chosen, cycle, request.user)
            count = len(chosen)
            self.message_user(request, ngettext(
                "%(count)s project marked “no news this cycle”.", "%(count)s projects marked “no news this cycle”.", count,
            ) % {"count": count}, messages.SUCCESS)
            return None
        for project in chosen:
            project.suggested_label = STATUS_LABELS.get(project.suggested_status, "")
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "title": _("No news this cycle"),
            "cycle": cycle, "projects": chosen,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME, "select_across": request.POST.get("select_across", "0"),
        }
        return TemplateResponse(request, "admin/tracker/worklist_confirm.html", context)

    # -- the queue and the progress page --------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:object_id>/review/", wrap(self.review_view), name="tracker_followup_review"),
            path("progress/", wrap(self.progress_view), name="tracker_followup_progress"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:tracker_project_change", object_id)

    def _queue(self, request, filters):
        """The changelist's rows in its order, for `filters` (its query string)."""
        listed = copy.copy(request)
        listed.GET = QueryDict(filters)
        try:
            changelist = self.get_changelist_instance(listed)
        except IncorrectLookupParameters:
            listed.GET = QueryDict()
            changelist = self.get_changelist_instance(listed)
        return changelist.queryset.filter(reviewed=False)

    def review_view(self, request, object_id):
        if not self._may(request):
            raise PermissionDenied
        cycle = open_cycle()
        if cycle is None:
            return redirect("admin:tracker_followup_changelist")
        filters = request.GET.get("_changelist_filters", "")
        project = get_object_or_404(worklist(cycle), pk=object_id)
        form = ReviewForm(request.POST or None, initial={"status": project.suggested_status, "source": editorial_source().pk})
        if request.method == "POST" and form.is_valid():
            from django.core.exceptions import ValidationError

            try:
                record_review(project, cycle, form.cleaned_data, request.user)
            except ValidationError as error:
                for field, errors in error.update_error_dict({}).items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return self._next(request, project, filters, saved=True)
        queue = self._queue(request, filters)
        ids = list(queue.values_list("pk", flat=True)[:2000])
        following = ids[ids.index(project.pk) + 1] if project.pk in ids and ids.index(project.pk) + 1 < len(ids) else None
        evidence = project.evidence.select_related("cycle", "source").order_by("-cycle__number", "-occurred_on")[:5]
        context = {
            **self.admin_site.each_context(request), "opts": self.opts,
            "title": _("Review %(reference)s") % {"reference": project.reference},
            "cycle": cycle, "project": project, "form": form, "evidence": evidence,
            "left": len(ids), "status_label": project.get_status_display(),
            "suggested_label": STATUS_LABELS.get(project.suggested_status, ""),
            "skip_url": self.queue_url(following, filters) if following else None,
            "list_url": self._list_url(filters),
        }
        return TemplateResponse(request, "admin/tracker/worklist_review.html", context)

    def _list_url(self, filters):
        url = reverse("admin:tracker_followup_changelist")
        return f"{url}?{filters}" if filters else url

    def _next(self, request, project, filters, saved):
        queue = self._queue(request, filters)
        left = queue.count()
        following = queue.values_list("pk", flat=True).first()
        messages.success(request, ngettext(
            "%(reference)s reviewed; %(count)s project left.", "%(reference)s reviewed; %(count)s projects left.", left,
        ) % {"reference": project.reference, "count": left})
        if following is None:
            return redirect(self._list_url(filters))
        return redirect(self.queue_url(following, filters))

    def progress_view(self, request):
        if not self._may(request):
            raise PermissionDenied
        cycle = open_cycle()
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "cycle": cycle,
            "title": _("Progress of cycle %(cycle)s") % {"cycle": cycle.numeral} if cycle else _("Progress of the cycle"),
            "progress": progress.summary(cycle, detailed=True) if cycle else None,
        }
        return TemplateResponse(request, "admin/tracker/followup/progress.html", context)
