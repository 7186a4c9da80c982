"""A report's life: opened pre-filled from the stored data, typed figures and texts, sent, returned
with comments, sent again, accepted and frozen; an accepted report keeps its numbers after the
data change; stale saves and reports nobody owes are refused."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nongthon.assessment.models import Evaluation
from nongthon.places.models import Unit
from nongthon.reporting import services
from nongthon.reporting.aggregation import compile_report
from nongthon.reporting.display import report_view
from nongthon.reporting.models import Event, Status
from tests.reporting_support import (
    TEXTS,
    TYPED,
    department,
    department_officer_of,
    evaluated,
    open_2023,
    period,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def periods_2023(hau_giang):
    return open_2023(hau_giang)


MARCH_5 = dt.date(2023, 3, 5)


def values(submission) -> dict:
    view = report_view(submission)
    return {row.figure.code: row.value for s in view.sections for row in s.rows}


@pytest.fixture
def march(periods_2023, tiny_set, vi_binh, vi_dong, long_tri):
    """Vị Bình meets both criteria of the tiny set in 2023, Vị Đông one, Long Trị none."""
    evaluated(tiny_set, 2023, {vi_binh: 2, vi_dong: 1, long_tri: 0})
    return period(periods_2023, "xa-thang", 3)


def test_a_commune_report_is_prefilled_from_the_stored_evaluations(march, vi_binh, commune_officer):
    submission = services.open_submission(commune_officer, march, vi_binh)
    figures = values(submission)
    assert figures["xa_danh_gia"] == 1
    assert figures["xa_dat_chuan"] == 1
    assert figures["tong_tieu_chi_dat"] == 2
    assert figures["binh_quan_tieu_chi"] == Decimal("2.0")
    assert figures["von_giai_ngan"] == 0
    assert figures["htx_kien_toan"] is None  # typed by the commune, not yet
    assert submission.status == Status.DRAFT
    # Opening again gives the same report.
    assert services.open_submission(commune_officer, march, vi_binh).pk == submission.pk


def test_a_district_report_sums_its_communes(march, periods_2023, vi_thuy, district_officer):
    submission = services.open_submission(
        district_officer, period(periods_2023, "huyen-thang", 3), vi_thuy
    )
    figures = values(submission)
    assert (figures["xa_danh_gia"], figures["xa_dat_chuan"]) == (2, 1)
    assert figures["binh_quan_tieu_chi"] == Decimal("1.5")


def test_sending_needs_every_typed_figure_and_the_results_text(march, vi_binh, commune_officer):
    submission = services.open_submission(commune_officer, march, vi_binh)
    with pytest.raises(ValidationError) as error:
        services.submit(
            commune_officer,
            submission,
            submission.version,
            {"htx_kien_toan": "hai"},
            {"ket_qua": " "},
            today=MARCH_5,
        )
    fields = set(error.value.error_dict)
    assert {"typed_htx_kien_toan", "typed_nguoi_tap_huan"} <= fields
    assert "Số hợp tác xã" in error.value.error_dict["typed_htx_kien_toan"][0].messages[0]
    submission.refresh_from_db()
    assert submission.status == Status.DRAFT and submission.first_submitted_on is None
    with pytest.raises(ValidationError) as error:
        services.submit(commune_officer, submission, submission.version, TYPED, {}, today=MARCH_5)
    assert set(error.value.error_dict) == {"text_ket_qua"}


def test_typed_figures_read_vietnamese_numbers(march, vi_binh, commune_officer):
    submission = services.open_submission(commune_officer, march, vi_binh)
    sent = services.submit(commune_officer, submission, submission.version, TYPED, TEXTS, MARCH_5)
    assert sent.typed == {"htx_kien_toan": 2, "nguoi_tap_huan": 1250, "xuc_tien_thuong_mai": 1}
    assert sent.status == Status.SUBMITTED
    assert sent.first_submitted_on == MARCH_5


def test_returned_with_comments_then_sent_again_keeps_the_first_date(
    march, vi_binh, commune_officer, district_officer
):
    submission = services.open_submission(commune_officer, march, vi_binh)
    sent = services.submit(commune_officer, submission, submission.version, TYPED, TEXTS, MARCH_5)
    with pytest.raises(ValidationError) as error:
        services.return_report(district_officer, sent, sent.version, "  ")
    assert "comment" in error.value.error_dict
    returned = services.return_report(
        district_officer, sent, sent.version, "Bổ sung số liệu tập huấn.", dt.date(2023, 3, 7)
    )
    assert returned.status == Status.RETURNED
    again = services.submit(
        commune_officer,
        returned,
        returned.version,
        {**TYPED, "nguoi_tap_huan": "1.300"},
        TEXTS,
        dt.date(2023, 3, 12),
    )
    assert again.status == Status.SUBMITTED
    assert again.first_submitted_on == MARCH_5  # on time: it first came before the 10th
    actions = list(again.events.values_list("action", "comment"))
    assert actions == [
        (Event.Action.SUBMITTED, ""),
        (Event.Action.RETURNED, "Bổ sung số liệu tập huấn."),
        (Event.Action.SUBMITTED, ""),
    ]


def test_an_accepted_report_keeps_its_figures_after_the_data_change(
    march, tiny_set, vi_binh, commune_officer, district_officer, periods_2023
):
    submission = services.open_submission(commune_officer, march, vi_binh)
    sent = services.submit(commune_officer, submission, submission.version, TYPED, TEXTS, MARCH_5)
    accepted = services.accept(district_officer, sent, sent.version, today=dt.date(2023, 3, 8))
    assert accepted.snapshot["figures"]["values"]["xa_dat_chuan"] == 1
    before = values(accepted)
    compiled_before = compile_report(vi_binh.district, "monthly", 2023, 3, dt.date(2023, 4, 1))

    # Later: the commune's evaluation is corrected (it now meets one criterion only), and the
    # form's stored figures are tampered with: the accepted report reads its snapshot.
    Evaluation.objects.filter(unit=vi_binh, year=2023).update(met_count=1, all_met=False)
    accepted.figures = {"values": {"xa_dat_chuan": 0, "tong_tieu_chi_dat": 1}}
    accepted.save()
    accepted.refresh_from_db()

    assert values(accepted) == before
    assert values(accepted)["tong_tieu_chi_dat"] == 2
    compiled_after = compile_report(vi_binh.district, "monthly", 2023, 3, dt.date(2023, 4, 1))
    line = next(x for x in compiled_after.forms[0].lines if x.figure.code == "tong_tieu_chi_dat")
    line_before = next(
        x for x in compiled_before.forms[0].lines if x.figure.code == "tong_tieu_chi_dat"
    )
    assert line.value == line_before.value == 2  # from the accepted report
    # The system's figure for the district (Vị Bình and Vị Đông) moved with the data.
    assert (line_before.system, line.system) == (3, 2)
    with pytest.raises(ValidationError):
        services.save_draft(commune_officer, accepted, accepted.version, TYPED, TEXTS)


def test_a_stale_save_is_refused(march, vi_binh, commune_officer):
    submission = services.open_submission(commune_officer, march, vi_binh)
    services.save_draft(commune_officer, submission, submission.version, TYPED, TEXTS)
    with pytest.raises(ValidationError) as error:
        services.save_draft(commune_officer, submission, submission.version, {}, {"ket_qua": "x"})
    assert error.value.code == "stale"


def test_a_unit_that_owes_nothing_cannot_open_the_report(periods_2023, march):
    phuong = Unit.objects.get(code="31318", level="commune")  # Phường I, Vị Thanh: not a xã
    with pytest.raises(ValidationError) as error:
        services.open_submission(None, march, phuong)
    assert "Phường I" in error.value.messages[0]


def test_a_report_cannot_be_sent_before_its_period_starts(march, vi_binh, commune_officer):
    submission = services.open_submission(commune_officer, march, vi_binh)
    with pytest.raises(ValidationError) as error:
        services.submit(
            commune_officer, submission, submission.version, TYPED, TEXTS, dt.date(2023, 2, 27)
        )
    assert "01/03/2023" in error.value.messages[0]


def test_a_department_report_lists_the_criteria_it_answers_for(
    periods_2023, tiny_set, vi_binh, vi_dong, hau_giang
):
    from nongthon.catalogue.models import CriterionResponsibility

    evaluated(tiny_set, 2023, {vi_binh: 2, vi_dong: 1})
    so_xd = department(hau_giang, "so-xay-dung", "Sở Xây dựng")
    CriterionResponsibility.objects.create(
        province=hau_giang, family=tiny_set.family, criterion_number=3, agency=so_xd
    )
    officer = department_officer_of(so_xd, "soxd")
    submission = services.open_submission(
        officer, period(hau_giang, "so-6-thang"), hau_giang, so_xd
    )
    table = values(submission)["bang_tieu_chi"]
    assert [row[0] for row in table["rows"]] == [3]
    assert submission.unit == hau_giang and submission.agency == so_xd
    other = department(hau_giang, "so-y-te", "Sở Y tế")
    with pytest.raises(PermissionDenied):
        services.open_submission(officer, period(hau_giang, "so-6-thang"), hau_giang, other)
