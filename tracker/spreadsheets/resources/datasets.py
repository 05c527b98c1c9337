"""One resource per dataset, rows keyed by what a person can type; status-change rows are
appended through ``history.append_status_change``."""

import datetime

from django.utils.translation import gettext, gettext_lazy

from audit.context import current_user
from ratings.locks import lock_message
from ratings.models import Cycle, Rating, Region
from tracker.models import DatePrecision, Evidence, Organization, Participation, Project, Source, StatusChange
from tracker.models.evidence import InEdition
from tracker.status import history

from ..widgets import (
    BooleanWidget,
    CountryWidget,
    CycleWidget,
    DateWidget,
    KeyWidget,
    NumeralWidget,
    is_blank,
    region_widget,
)
from ..amounts import DecimalWidget, IntegerWidget
from .base import TrackerResource, choice, column, text


class RegionResource(TrackerResource):
    example = {"iso_code": "ПРИМЕР-RU-AMU", "slug": "amur-oblast", "name_ru": "Амурская область", "name_en": "Amur Oblast", "federal_district": "far_eastern", "borders_china": True}

    iso_code = text("iso_code")
    slug = text("slug")
    name_ru = text("name_ru")
    name_en = text("name_en")
    federal_district = choice("federal_district", Region.FederalDistrict)
    borders_china = column("borders_china", BooleanWidget())
    note = text("note")

    class Meta:
        model = Region
        name = "regions"
        import_id_fields = ["iso_code"]
        fields = ["iso_code", "slug", "name_ru", "name_en", "federal_district", "borders_china", "note"]
        skip_unchanged = True
        report_skipped = True


class CycleResource(TrackerResource):
    example = {"number": "ПРИМЕР: III", "title": "Третий выпуск", "period_start": datetime.date(2025, 6, 1), "period_end": datetime.date(2026, 5, 31), "published_on": datetime.date(2026, 6, 1), "is_published": True}

    number = column("number", NumeralWidget())
    title = text("title")
    title_en = text("title_en")
    period_start = column("period_start", DateWidget())
    period_end = column("period_end", DateWidget())
    published_on = column("published_on", DateWidget())
    is_published = column("is_published", BooleanWidget())
    public_note_ru = text("public_note_ru")
    public_note_en = text("public_note_en")
    note = text("note")

    class Meta:
        model = Cycle
        name = "cycles"
        import_id_fields = ["number"]
        fields = [
            "number", "title", "title_en", "period_start", "period_end", "published_on", "is_published",
            "public_note_ru", "public_note_en", "note",
        ]
        skip_unchanged = True
        report_skipped = True

    # Rows are keyed by number, so an import adds cycles but never renumbers one.
    def do_instance_save(self, instance, is_create):
        history.save_cycle(instance)

    def bulk_capable(self):
        # People's files go row by row, through the checks below and the cycle's own lock.
        return self.user is None and current_user() is None

    def before_save_instance(self, instance, row, **kwargs):
        """A published cycle is locked (`Cycle.save`); a person publishes only through the
        admin's Publish (docs/domain.md "Publication"): a file may not publish or
        unpublish a cycle. The system (loadseeds, restore) may."""
        if self.acting_user(kwargs) is None and current_user() is None:
            return
        instance.ensure_editable()
        stored = Cycle.objects.filter(pk=instance.pk).values_list("is_published", flat=True).first()
        if bool(stored) != bool(instance.is_published):
            raise ValueError(
                gettext("column “is_published”: a cycle is published only with the admin's “Publish…”, which writes its release")
            )

    needs_new_pks = True  # after_bulk_create runs on every database

    def after_bulk_create(self, cycles):
        history.cycles_changed()


class RatingResource(TrackerResource):
    example = {"region": "ПРИМЕР: RU-AMU", "cycle": "III", "score": 9}

    region = column("region", region_widget())
    cycle = column("cycle", CycleWidget())
    score = column("score", IntegerWidget())
    tier = column("tier", readonly=True)
    public_note_ru = text("public_note_ru")
    public_note_en = text("public_note_en")
    commentary_ru = text("commentary_ru")
    commentary_en = text("commentary_en")
    note = text("note")

    class Meta:
        model = Rating
        name = "ratings"
        import_id_fields = ["region", "cycle"]
        fields = ["region", "cycle", "score", "tier", "public_note_ru", "public_note_en", "commentary_ru", "commentary_en", "note"]
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return Rating.objects.select_related("region", "cycle")


class OrganizationResource(TrackerResource):
    example = {"name": "ПРИМЕР: Heilongjiang Province", "name_en": "Heilongjiang Province", "country": "CN", "kind": "government"}

    name = text("name")
    name_en = text("name_en")
    country = column("country", CountryWidget())
    kind = choice("kind", Organization.Kind)
    note = text("note")

    class Meta:
        model = Organization
        name = "organizations"
        import_id_fields = ["name"]
        fields = ["name", "name_en", "country", "kind", "note"]
        skip_unchanged = True
        report_skipped = True


class SourceResource(TrackerResource):
    example = {"title": "ПРИМЕР: Рейтинг продуктивности… Третий выпуск", "kind": "rating_report", "published_on": datetime.date(2026, 6, 1), "published_precision": "month", "language": "ru"}

    title = text("title")
    url = text("url")
    kind = choice("kind", Source.Kind)
    publisher = text("publisher")
    published_on = column("published_on", DateWidget())
    published_precision = choice("published_precision", DatePrecision)
    language = choice("language", Source.Language)
    note = text("note")

    class Meta:
        model = Source
        name = "sources"
        import_id_fields = ["title"]
        fields = ["title", "url", "kind", "publisher", "published_on", "published_precision", "language", "note"]
        skip_unchanged = True
        report_skipped = True


def project_widget():
    return KeyWidget(Project, ["reference"], gettext_lazy("Project"))


class ProjectResource(TrackerResource):
    example = {"reference": "ПРИМЕР-AMU-001", "region": "RU-AMU", "title_ru": "Канатная дорога Благовещенск – Хэйхэ", "title_en": "Blagoveshchensk–Heihe cable car", "location": "Благовещенск", "sector": "transport", "announced_on": datetime.date(2025, 7, 1), "announced_precision": "month", "first_cycle": "II"}

    reference = text("reference")
    region = column("region", region_widget())
    title_ru = text("title_ru")
    title_en = text("title_en")
    location = text("location")
    sector = choice("sector", Project.Sector)
    announced_on = column("announced_on", DateWidget())
    announced_precision = choice("announced_precision", DatePrecision)
    amount = column("amount", DecimalWidget())
    currency = choice("currency", Project.Currency)
    first_cycle = column("first_cycle", CycleWidget())
    status = column("status", readonly=True)
    public_note_ru = text("public_note_ru")
    public_note_en = text("public_note_en")
    note = text("note")

    class Meta:
        model = Project
        name = "projects"
        import_id_fields = ["reference"]
        fields = [
            "reference", "region", "title_ru", "title_en", "location", "sector",
            "announced_on", "announced_precision", "amount", "currency", "first_cycle",
            "status", "public_note_ru", "public_note_en", "note",
        ]
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return Project.objects.select_related("region", "first_cycle")

    needs_new_pks = True

    def do_instance_save(self, instance, is_create):
        if is_create:
            history.create_project(instance)
        else:
            history.save_project(instance)

    def bulk_prepare_new(self, instances):
        # `create_project` before the insert, for a whole file.
        length = history.path_length()
        for instance in instances:
            history.prepare_new(instance, length)

    def _locked_cycles(self, model):
        return Cycle.objects.locked_for(current_user())

    def _lock_check(self, plan, instance, before, errors):
        """The first-cycle lock of `history.create_project` and `save_project`, for a file
        on the bulk path."""
        stored = before["first_cycle_id"] if before else None
        cycle = history.first_cycle_lock(instance.first_cycle_id, stored, plan.locked)
        if cycle is not None:
            errors[plan.columns.get("first_cycle", "first_cycle")] = [lock_message(cycle)]

    def after_bulk_update(self, projects, changed):
        if "first_cycle_id" in changed:
            history.first_cycles_corrected(projects)

    def after_bulk_create(self, projects):
        history.created_in_bulk(projects)


class ParticipationResource(TrackerResource):
    example = {"project": "ПРИМЕР-AMU-001", "organization": "Heilongjiang Province", "role": "partner"}

    project = column("project", project_widget())
    organization = column(
        "organization", KeyWidget(Organization, ["name", "name_en"], gettext_lazy("Organization"))
    )
    role = choice("role", Participation.Role)

    key_only_ok = True  # each row links a project to an organisation

    class Meta:
        model = Participation
        name = "participants"
        import_id_fields = ["project", "organization", "role"]
        fields = ["project", "organization", "role"]
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        # A stable order, so that an export, re-imported and exported again, is the same file.
        return Participation.objects.select_related("project", "organization").order_by(
            "project__reference", "organization__name", "role", "pk"
        )


class EvidenceResource(TrackerResource):
    example = {"reference": "ПРИМЕР-AMU-001-E1", "project": "AMU-001", "cycle": "III", "date": datetime.date(2026, 3, 1), "date_precision": "month", "kind": "result", "summary": "Installation of border-control equipment was completed; the project was 93% ready.", "source": "Рейтинг продуктивности… Третий выпуск", "locator": "Амурская область — События июня 2025 – мая 2026 годов"}

    reference = text("reference")
    project = column("project", project_widget())
    cycle = column("cycle", CycleWidget())
    date = column("occurred_on", DateWidget(), "date")
    date_precision = choice("precision", DatePrecision, "date_precision")
    kind = choice("kind", Evidence.Kind)
    summary = text("summary")
    summary_ru = text("summary_ru")
    source = column("source", KeyWidget(Source, ["title", "url"], gettext_lazy("Source")))
    locator = text("locator")
    attribution = text("attribution")
    attribution_ru = text("attribution_ru")
    in_edition = choice("in_edition", InEdition)

    class Meta:
        model = Evidence
        name = "evidence"
        import_id_fields = ["reference"]
        fields = [
            "reference", "project", "cycle", "date", "date_precision", "kind", "summary", "summary_ru",
            "source", "locator", "attribution", "attribution_ru", "in_edition",
        ]
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return Evidence.objects.select_related("project", "cycle", "source")

    def get_instance(self, instance_loader, row):
        reference = row.get("reference")
        if not is_blank(reference):
            return Evidence.objects.filter(reference=str(reference).strip()).first()
        # Rows without a reference are matched by what they say.
        try:
            project = self.fields["project"].clean(row)
            cycle = self.fields["cycle"].clean(row)
        except ValueError:
            return None
        said = {"summary": row.get("summary") or ""}
        if "summary_ru" in row:  # files made before the Russian column match as before
            said["summary_ru"] = row.get("summary_ru") or ""
        return Evidence.objects.filter(project=project, cycle=cycle, kind=row.get("kind", ""), **said).first()

    def before_save_instance(self, instance, row, **kwargs):
        if instance._state.adding:
            instance.recorded_by = self.acting_user(kwargs)


class StatusChangeResource(TrackerResource):
    """Rows are appended through history.append_status_change; a row already in the history
    (same project, cycle, status and date) is reported unchanged."""

    example = {"project": "ПРИМЕР-AMU-001", "cycle": "III", "status": "launched", "effective_on": datetime.date(2026, 3, 1), "evidence": "AMU-001-E1", "note": "Construction under way."}

    project = column("project", project_widget())
    cycle = column("cycle", CycleWidget())
    status = choice("status", Project.Status)
    effective_on = column("effective_on", DateWidget())
    evidence = column("evidence", KeyWidget(Evidence, ["reference"], gettext_lazy("Evidence")))
    basis = choice("basis", StatusChange.Basis)
    public_note_ru = text("public_note_ru")
    public_note_en = text("public_note_en")
    note = text("note")
    initial = column("is_initial", BooleanWidget(), "initial", readonly=True)

    class Meta:
        model = StatusChange
        name = "status_changes"
        import_id_fields = ["project", "cycle", "status"]
        fields = [
            "project", "cycle", "status", "effective_on", "evidence", "basis", "public_note_ru",
            "public_note_en", "note", "initial",
        ]
        report_skipped = True

    key_only_ok = True  # each row is a status reached

    def duplicate_key_columns(self):
        # A project may reach the same status twice in a cycle, on different dates.
        return [*super().duplicate_key_columns(), "effective_on"]

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute == "basis" and not self._basis_given(row):
            return  # a blank basis is left to the rule in save_instance
        super().import_field(field, instance, row, is_m2m, **kwargs)

    @staticmethod
    def _basis_given(row):
        """A row without a basis gets the default rule (docs/domain.md "Basis")."""
        return row is not None and not is_blank(row.get("basis"))

    def get_queryset(self):
        return StatusChange.objects.select_related("project", "cycle", "evidence").order_by(
            "project__reference", "cycle__number", "effective_on", "id"
        )

    def get_instance(self, instance_loader, row):
        try:
            project = self.fields["project"].clean(row)
            cycle = self.fields["cycle"].clean(row)
            status = self.fields["status"].clean(row)
            effective_on = self.fields["effective_on"].clean(row)
        except (ValueError, KeyError):
            return None
        if not (project and cycle and status):
            return None
        return StatusChange.objects.filter(
            project=project, cycle=cycle, status=status, effective_on=effective_on
        ).first()

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return not instance._state.adding and not import_validation_errors

    def bulk_capable(self):
        return False  # every row goes through history.append_status_change

    def save_instance(self, instance, is_create, row, **kwargs):
        appended = history.append_status_change(
            instance.project,
            instance.status,
            instance.cycle,
            effective_on=instance.effective_on,
            evidence=instance.evidence,
            basis=instance.basis if self._basis_given(row) else None,
            note=instance.note,
            public_note_ru=instance.public_note_ru,
            public_note_en=instance.public_note_en,
            by=self.acting_user(kwargs),
        )
        instance.pk = appended.pk
        instance._state.adding = False
