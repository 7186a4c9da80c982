"""Helpers for the plans tests: a plan of Hậu Giang, stored evaluations of a tiny set."""

from __future__ import annotations

import datetime as dt

from nongthon.assessment.models import Evaluation
from nongthon.places.agencies import create_default_agencies
from nongthon.places.models import Agency, Level, Unit
from nongthon.plans import services


def communes(province: Unit, *names: str) -> list[Unit]:
    found = []
    for name in names:
        found.append(Unit.objects.subtree(province).communes().get(name=name))
    return found


def evaluate(criteria_set, year: int, counts: dict[Unit, int], total: int = 2) -> None:
    for unit, met in counts.items():
        Evaluation.objects.update_or_create(
            unit=unit,
            year=year,
            criteria_set=criteria_set,
            defaults={
                "met_count": met,
                "total": total,
                "all_met": met == total,
                "result": {},
            },
        )


def make_plan(province: Unit, year: int = 2022, **extra):
    fields = {
        "body": "Ban Chỉ đạo các chương trình mục tiêu quốc gia tỉnh Hậu Giang",
        "issuer_parent": "UBND tỉnh Hậu Giang",
        "title": f"Thực hiện Chương trình xây dựng nông thôn mới năm {year}",
        "year_from": year,
        "year_to": year,
        "place": "Hậu Giang",
    } | extra
    return services.create_plan(None, province, **fields)


def agencies(province: Unit) -> dict[str, Agency]:
    create_default_agencies(province)
    return {a.code: a for a in Agency.objects.filter(unit=province)}


def day(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d/%m/%Y").date()


def province_communes(province: Unit) -> list[Unit]:
    return list(Unit.objects.subtree(province).filter(level=Level.COMMUNE).order_by("code"))
