"""The texts of a release: its data dictionary and README, in Russian and English.

The dictionary is read from the datasets' own definitions (the model fields' names, help
texts and choices), so it always describes the columns the files actually have."""

from django.core.exceptions import FieldDoesNotExist
from django.utils import translation
from django.utils.translation import gettext as _

from tracker.spreadsheets.resources import DATASETS
from tracker.spreadsheets.widgets import CycleWidget, KeyWidget

#: What a key column holds, where the model field alone does not say it.
KEYS = {
    "region": ("ISO 3166-2 code of the region, e.g. RU-AMU", "код региона по ISO 3166-2, например RU-AMU"),
    "cycle": ("cycle as a Roman numeral, e.g. III", "цикл римской цифрой, например III"),
    "first_cycle": ("cycle first reported in, as a Roman numeral", "цикл первого упоминания, римской цифрой"),
    "project": ("project reference, e.g. AMU-001", "код проекта, например AMU-001"),
    "organization": ("organisation name as in organizations", "название организации, как в organizations"),
    "source": ("source title (or URL) as in sources", "название (или URL) источника, как в sources"),
    "evidence": ("evidence reference, e.g. AMU-001-E1", "код свидетельства, например AMU-001-E1"),
    "tier": ("tier from the score: high 7–10, moderate 4–6, low 1–3", "уровень по оценке: высокий 7–10, средний 4–6, низкий 1–3"),
    "status": ("status at the end of the release's cycle", "статус на конец цикла выпуска"),
    "initial": ("true for the automatic first «announced» change", "true для автоматического первого изменения «объявлен»"),
}


def _describe(resource, field, language):
    with translation.override(language):
        english = language == "en"
        if field.column_name in KEYS:
            return KEYS[field.column_name][0 if english else 1], ""
        try:
            model_field = resource._meta.model._meta.get_field(field.attribute)
        except FieldDoesNotExist:
            return field.column_name, ""
        meaning = str(model_field.verbose_name)
        if model_field.help_text:
            meaning += f" — {model_field.help_text}"
        values = ""
        if model_field.choices and not isinstance(field.widget, (KeyWidget, CycleWidget)):
            values = ", ".join(f"`{value}` ({label})" for value, label in model_field.flatchoices)
        elif model_field.get_internal_type() == "DateField":
            values = _("a date, YYYY-MM-DD")
        elif model_field.get_internal_type() == "BooleanField":
            values = "true / false"
        return meaning, str(values)


def data_dictionary(tables):
    lines = [
        "# Словарь данных / Data dictionary",
        "",
        "Каждый файл — один набор данных в формате импорта трекера; строки ссылаются друг на друга "
        "по ключам (коды регионов, римские номера циклов, коды проектов). Заметки редакции в выпуск не входят.",
        "",
        "Each file is one dataset in the tracker's import format; rows refer to each other by keys "
        "(region codes, cycle numerals, project references). The editors' notes are not part of a release.",
        "",
    ]
    for name, resource_class in DATASETS.items():
        resource = resource_class()
        headers = tables[name].headers if name in tables else []
        lines += [f"## `{name}` ({len(tables[name]) if name in tables else 0})", ""]
        lines += ["| column | значение | meaning | values / значения |", "|---|---|---|---|"]
        for field in resource.get_export_fields():
            if field.column_name not in headers:
                continue
            ru, values = _describe(resource, field, "ru")
            en, values_en = _describe(resource, field, "en")
            lines.append(f"| `{field.column_name}` | {ru} | {en} | {values_en or values} |")
        lines.append("")
    return "\n".join(lines)


def readme(release):
    cycle, counts = release.cycle, release.counts
    cite = release.citation()
    statuses = counts.get("statuses", {})
    lines = [
        f"# Выпуск {cycle.numeral} / Release {cycle.numeral}",
        "",
        f"{cycle.title} / {cycle.title_en}".strip(" /"),
        "",
        f"- Опубликован / published: {cycle.published_on or '—'}",
        f"- Период / period: {cycle.period_start or '…'} – {cycle.period_end or '…'}",
        f"- Проектов / projects: {counts.get('projects', 0)} "
        f"(announced {statuses.get('announced', 0)}, stalled {statuses.get('stalled', 0)}, "
        f"launched {statuses.get('launched', 0)}, dropped {statuses.get('dropped', 0)} — на конец цикла / at the end of the cycle)",
        f"- Свидетельств / evidence rows: {counts.get('evidence_total', 0)}; "
        f"изменений статуса / status changes: {counts.get('status_changes_total', 0)}",
        f"- В этом цикле / in this cycle: new projects {counts.get('new_projects', 0)}, "
        f"resolved {counts.get('resolved', 0)}, unresolved {counts.get('unresolved', 0)}, "
        f"regions rated {counts.get('regions_rated', 0)}",
        "",
        "## Как цитировать / How to cite",
        "",
        cite["ru"],
        "",
        cite["en"],
        "",
        "```bibtex",
        cite["bibtex"],
        "```",
        "",
        "## Файлы / Files",
        "",
        "Каждый набор данных — в CSV (UTF-8) и XLSX; `DATA_DICTIONARY.md` описывает столбцы, "
        "`SHA256SUMS` — контрольные суммы. Файлы выпуска не меняются; исправления после публикации "
        "перечислены как исправления (errata) на странице выпуска и входят в изменения следующего выпуска.",
        "",
        "Each dataset is in CSV (UTF-8) and XLSX; `DATA_DICTIONARY.md` describes the columns and "
        "`SHA256SUMS` holds the checksums. A release's files never change; corrections made after "
        "publication are listed as errata on the release's page and carried into the next release's changes.",
        "",
        "Повторная загрузка в пустую базу / re-import into an empty database: "
        "`python manage.py loadseeds --dir <folder with these CSV files>`.",
        "",
    ]
    return "\n".join(lines)
