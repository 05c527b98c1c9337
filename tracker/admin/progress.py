"""How far the open cycle's follow-up has come: projects to review, reviewed and left, in
total, by region and by federal district; regions rated and not yet; new projects. A few
grouped queries, whatever the number of regions."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode

from ratings.models import FederalDistrict, Rating, Region
from tracker.models import Project

from .worklist import to_review

#: Regions the rating scores: subjects of the Russian Federation (Crimea, coded UA-43, is
#: recorded as a place but never scored).
RATED_PREFIX = "RU-"


@dataclass
class Line:
    """One row of the progress table: a region, a federal district or the total."""

    label: str
    to_review: int = 0
    reviewed: int = 0
    new: int = 0
    left_url: str = ""
    reviewed_url: str = ""
    new_url: str = ""
    rated: bool | None = None
    rating_url: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def left(self):
        return self.to_review - self.reviewed


def followup_url(**params):
    url = reverse("admin:tracker_followup_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def projects_url(**params):
    return f"{reverse('admin:tracker_project_changelist')}?{urlencode(params)}"


def summary(cycle, detailed=False):
    """The figures of `cycle`'s follow-up; `detailed` adds the per-region and
    per-district rows and the ratings."""
    counts = to_review(cycle).values("region_id", "reviewed").annotate(n=Count("pk")).order_by()
    total, done = Counter(), Counter()
    for row in counts:
        total[row["region_id"]] += row["n"]
        if row["reviewed"]:
            done[row["region_id"]] += row["n"]
    new = Counter(dict(
        Project.objects.filter(first_cycle=cycle).values_list("region_id").annotate(n=Count("pk")).order_by()
    ))
    rated_ids = set(Rating.objects.filter(cycle=cycle).values_list("region_id", flat=True))
    overall = Line(
        label="", to_review=sum(total.values()), reviewed=sum(done.values()), new=sum(new.values()),
        left_url=followup_url(), reviewed_url=followup_url(review="done"),
        new_url=projects_url(first_cycle__id__exact=cycle.pk),
    )
    regions = list(Region.objects.order_by("name_ru"))
    scored = [r for r in regions if r.iso_code.startswith(RATED_PREFIX)]
    overall.extra = {
        "rated": sum(1 for r in scored if r.pk in rated_ids),
        "not_rated": sum(1 for r in scored if r.pk not in rated_ids),
        "rated_url": f"{reverse('admin:ratings_rating_changelist')}?{urlencode({'cycle__id__exact': cycle.pk})}",
    }
    if not detailed:
        return {"total": overall}
    by_region = []
    districts = {value: Line(label=str(label)) for value, label in FederalDistrict.choices}
    for region in regions:
        line = Line(
            label=region.name, to_review=total[region.pk], reviewed=done[region.pk], new=new[region.pk],
            left_url=followup_url(region__id__exact=region.pk),
            reviewed_url=followup_url(review="done", region__id__exact=region.pk),
            new_url=projects_url(first_cycle__id__exact=cycle.pk, region__id__exact=region.pk),
        )
        if region.iso_code.startswith(RATED_PREFIX):
            line.rated = region.pk in rated_ids
            line.rating_url = (
                f"{reverse('admin:ratings_rating_changelist')}?{urlencode({'cycle__id__exact': cycle.pk, 'q': region.iso_code})}"
                if line.rated else f"{reverse('admin:ratings_rating_add')}?{urlencode({'cycle': cycle.pk, 'region': region.pk})}"
            )
        by_region.append(line)
        district = districts.get(region.federal_district)
        if district is not None:
            district.to_review += line.to_review
            district.reviewed += line.reviewed
            district.new += line.new
    for value, line in districts.items():
        line.left_url = followup_url(region__federal_district__exact=value)
        line.reviewed_url = followup_url(review="done", region__federal_district__exact=value)
        line.new_url = projects_url(first_cycle__id__exact=cycle.pk, region__federal_district__exact=value)
    return {
        "total": overall,
        "regions": [line for line in by_region if line.to_review or line.new or line.rated is False],
        "districts": list(districts.values()),
        "not_rated": [line for line in by_region if line.rated is False],
    }
