"""What the API's schema says to its readers — the parameters and the operations —, in
English, translated like every text of the tracker."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

STATUS_NOW = _("The status at the end of the latest published cycle.")
BASIS_NOW = _("How that status is known: stated by a source, inferred from silence, or the editors' judgement.")
DISPUTED = _("Whether the published record holds a denial or a contrary report.")
AS_OF = _(
    "Read `status` and `basis` at the end of this published cycle instead of now (the end of the "
    "latest published cycle). A Roman numeral (III) or a number (3)."
)
FIRST_CYCLE = _("Projects first reported in this cycle. A Roman numeral (III) or a number (3).")
EVIDENCE_IN = _("Projects with evidence recorded in this cycle. A Roman numeral (III) or a number (3).")
PARTNER_COUNTRY = _("Projects with a partner from this country: an ISO 3166-1 alpha-2 code such as CN.")
ORDERING = _(
    "Order of the results: a field name, or the same with a minus sign for the reverse order "
    "(`-amount`); by reference by default, and by reference among equals."
)
PROJECT_FILTERS = {
    "q": _(
        "Words to find (at most 8, 200 characters) in titles, references, locations, evidence "
        "summaries and partner names, in Russian or English; every word must be found. Unless "
        "`ordering` is given, the most relevant come first (a word in a title weighs most, then "
        "in a partner's name), equally relevant ones in the order they were entered; past 20,000 "
        "matches, those whose titles or partners hold the words first, then the others in the "
        "order they were entered. `count` is every match."
    ),
    "region": _("Projects in this region, named by its slug (see /api/v1/regions/)."),
    "federal_district": _("Projects in a region of this federal district."),
    "sector": _("Projects of this sector."),
    "status": _("Projects with this status now — at the end of the latest published cycle — or at the end of `as_of`."),
    "basis": _(
        "Projects whose status (now, or at the end of `as_of`) is known this way: stated by a "
        "source, inferred from silence, or the editors' judgement."
    ),
    "disputed": _("`yes`: only projects whose record holds a denial or a contrary report; `no`: only the others."),
    "partner": _("Projects with a partner whose name (Russian or English) contains this text, or the organisation with this id."),
    "amount_min": _("Projects announced with at least this amount (in their own currency)."),
    "amount_max": _("Projects announced with at most this amount (in their own currency)."),
    "announced_from": _("Projects announced on or after this date (YYYY-MM-DD)."),
    "announced_to": _("Projects announced on or before this date (YYYY-MM-DD)."),
}
EVIDENCE_CYCLE = _("Evidence recorded in this cycle. A Roman numeral (III) or a number (3).")
EVIDENCE_FILTERS = {
    "region": _("Evidence on projects in this region, named by its slug."),
    "kind": _("Evidence of this kind."),
    "project": _("Evidence on the project with this reference (such as AMU-001)."),
}
STATUS_CHANGE_CYCLE = _("Status changes recorded in this cycle. A Roman numeral (III) or a number (3).")
STATUS_CHANGE_FILTERS = {
    "status": _("Changes to this status."),
    "basis": _("Changes known this way: stated by a source, inferred from silence, or the editors' judgement."),
    "project": _("Changes of the project with this reference (such as AMU-001)."),
}
BORDERS_CHINA = _("`true`: only regions that border China; `false`: only the others.")
REGION_FILTERS = {"federal_district": _("Regions of this federal district.")}
ORGANIZATION_COUNTRY = _("Organisations of this country: an ISO 3166-1 alpha-2 code such as CN.")
ORGANIZATION_FILTERS = {
    "q": _("Words to find in the name, Russian or English (at most 8, 200 characters); every word must be found."),
    "kind": _("Organisations of this kind."),
}
UNRESOLVED_CYCLE = _(
    "The cycle of the report (the latest published one by default). A Roman numeral (III) or a number (3)."
)
NUMERAL = _("The cycle's Roman numeral (III) or number (3).")

OPERATIONS = {
    "projects_list": (
        _("Projects"),
        _(
            "The projects of the published record, with their status at the end of the latest published "
            "cycle, filtered as on the researchers' projects page."
        ),
    ),
    "projects_retrieve": (
        _("A project and its timeline"),
        _("One project by its reference, with its partners and its timeline: evidence and status changes in order."),
    ),
    "regions_list": (_("Regions"), _("The regions, with their number of projects and their ratings per published cycle.")),
    "regions_retrieve": (_("A region"), _("One region by its slug, with its ratings per published cycle.")),
    "organizations_list": (
        _("Organisations"),
        _("The partners with at least one project in the published record, with their number of projects."),
    ),
    "organizations_retrieve": (_("An organisation"), _("One partner by its id.")),
    "evidence_list": (pgettext_lazy("api operation", "Evidence"), _("Dated, sourced observations on the projects, of the published cycles.")),
    "status_changes_list": (
        _("Status changes"),
        _("The status history of the projects, of the published cycles; a project's first change is its announcement."),
    ),
    "unresolved_list": (
        _("Unresolved projects"),
        _(
            "The earlier announcements still unfinished at the end of a cycle, oldest and largest first, with "
            "their follow-up figures and the status the silence policy suggests; the projects' filters apply."
        ),
    ),
    "releases_list": (_("Releases"), _("The releases of the published cycles, with their files and how to cite them.")),
    "releases_retrieve": (_("A release"), _("One release by its cycle, with the changes since the previous one.")),
    "cycles_list": (_("Cycles"), _("The published cycles of the rating.")),
    "cycles_retrieve": (_("A cycle"), _("One published cycle.")),
}

AGE = _("Cycles since the project was first reported.")
AT_START = _("The status at the start of the cycle (the end of the one before).")
AT_END = _("The status at the end of the cycle.")
BASIS_AT_END = _("How the status at the end of the cycle is known.")
LAST_EVIDENCE = _("The date of the latest dated evidence recorded in the cycle or before.")
SILENT = _("Whether the cycle brought no evidence at all.")
SILENT_CYCLES = _("Cycles without evidence since the latest evidence (or since the first cycle).")
LAST_PROGRESS = _("The latest result's date, else the announcement date, else the earliest evidence date.")
SUGGESTED = _("What the silence policy suggests (a suggestion; it changes nothing).")
COUNTS = _(
    "The release's figures: projects, their statuses at the end of the cycle, evidence and status "
    "changes in all and of the cycle, projects new, resolved and unresolved in it, regions rated."
)
CHANGES = _(
    "What changed since the previous release: new projects, status moves, projects resolved, scores, "
    "corrections made after the previous release."
)

NO_PROJECT = _("There is no project “%(key)s” in the published record.")
NO_REGION = _("There is no region “%(key)s”.")
NO_ORGANIZATION = _("There is no organisation “%(key)s” among those of the published record.")
NO_RELEASE = _("There is no release “%(key)s”.")
NONE_PUBLISHED = _("No cycle has been published yet.")
