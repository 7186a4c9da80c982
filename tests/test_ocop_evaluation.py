"""Evaluation: councils by level and rule, rounds with deadlines, each member scores their own
sheet, the result is the average with the star and the criterion that held it below its band;
sheets are snapshotted, and an admin completes or corrects a sheet as a new version."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nongthon.ocop import services
from nongthon.ocop.models import CouncilLevel, ScoreSheet
from tests.conftest import client_for
from tests.ocop_support import council_with, producer_at, product_of

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 20)


@pytest.fixture
def open_evaluation(vi_binh, hau_giang):
    council, users = council_with(hau_giang, members=3)
    product = product_of(producer_at(vi_binh))
    round_ = services.create_round(
        None,
        council=council,
        name="Đợt 2 năm 2026",
        evaluated_on=DAY,
        deadline=dt.date(2026, 12, 30),
    )
    evaluation = services.add_to_round(None, round=round_, product=product)
    return evaluation, users


def full(evaluation, **changes):
    sheet = services.evaluation_sheet(evaluation)
    points = {leaf.code: leaf.max for leaf in sheet.leaves}
    points.update({k.replace("_", "."): Decimal(v) for k, v in changes.items()})
    return points


def test_members_score_and_the_result_names_the_gate(open_evaluation, province_coordinator):
    evaluation, users = open_evaluation
    services.save_member_score(
        users[0], evaluation=evaluation, points=full(evaluation), submit=True
    )
    services.save_member_score(
        users[1], evaluation=evaluation, points=full(evaluation, **{"4_1": 3}), submit=True
    )
    # A draft does not count.
    services.save_member_score(users[2], evaluation=evaluation, points={"1.1": Decimal(1)})
    result = services.finalize(province_coordinator, evaluation=evaluation)
    assert result.total == Decimal("99.00")
    assert result.band_star == 5 and result.star == 4
    assert result.blockers[0]["code"] == "4.1" and result.blockers[0]["star"] == 5
    assert result.parts == {"A": "40.00", "B": "24.00", "C": "35.00"}
    page = client_for(province_coordinator).get(reverse("ocop:result", args=[evaluation.pk]))
    text = page.content.decode()
    assert 'data-testid="blockers"' in text and "4.1" in text and "99,00" in text


def test_only_members_score_their_own_sheet(open_evaluation, province_coordinator, hau_giang):
    evaluation, _users = open_evaluation
    with pytest.raises(PermissionDenied):
        services.save_member_score(
            province_coordinator, evaluation=evaluation, points=full(evaluation), submit=True
        )
    _other, outsiders = council_with(hau_giang, members=1, prefix="khac")
    with pytest.raises(PermissionDenied):
        services.save_member_score(
            outsiders[0], evaluation=evaluation, points=full(evaluation), submit=True
        )
    url = reverse("ocop:score", args=[evaluation.pk])
    assert client_for(outsiders[0]).get(url).status_code == 404


def test_submitted_sheet_must_be_complete(open_evaluation):
    evaluation, users = open_evaluation
    points = full(evaluation)
    del points["2.1"]
    with pytest.raises(ValidationError, match="2.1"):
        services.save_member_score(users[0], evaluation=evaluation, points=points, submit=True)


def test_no_score_after_finalize(open_evaluation):
    evaluation, users = open_evaluation
    services.save_member_score(
        users[0], evaluation=evaluation, points=full(evaluation), submit=True
    )
    services.finalize(None, evaluation=evaluation)
    evaluation.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.save_member_score(
            users[1], evaluation=evaluation, points=full(evaluation), submit=True
        )


def test_scoring_page_posts_the_sheet(open_evaluation):
    evaluation, users = open_evaluation
    client = client_for(users[0])
    data = {f"c-{k}": str(v) for k, v in full(evaluation).items()}
    data["action"] = "submit"
    response = client.post(reverse("ocop:score", args=[evaluation.pk]), data)
    assert response.status_code == 302
    score = evaluation.scores.get(member=users[0])
    assert score.submitted and score.total == Decimal(100)


def test_district_council_only_in_the_district_era(vi_thuy):
    council, _users = council_with(vi_thuy, level=CouncilLevel.DISTRICT)
    services.create_round(
        None,
        council=council,
        name="2024",
        evaluated_on=dt.date(2024, 6, 1),
        deadline=dt.date(2024, 6, 30),
    )
    with pytest.raises(ValidationError, match="cấp huyện"):
        services.create_round(
            None,
            council=council,
            name="2025",
            evaluated_on=dt.date(2025, 8, 1),
            deadline=dt.date(2025, 8, 30),
        )


def test_round_deadline_after_evaluation(hau_giang):
    council, _users = council_with(hau_giang)
    with pytest.raises(ValidationError) as info:
        services.create_round(
            None, council=council, name="x", evaluated_on=DAY, deadline=DAY - dt.timedelta(days=1)
        )
    assert "deadline" in info.value.error_dict


def test_submission_after_the_deadline_is_refused(vi_binh, hau_giang):
    council, users = council_with(hau_giang)
    product = product_of(producer_at(vi_binh))
    round_ = services.create_round(
        None,
        council=council,
        name="Cũ",
        evaluated_on=dt.date(2026, 6, 1),
        deadline=dt.date(2026, 6, 30),
    )
    evaluation = services.add_to_round(None, round=round_, product=product)
    with pytest.raises(ValidationError, match="quá hạn"):
        services.save_member_score(
            users[0], evaluation=evaluation, points=full(evaluation), submit=True
        )


def test_sheet_correction_is_a_new_version_and_old_evaluations_keep_theirs(
    open_evaluation, system_admin, province_coordinator
):
    evaluation, _users = open_evaluation
    row = ScoreSheet.objects.get(rule="qd26-2026", number=1)
    text = row.text.replace("Nhỏ", "Nhỏ (sửa)")
    with pytest.raises(PermissionDenied):
        services.update_sheet(
            province_coordinator,
            sheet=row,
            text=text,
            expected_version=row.version,
            reason="QĐ 26/2026",
        )
    updated = services.update_sheet(
        system_admin, sheet=row, text=text, expected_version=row.version, reason="Đối chiếu bản gốc"
    )
    assert updated.version == 2 and updated.history.count() == 2
    assert "Nhỏ (sửa)" in str(updated.content)
    assert "Nhỏ (sửa)" not in str(evaluation.sheet_content)
    with pytest.raises(ValidationError, match="Người khác đã sửa"):
        services.update_sheet(system_admin, sheet=row, text=text, expected_version=1, reason="x")


def test_sheet_upload_checked_whole(system_admin):
    row = ScoreSheet.objects.get(rule="qd26-2026", number=5)
    client = client_for(system_admin)
    bad = row.text.replace("max: 16", "max: 17")
    response = client.post(
        reverse("ocop:sheet", args=[row.pk]),
        {
            "version": row.version,
            "reason": "Bổ sung",
            "file": SimpleUploadedFile("05.yaml", bad.encode()),
        },
    )
    assert response.status_code == 200
    assert "tổng điểm các mục" in response.content.decode()
    good = row.text.replace("status: structure", "status: partial")
    response = client.post(
        reverse("ocop:sheet", args=[row.pk]),
        {
            "version": row.version,
            "reason": "Bổ sung",
            "file": SimpleUploadedFile("05.yaml", good.encode()),
        },
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == "partial" and row.version == 2


def test_wrong_sheet_file_refused(system_admin):
    row = ScoreSheet.objects.get(rule="qd26-2026", number=5)
    other = ScoreSheet.objects.get(rule="qd26-2026", number=6)
    with pytest.raises(ValidationError, match="không phải phiếu"):
        services.update_sheet(
            system_admin, sheet=row, text=other.text, expected_version=row.version, reason="x"
        )


def test_every_shipped_sheet_loaded():
    counts = {
        r: ScoreSheet.objects.filter(rule=r).count()
        for r in ("qd1048-2019", "qd148-2023", "qd26-2026")
    }
    assert counts == {"qd1048-2019": 26, "qd148-2023": 6, "qd26-2026": 26}
    assert ScoreSheet.objects.get(rule="qd26-2026", number=1).status == "full"
    assert ScoreSheet.objects.get(rule="qd26-2026", number=7).status == "partial"
