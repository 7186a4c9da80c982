"""Illustrative periodic reports of Hậu Giang for 2022 and 2023, on the default schedule.

Made up (every report is stored with `illustrative=True` and its pages say "Dữ liệu minh
họa"): who sent what and when, the typed figures and the texts. The computed figures are read
from the rest of the demo (evaluations, titles, plans, OCOP, funding) as of each period's day.

- the 51 xã and the 8 districts: every monthly, quarterly, six-month and yearly report, the
  districts also the monthly progress to the Sở NN&PTNT and the ad-hoc report of August 2023;
  five departments: the six-month and yearly reports;
- most arrive 1-5 days before the deadline, about one in eight 1-6 days late, about one in
  fifteen never (the list of missing reports has something to show);
- the levels above accepted every 2022 report and the 2023 ones up to September; the later
  ones wait for review; Vị Thủy returned Vị Bình's fourth-quarter 2023 report with comments;
- Vị Bình's December 2023 monthly report is left unsent (log in as xa.vibinh to send it, as
  huyen.vithuy to accept it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from nongthon.places.models import Agency, Edition, Level, Unit
from nongthon.reporting import definitions as defs
from nongthon.reporting import services
from nongthon.reporting.models import ReportPeriod, Status, Submission

YEARS = (2022, 2023)
DEPARTMENTS = ("so-nnptnt", "so-xay-dung", "so-y-te", "so-gddt", "so-tai-chinh")
RULES = (
    "huyen-thang",
    "huyen-quy",
    "huyen-6-thang",
    "huyen-nam",
    "huyen-tien-do-so-nn",
    "xa-thang",
    "xa-quy",
    "xa-6-thang",
    "xa-nam",
    "so-6-thang",
    "so-nam",
)
LEFT_OPEN = ("31468", "xa-thang", 2023, 12)  # Vị Bình's December 2023 report: not sent
RETURNED = ("31468", "xa-quy", 2023, 4)
RETURN_COMMENT = (
    "Đề nghị xã bổ sung số lượt người được tập huấn trong quý và kết quả duy trì các tiêu chí "
    "đã đạt (minh họa)."
)
ADHOC_TITLE = "Báo cáo nhanh kết quả thực hiện tiêu chí môi trường (minh họa)"
ADHOC_DEADLINE = dt.date(2023, 8, 15)
RESULTS = (
    "Triển khai các nội dung của kế hoạch năm; rà soát, cập nhật kết quả thực hiện các tiêu chí; "
    "vận động nhân dân tham gia xây dựng nông thôn mới (minh họa)."
)
DIFFICULTIES = (
    "Nguồn vốn phân bổ chậm; một số tiêu chí về môi trường, thu nhập còn khó đạt (minh họa).",
    "Cán bộ phụ trách kiêm nhiệm nhiều việc; giá vật liệu xây dựng tăng (minh họa).",
    "",
)
PROPOSALS = (
    "Đề nghị tỉnh sớm phân bổ vốn sự nghiệp và hướng dẫn hồ sơ công nhận (minh họa).",
    "",
    "Đề nghị hỗ trợ tập huấn cho cán bộ xã về Chương trình OCOP (minh họa).",
)


def _draw(*parts: object) -> int:
    """A stable pseudo-random number 0-999 for a report (the same demo every time)."""
    key = "/".join(str(p) for p in parts).encode()
    return int(hashlib.sha256(key).hexdigest()[:8], 16) % 1000


def _sending_day(period: ReportPeriod, who: str) -> dt.date | None:
    """When the report arrives: None (never), late, or before the deadline."""
    draw = _draw(period.rule_code, period.year, period.number, who)
    if draw < 65:
        return None
    if draw < 190:
        return period.deadline + dt.timedelta(days=1 + draw % 6)
    day = period.deadline - dt.timedelta(days=draw % 5)
    return max(day, period.start)


def _texts(form: defs.FormDef, draw: int) -> dict:
    texts = {"ket_qua": RESULTS}
    if any(t.code == "kho_khan" for t in form.texts):
        texts["kho_khan"] = DIFFICULTIES[draw % 3]
    if any(t.code == "de_xuat" for t in form.texts):
        texts["de_xuat"] = PROPOSALS[draw % 3]
    return texts


def _typed(form: defs.FormDef, draw: int) -> dict:
    samples = {"htx_kien_toan": draw % 3, "nguoi_tap_huan": 20 + draw % 80}
    return {f.code: str(samples.get(f.code, draw % 2)) for f in form.typed_figures}


def _accepted_by_then(period: ReportPeriod) -> bool:
    return period.year == 2022 or period.deadline <= dt.date(2023, 9, 30)


def _report(
    period: ReportPeriod, unit: Unit, agency: Agency | None, caches: dict
) -> Submission | None:
    who = agency or unit
    key = (unit.code, period.rule_code, period.year, period.number)
    day = _sending_day(period, who.name)
    if key == RETURNED:
        day = day or period.deadline - dt.timedelta(days=2)
    if key == LEFT_OPEN or day is None:
        return None
    draw = _draw("text", who.name, period.pk)
    # Reports of the same unit due the same day read the same sources once.
    cache = caches.setdefault((unit.pk, agency.pk if agency else None, period.as_of), {})
    submission = services.open_submission(
        None, period, unit, agency, illustrative=True, cache=cache
    )
    form = period.form
    submission = services.submit(
        None,
        submission,
        submission.version,
        _typed(form, draw),
        _texts(form, draw),
        today=day,
        refresh=False,  # just read, as of the period's day
    )
    review_day = day + dt.timedelta(days=3)
    if key == RETURNED:
        return services.return_report(
            None, submission, submission.version, RETURN_COMMENT, review_day
        )
    if _accepted_by_then(period):
        return services.accept(None, submission, submission.version, today=review_day)
    return submission


def build_reporting(
    say: Callable[[str], None],
    years: tuple[int, ...] = YEARS,
    districts: tuple[str, ...] | None = None,
) -> None:
    """The reports of `years`, of every district (or of the `districts` named by code, and
    their xã: the tests build a smaller demo)."""
    province = Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code="93")
    Submission.objects.filter(unit__province=province).delete()
    Submission.objects.filter(unit=province).delete()
    ReportPeriod.objects.filter(province=province).delete()
    for year in years:
        services.ensure_periods(province, year, today=dt.date(year, 1, 1))
    chosen = Unit.objects.filter(province=province, level=Level.DISTRICT).order_by("code")
    if districts is not None:
        chosen = chosen.filter(code__in=districts)
    district_list = list(chosen)
    departments = list(Agency.objects.filter(unit=province, code__in=DEPARTMENTS).order_by("name"))
    counts = {Status.ACCEPTED: 0, Status.SUBMITTED: 0, Status.RETURNED: 0}
    if ADHOC_DEADLINE.year in years:
        services.open_adhoc(
            None,
            province,
            title=ADHOC_TITLE,
            form_code="dot-xuat",
            submitters=defs.DISTRICT,
            deadline=ADHOC_DEADLINE,
            request_text="Báo cáo nhanh số xã đạt tiêu chí môi trường và khó khăn (minh họa).",
            today=ADHOC_DEADLINE - dt.timedelta(days=14),
        )
    caches: dict = {}
    periods = ReportPeriod.objects.filter(province=province, year__in=years).order_by(
        "deadline", "rule_code"
    )
    for period in periods:
        if period.is_adhoc:
            entries = [(d, None) for d in district_list]
        elif period.rule_code not in RULES:
            continue
        elif period.submitters == defs.COMMUNE:
            entries = [(u, None) for u in _xa(province, district_list)]
        elif period.submitters == defs.DISTRICT:
            entries = [(d, None) for d in district_list]
        else:
            entries = [(province, a) for a in departments]
        for unit, agency in entries:
            report = _report(period, unit, agency, caches)
            if report is not None:
                counts[report.status] += 1
    say(
        "Báo cáo định kỳ minh họa 2022-2023: "
        f"{counts[Status.ACCEPTED]} đã chấp nhận, {counts[Status.SUBMITTED]} chờ xem xét, "
        f"{counts[Status.RETURNED]} bị trả lại"
    )


def _xa(province: Unit, districts: list[Unit]) -> list[Unit]:
    units = Unit.objects.filter(
        province=province, level=Level.COMMUNE, kind="xa", district__in=districts
    )
    return list(units.order_by("code"))
