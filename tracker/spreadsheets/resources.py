"""Spreadsheet resources: one per dataset, rows keyed by what a person can type.

Shared rules (README "Spreadsheets"): a blank cell never erases an existing value; the
cell text ``(clear)`` empties a field on purpose; errors name the column, not the model
field; status-change rows are appended through ``history.append_status_change``.
"""

import datetime
import functools
import operator

import tablib
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import QuerySet
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources
from import_export import widgets as import_widgets

from ratings.models import Cycle, Rating, Region
from ratings.numerals import to_roman

from tracker.models import DatePrecision, Evidence, Organization, Participation, Project, Source, StatusChange
from tracker.status import history

from .bulk import BulkImportMixin
from .widgets import (
    CLEAR,
    BooleanWidget,
    ChoiceWidget,
    CycleWidget,
    DateWidget,
    DecimalWidget,
    IntegerWidget,
    KeyWidget,
    NumeralWidget,
    TextWidget,
    is_blank,
    region_widget,
)


def _first_key(indexes):
    def render(values):
        for index in indexes:
            if values[index] not in (None, ""):
                return values[index]
        return ""

    return render


_roman = functools.lru_cache(maxsize=None)(to_roman)


def _numeral(index):
    return lambda values: _roman(values[index]) if values[index] else ""


#: Widgets whose render() gives back the value it is given (for a string column that is
#: never NULL, or for any value) — their cells are copied without a call.
IDENTITY_ON_TEXT = (TextWidget, ChoiceWidget, import_widgets.Widget, import_widgets.CharWidget)
IDENTITY = (DateWidget, BooleanWidget, IntegerWidget)
TEXT_FIELDS = ("CharField", "TextField", "SlugField", "URLField", "EmailField")


def _rendered(index, render):
    return lambda values: render(values[index])


def column(attribute, widget=None, column_name=None, **kwargs):
    return fields.Field(
        attribute=attribute, column_name=column_name or attribute, widget=widget, **kwargs
    )


def text(attribute, column_name=None):
    return column(attribute, TextWidget(), column_name)


def choice(attribute, choices, column_name=None):
    return column(attribute, ChoiceWidget(choices), column_name)


class TrackerResource(BulkImportMixin, resources.ModelResource):
    #: One example row for the blank template ({column: value}).
    example = {}

    class Meta:
        abstract = True

    def __init__(self, user=None, **kwargs):
        self.user = user
        super().__init__(**kwargs)

    progress = None  # called with the number of rows done, when set

    def after_import_row(self, row, row_result, **kwargs):
        if self.progress is not None:
            self.progress(kwargs.get("row_number", 0))

    def export(self, queryset=None, **kwargs):
        """Export rows. Columns that are a model field or a key of a related row are read
        with one `values_list` query and rendered by their widgets without building model
        instances; anything else takes django-import-export's path, with related rows
        named in columns fetched in the same query."""
        fields = self.get_export_fields(selected_fields=kwargs.get("export_fields"))
        plan = self._export_plan(fields)
        if plan is not None and (queryset is None or isinstance(queryset, QuerySet)):
            return self._export_values(queryset, fields, plan, **kwargs)
        if queryset is not None and hasattr(queryset, "select_related"):
            related = [
                f.attribute
                for f in self.get_export_fields()
                if f.attribute and isinstance(f.widget, (KeyWidget, CycleWidget))
            ]
            queryset = queryset.select_related(*related)
        return super().export(queryset=queryset, **kwargs)

    def _export_plan(self, fields):
        """(columns to read, one render function per export field), or None when a field
        needs a model instance (a dehydrate method, a property, a deeper path)."""
        model = self._meta.model
        columns, renders = [], []

        def position(name):
            if name not in columns:
                columns.append(name)
            return columns.index(name)

        for field in fields:
            name = self.get_field_name(field)
            if callable(field.get_dehydrate_method(name)) or hasattr(self, field.get_dehydrate_method(name)):
                return None
            if not field.attribute or "__" in field.attribute:
                return None
            try:
                model_field = model._meta.get_field(field.attribute)
            except FieldDoesNotExist:
                return None
            widget = field.widget
            if model_field.is_relation:
                if isinstance(widget, KeyWidget):
                    first = widget.model._meta.get_field(widget.fields[0])
                    if not model_field.null and not first.null and not first.blank:
                        # The first key is always there (a required field of a required
                        # row): KeyWidget.render would return it.
                        renders.append(position(f"{field.attribute}__{widget.fields[0]}"))
                        continue
                    keys = [position(f"{field.attribute}__{key}") for key in widget.fields]
                    renders.append(_first_key(keys))
                elif isinstance(widget, CycleWidget):
                    renders.append(_numeral(position(f"{field.attribute}__number")))
                else:
                    return None
            elif not model_field.concrete:
                return None
            elif type(widget) in IDENTITY or (
                type(widget) in IDENTITY_ON_TEXT
                and model_field.get_internal_type() in TEXT_FIELDS
                and not model_field.null
            ):
                renders.append(position(model_field.attname))  # the value as it is
            else:
                renders.append(_rendered(position(model_field.attname), widget.render))
        return columns, renders

    def _export_values(self, queryset, fields, plan, **kwargs):
        self.before_export(queryset, **kwargs)
        if queryset is None:
            queryset = self.get_queryset()
        queryset = self.filter_export(queryset, **kwargs)
        columns, renders = plan
        dataset = tablib.Dataset(headers=[force_str(f.column_name) for f in fields])
        append = dataset.append
        # Cells copied as they are come out of one itemgetter; the others are rendered.
        take = operator.itemgetter(*[r if isinstance(r, int) else 0 for r in renders], 0)
        fixes = [(i, r) for i, r in enumerate(renders) if not isinstance(r, int)]
        width = len(renders)
        for values in queryset.values_list(*columns).iterator(chunk_size=self.get_chunk_size()):
            row = list(take(values)[:width])
            for i, render in fixes:
                row[i] = render(values)
            append(row)
        self.after_export(queryset, dataset, **kwargs)
        return dataset

    def header_problems(self, dataset):
        """[(columns, message)] for a header row this dataset cannot be read with: key
        columns missing, or a column given twice (which of the two would count?)."""
        columns = {f.column_name for f in self.get_import_fields()}
        key_columns = [self.fields[name].column_name for name in self.get_import_id_fields()]
        headers = list(dataset.headers or [])
        problems = []
        missing = [c for c in key_columns if c not in headers]
        if missing:
            problems.append((", ".join(missing), _("required column is missing")))
        duplicated = sorted({h for h in headers if h and headers.count(h) > 1})
        if duplicated:
            problems.append((", ".join(duplicated), _("column appears more than once")))
        if not problems and not columns.intersection(headers):
            problems.append(
                ("", _("none of the columns is one of: %(columns)s") % {"columns": ", ".join(sorted(columns))})
            )
        return problems

    def before_import(self, dataset, **kwargs):
        problems = self.header_problems(dataset)
        if problems:
            raise ValueError(
                "; ".join(
                    _("column “%(column)s”: %(message)s") % {"column": c, "message": m} if c else m
                    for c, m in problems
                )
            )
        super().before_import(dataset, **kwargs)

    def acting_user(self, import_kwargs):
        """The signed-in user behind this import (admin or command line), if any."""
        user = import_kwargs.get("user") or self.user
        return user if getattr(user, "pk", None) else None

    def template_dataset(self):
        """The columns of this dataset and one example row, for a blank spreadsheet."""
        headers = self.get_export_headers()
        dataset = tablib.Dataset(headers=headers, title=self._meta.name)
        dataset.append([self.example.get(h, "") for h in headers])
        return dataset

    def _columns_by_attribute(self):
        return {f.attribute: f.column_name for f in self.get_import_fields() if f.attribute}

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if not field.attribute or field.readonly or field.column_name not in row:
            return
        raw = row[field.column_name]
        if is_blank(raw) and not instance._state.adding:
            return  # a blank cell never erases what is there
        if isinstance(raw, str) and raw.strip().lower() == CLEAR:
            model_field = instance._meta.get_field(field.attribute)
            setattr(instance, model_field.attname, None if model_field.null else "")
            return
        field.save(instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        for field in self.get_import_fields():
            try:
                self.import_field(field, instance, row, **kwargs)
            except ValueError as error:
                errors[field.column_name] = ValidationError(str(error), code="invalid")
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        # Related rows were looked up by the widgets, and check constraints are enforced by
        # the database (its messages are translated in spreadsheets.py): validating them
        # again here would cost several queries per row.
        related = [f.name for f in instance._meta.concrete_fields if f.is_relation]
        try:
            instance.full_clean(
                exclude=[*errors, *related],
                validate_unique=validate_unique,
                validate_constraints=False,
            )
        except ValidationError as error:
            columns = self._columns_by_attribute()
            for name, messages in error.update_error_dict({}).items():
                errors.setdefault(columns.get(name, name), []).extend(messages)
        if errors:
            raise ValidationError(errors)


class RegionResource(TrackerResource):
    example = {"iso_code": "RU-AMU", "slug": "amur-oblast", "name_ru": "Амурская область", "name_en": "Amur Oblast", "federal_district": "far_eastern", "borders_china": True}

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
    example = {"number": "III", "title": "Третий выпуск", "period_start": datetime.date(2025, 6, 1), "period_end": datetime.date(2026, 5, 31), "published_on": datetime.date(2026, 6, 1), "is_published": True}

    number = column("number", NumeralWidget())
    title = text("title")
    period_start = column("period_start", DateWidget())
    period_end = column("period_end", DateWidget())
    published_on = column("published_on", DateWidget())
    is_published = column("is_published", BooleanWidget())
    note = text("note")

    class Meta:
        model = Cycle
        name = "cycles"
        import_id_fields = ["number"]
        fields = ["number", "title", "period_start", "period_end", "published_on", "is_published", "note"]
        skip_unchanged = True
        report_skipped = True

    def bulk_capable(self):
        return False  # each new or renumbered cycle rewrites the status paths

    def do_instance_save(self, instance, is_create):
        history.save_cycle(instance)


class RatingResource(TrackerResource):
    example = {"region": "RU-AMU", "cycle": "III", "score": 9}

    region = column("region", region_widget())
    cycle = column("cycle", CycleWidget())
    score = column("score", IntegerWidget())
    tier = column("tier", readonly=True)
    note = text("note")

    class Meta:
        model = Rating
        name = "ratings"
        import_id_fields = ["region", "cycle"]
        fields = ["region", "cycle", "score", "tier", "note"]
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return Rating.objects.select_related("region", "cycle")


class OrganizationResource(TrackerResource):
    example = {"name": "Heilongjiang Province", "name_en": "Heilongjiang Province", "country": "CN", "kind": "government"}

    name = text("name")
    name_en = text("name_en")
    country = text("country")
    kind = choice("kind", Organization.Kind)
    note = text("note")

    class Meta:
        model = Organization
        name = "organizations"
        import_id_fields = ["name"]
        fields = ["name", "name_en", "country", "kind", "note"]
        skip_unchanged = True
        report_skipped = True

    def before_save_instance(self, instance, row, **kwargs):
        instance.country = instance.country.strip().upper()


class SourceResource(TrackerResource):
    example = {"title": "Рейтинг продуктивности… Третий выпуск", "kind": "rating_report", "published_on": datetime.date(2026, 6, 1), "published_precision": "month", "language": "ru"}

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
    example = {"reference": "AMU-001", "region": "RU-AMU", "title_ru": "Канатная дорога Благовещенск – Хэйхэ", "title_en": "Blagoveshchensk–Heihe cable car", "location": "Благовещенск", "sector": "transport", "announced_on": datetime.date(2025, 7, 1), "announced_precision": "month", "first_cycle": "II"}

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
    note = text("note")

    class Meta:
        model = Project
        name = "projects"
        import_id_fields = ["reference"]
        fields = [
            "reference", "region", "title_ru", "title_en", "location", "sector",
            "announced_on", "announced_precision", "amount", "currency", "first_cycle",
            "status", "note",
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

    def after_bulk_update(self, projects, changed):
        if "first_cycle_id" in changed:
            history.first_cycles_corrected(projects)

    def after_bulk_create(self, projects):
        history.created_in_bulk(projects)


class ParticipationResource(TrackerResource):
    example = {"project": "AMU-001", "organization": "Heilongjiang Province", "role": "partner"}

    project = column("project", project_widget())
    organization = column(
        "organization", KeyWidget(Organization, ["name", "name_en"], gettext_lazy("Organization"))
    )
    role = choice("role", Participation.Role)

    class Meta:
        model = Participation
        name = "participants"
        import_id_fields = ["project", "organization", "role"]
        fields = ["project", "organization", "role"]
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return Participation.objects.select_related("project", "organization")


class EvidenceResource(TrackerResource):
    example = {"reference": "AMU-001-E1", "project": "AMU-001", "cycle": "III", "date": datetime.date(2026, 3, 1), "date_precision": "month", "kind": "result", "summary": "Installation of border-control equipment was completed; the project was 93% ready.", "source": "Рейтинг продуктивности… Третий выпуск", "locator": "Амурская область — События июня 2025 – мая 2026 годов"}

    reference = text("reference")
    project = column("project", project_widget())
    cycle = column("cycle", CycleWidget())
    date = column("occurred_on", DateWidget(), "date")
    date_precision = choice("precision", DatePrecision, "date_precision")
    kind = choice("kind", Evidence.Kind)
    summary = text("summary")
    source = column("source", KeyWidget(Source, ["title", "url"], gettext_lazy("Source")))
    locator = text("locator")
    attribution = text("attribution")

    class Meta:
        model = Evidence
        name = "evidence"
        import_id_fields = ["reference"]
        fields = [
            "reference", "project", "cycle", "date", "date_precision", "kind", "summary",
            "source", "locator", "attribution",
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
        return Evidence.objects.filter(
            project=project, cycle=cycle, kind=row.get("kind", ""), summary=row.get("summary", "")
        ).first()

    def before_save_instance(self, instance, row, **kwargs):
        if instance._state.adding:
            instance.recorded_by = self.acting_user(kwargs)


class StatusChangeResource(TrackerResource):
    """Rows are appended through history.append_status_change; a row already in the history
    (same project, cycle, status and date) is reported unchanged."""

    example = {"project": "AMU-001", "cycle": "III", "status": "launched", "effective_on": datetime.date(2026, 3, 1), "evidence": "AMU-001-E1", "note": "Construction under way."}

    project = column("project", project_widget())
    cycle = column("cycle", CycleWidget())
    status = choice("status", Project.Status)
    effective_on = column("effective_on", DateWidget())
    evidence = column("evidence", KeyWidget(Evidence, ["reference"], gettext_lazy("Evidence")))
    note = text("note")
    initial = column("is_initial", BooleanWidget(), "initial", readonly=True)

    class Meta:
        model = StatusChange
        name = "status_changes"
        import_id_fields = ["project", "cycle", "status"]
        fields = ["project", "cycle", "status", "effective_on", "evidence", "note", "initial"]
        report_skipped = True

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
            note=instance.note,
            by=self.acting_user(kwargs),
        )
        instance.pk = appended.pk
        instance._state.adding = False


# The order in which a whole dataset is imported: each refers only to those before it.
DATASETS = {
    "regions": RegionResource,
    "cycles": CycleResource,
    "ratings": RatingResource,
    "organizations": OrganizationResource,
    "sources": SourceResource,
    "projects": ProjectResource,
    "participants": ParticipationResource,
    "evidence": EvidenceResource,
    "status_changes": StatusChangeResource,
}
