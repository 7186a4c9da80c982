"""The map's data: the communes of a province or district with their point (places.Unit's
coordinates), their polygon where a boundary file is loaded, their criteria met per year (the
NTM set the dashboard reads) and the titles they held, as one JSON document the page colours
client-side as the year slider and filters move. A handful of queries per request, whatever the
number of communes.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from nongthon.assessment.models import Evaluation
from nongthon.catalogue.models import Tier
from nongthon.places.models import Level, Unit
from nongthon.places.official_lists import source_label
from nongthon.web import boundaries
from nongthon.web.dashboard import TIER_COLORS, TITLE_TIERS, criteria_trend

NO_DATA_COLOR = "#adb5bd"
# Criteria met: (lowest count, colour, label); "all met" is judged against the set's size.
MET_BANDS = [
    (15, "#74c476", "15+"),
    (10, "#fd8d3c", "10–14"),
    (0, "#de2d26", "< 10"),
]
ALL_MET_COLOR = "#006d2c"
SLOT = 987654321  # a unit id no database reaches, replaced in reversed URLs


def map_config() -> dict:
    """Tiles only when configured (NONGTHON_MAP_TILES_URL): by default a plain background, so
    the map works without internet."""
    url = getattr(settings, "NONGTHON_MAP_TILES_URL", "")
    if not url:
        return {"tiles": None}
    return {
        "tiles": {
            "url": url,
            "attribution": getattr(settings, "NONGTHON_MAP_TILES_ATTRIBUTION", ""),
        }
    }


def map_data(scope: Unit) -> dict:
    """Everything the map page draws for the communes under `scope` (a province or district)."""
    province_id = scope.pk if scope.level == Level.PROVINCE else scope.province_id
    communes = list(
        Unit.objects.filter(province_id=province_id, level=Level.COMMUNE)
        .filter(**({"district": scope} if scope.level == Level.DISTRICT else {}))
        .order_by("district__code", "code")
        .values("pk", "name", "code", "kind", "district_id", "latitude", "longitude")
    )
    ids = [c["pk"] for c in communes]
    districts = list(
        Unit.objects.filter(pk__in={c["district_id"] for c in communes})
        .order_by("code")
        .values_list("pk", "name")
    )
    trend = criteria_trend(scope, 9999)
    sets = {t.year: t.summary.criteria_set for t in trend}
    met: dict[int, dict[str, dict]] = {}
    # One reverse() per year and per page, not per commune: the map of a large province
    # holds thousands of links.
    scorecards = {
        year: reverse("assessment:results_scorecard", args=[SLOT, year, s.family])
        for year, s in sets.items()
    }
    unit_page = reverse("places:unit", args=[SLOT])
    if sets:
        from django.db.models import Q

        wanted = Q(pk__in=[])
        for year, criteria_set in sets.items():
            wanted |= Q(year=year, criteria_set=criteria_set)
        for unit_id, year, met_count, total in (
            Evaluation.objects.filter(wanted, unit_id__in=ids)
            .values_list("unit_id", "year", "met_count", "total")
            .iterator()
        ):
            met.setdefault(unit_id, {})[str(year)] = {
                "met": met_count,
                "total": total,
                "url": scorecards[year].replace(str(SLOT), str(unit_id)),
            }
    titles: dict[int, list] = {}
    from nongthon.recognition.models import Title

    for unit_id, tier, since, ended in (
        Title.objects.filter(unit_id__in=ids, tier__in=TITLE_TIERS)
        .values_list("unit_id", "tier", "decision__date", "ended_on")
        .order_by("decision__date")
    ):
        titles.setdefault(unit_id, []).append(
            [tier, since.isoformat(), ended.isoformat() if ended else None]
        )
    shapes = boundaries.geometries(boundaries.active_file(province_id), ids)
    labels = dict(Tier.choices)
    years = sorted(sets)
    return {
        "scope": {"id": scope.pk, "name": scope.name, "level": scope.level},
        "years": years,
        "year": years[-1] if years else None,
        "districts": districts,
        "tiers": [[t, str(labels[t]), TIER_COLORS[t]] for t in TITLE_TIERS],
        "legend": {
            "title": [[str(labels[t]), TIER_COLORS[t]] for t in reversed(TITLE_TIERS)]
            + [[_("Chưa có danh hiệu"), NO_DATA_COLOR]],
            "met": [[_("Đạt đủ tiêu chí"), ALL_MET_COLOR]]
            + [[_("%(b)s tiêu chí") % {"b": label}, color] for _low, color, label in MET_BANDS]
            + [[_("Chưa có kết quả"), NO_DATA_COLOR]],
        },
        "bands": [[low, color] for low, color, _label in MET_BANDS],
        "all_met_color": ALL_MET_COLOR,
        "no_data_color": NO_DATA_COLOR,
        "source": _(
            "Tọa độ: %(source)s (vị trí gần đúng, mã hóa địa lý từ Google Geocoding API theo "
            "tài liệu của gói)."
        )
        % {"source": source_label()},
        "communes": [
            {
                "id": c["pk"],
                "name": c["name"],
                "district": c["district_id"],
                "lat": str(c["latitude"]) if c["latitude"] is not None else None,
                "lon": str(c["longitude"]) if c["longitude"] is not None else None,
                "geometry": shapes.get(c["pk"]),
                "years": met.get(c["pk"], {}),
                "titles": titles.get(c["pk"], []),
                "url": unit_page.replace(str(SLOT), str(c["pk"])),
            }
            for c in communes
        ],
    }
