"""The QĐ 18/2022 procedure: steps by their configured actors, the posting rule, eligibility from
data (the refusal names the condition and its data), return and resubmit with full history, the
decision creating the title with its frozen evaluation, and the debt source."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nongthon.recognition import eligibility, services
from nongthon.recognition.models import (
    ApplicationStatus,
    EventKind,
    StepStatus,
    Title,
)
from nongthon.recognition.rules import procedure
from tests.recognition_support import conditions_met, decision_data, evaluate, load_qd318, walk

D = dt.date(2023, 9, 1)


@pytest.fixture
def qd318(db):
    return load_qd318()


def test_registration_opens_the_first_step_with_every_step_listed(vi_binh, qd318, commune_officer):
    app = services.register(commune_officer, vi_binh, "ntm", 2023, on=D)
    steps = list(app.steps.order_by("order"))
    assert [s.code for s in steps] == [s.code for s in procedure("qd18-2022-xa").steps]
    assert steps[0].status == StepStatus.CURRENT and steps[0].started_on == D
    assert app.criteria_set == qd318
    assert app.events.get().kind == EventKind.REGISTERED


def test_other_communes_may_not_register_or_act(vi_binh, qd318, other_commune_officer, viewer):
    for user in (other_commune_officer, viewer):
        with pytest.raises(PermissionDenied):
            services.register(user, vi_binh, "ntm", 2023)
    app = services.register(None, vi_binh, "ntm", 2023)
    with pytest.raises(PermissionDenied):
        services.complete_step(other_commune_officer, app, expected_version=1)


def test_each_step_is_completed_by_its_configured_actor(
    vi_binh, qd318, commune_officer, district_officer, province_coordinator
):
    app = walk(services.register(None, vi_binh, "ntm", 2023, on=D), "district_check")
    # The commune may not do the district's check; the district may.
    with pytest.raises(PermissionDenied):
        services.complete_step(commune_officer, app, expected_version=app.version)
    app = services.complete_step(district_officer, app, expected_version=app.version, done_on=D)
    assert app.current_step == "province_appraisal"
    with pytest.raises(PermissionDenied):
        services.complete_step(district_officer, app, expected_version=app.version)
    app = services.complete_step(province_coordinator, app, expected_version=app.version)
    assert app.current_step == "council"


def test_public_posting_needs_five_times_within_fifteen_days(vi_binh, qd318):
    app = walk(services.register(None, vi_binh, "ntm", 2023, on=D), "public_posting")
    with pytest.raises(ValidationError) as error:
        services.complete_step(None, app, expected_version=None, posting_count=4, posting_days=15)
    assert "ít nhất 5 lần" in str(error.value.error_dict["posting_count"])
    with pytest.raises(ValidationError) as error:
        services.complete_step(None, app, expected_version=None, posting_count=5, posting_days=20)
    assert "15 ngày" in str(error.value.error_dict["posting_days"])
    app = services.complete_step(None, app, expected_version=None, posting_count=5, posting_days=15)
    assert app.current_step == "satisfaction"


def test_decision_is_refused_naming_the_failing_criterion_and_its_data(
    vi_binh, qd318, province_coordinator
):
    evaluate(vi_binh, qd318, failing=(17,))
    app = conditions_met(walk(services.register(None, vi_binh, "ntm", 2023, on=D)))
    with pytest.raises(ValidationError) as error:
        services.decide(province_coordinator, app, decision_data(), expected_version=app.version)
    message = " ".join(error.value.messages)
    assert "Đạt đủ các tiêu chí" in message
    assert "18/19" in message and "tiêu chí 17" in message and "60% < 80%" in message
    assert not Title.objects.exists()
    # The refusal stays in the application's timeline.
    refusal = app.events.get(kind=EventKind.REFUSED)
    assert "tiêu chí 17" in refusal.text and refusal.actor == province_coordinator


def test_decision_is_refused_for_each_missing_condition(vi_binh, qd318, province_coordinator):
    evaluate(vi_binh, qd318)
    app = walk(services.register(None, vi_binh, "ntm", 2023, on=D))
    with pytest.raises(ValidationError) as error:
        services.decide(province_coordinator, app, decision_data(), expected_version=app.version)
    message = " ".join(error.value.messages)
    assert "hài lòng" in message and "Chưa ghi nhận kết quả" in message
    assert "nợ đọng" in message and "chưa ghi nhận số nợ đọng" in message
    assert "an ninh" in message


def test_outstanding_debt_blocks_the_decision_with_its_amount(vi_binh, qd318, province_coordinator):
    evaluate(vi_binh, qd318)
    app = conditions_met(walk(services.register(None, vi_binh, "ntm", 2023, on=D)))
    app = services.record_manual_debt(
        province_coordinator, app, amount=Decimal("1250.5"), basis="Báo cáo", expected_version=None
    )
    with pytest.raises(ValidationError) as error:
        services.decide(province_coordinator, app, decision_data(), expected_version=app.version)
    assert "1.250,5 triệu đồng" in " ".join(error.value.messages)
    assert "Tinh" in " ".join(error.value.messages)  # who recorded it


def test_debt_comes_from_the_recorded_works_once_the_commune_has_any(
    vi_binh, qd318, province_coordinator
):
    from nongthon.funding import services as funding

    evaluate(vi_binh, qd318)
    app = conditions_met(walk(services.register(None, vi_binh, "ntm", 2023, on=D)))
    app.manual_debt = Decimal(0)  # the hand figure no longer counts once works are recorded
    app.save()
    road = funding.create_work(
        None, vi_binh, name="Đường trục xã", family="qd318-xa-ntm", criterion_number=2,
        investment_total="2 tỷ đồng", start_date=dt.date(2021, 3, 1),
    )  # fmt: skip
    funding.record_debt(None, road, "850 triệu đồng", 2021)
    amount, source = eligibility.outstanding_debt(app, dt.date(2023, 12, 1))
    assert amount == Decimal("850000000") and "nguồn vốn" in source
    with pytest.raises(ValidationError) as error:
        services.decide(province_coordinator, app, decision_data(), expected_version=app.version)
    assert "nợ đọng" in " ".join(error.value.messages)


def test_decision_creates_the_title_with_the_evaluation_frozen(
    vi_binh, qd318, province_coordinator
):
    evaluation = evaluate(vi_binh, qd318)
    app = conditions_met(walk(services.register(None, vi_binh, "ntm", 2023, on=D)))
    title = services.decide(
        province_coordinator, app, decision_data(), expected_version=app.version
    )
    assert title.decision.number == "1/QĐ-UBND" and title.year == 2023
    assert title.snapshot["met_count"] == 19 and title.snapshot["set"]["code"] == "qd318-xa-ntm"
    app.refresh_from_db()
    assert app.status == ApplicationStatus.DECIDED
    # A later change of the values does not change the record.
    evaluate(vi_binh, qd318, failing=(2, 10))
    title.refresh_from_db()
    assert title.snapshot["all_met"] is True
    assert title.snapshot["evaluation_id"] == evaluation.pk


def test_only_the_province_decides(vi_binh, qd318, district_officer):
    evaluate(vi_binh, qd318)
    app = conditions_met(walk(services.register(None, vi_binh, "ntm", 2023, on=D)))
    with pytest.raises(PermissionDenied):
        services.decide(district_officer, app, decision_data(), expected_version=app.version)


def test_decision_cannot_come_before_the_decision_step(vi_binh, qd318, province_coordinator):
    evaluate(vi_binh, qd318)
    app = conditions_met(walk(services.register(None, vi_binh, "ntm", 2023, on=D), "council"))
    with pytest.raises(ValidationError) as error:
        services.decide(province_coordinator, app, decision_data(), expected_version=app.version)
    assert "chưa đến bước quyết định" in " ".join(error.value.messages)


def test_return_and_resubmit_keep_the_full_history(
    vi_binh, qd318, district_officer, commune_officer
):
    app = walk(services.register(None, vi_binh, "ntm", 2023, on=D), "district_check")
    with pytest.raises(PermissionDenied):
        services.return_application(
            commune_officer, app, to_step="self_report", reason="x", expected_version=None
        )
    with pytest.raises(ValidationError):
        services.return_application(
            district_officer, app, to_step="self_report", reason="", expected_version=None
        )
    app = services.return_application(
        district_officer,
        app,
        to_step="public_posting",
        reason="Chỉ công khai 4 lần",
        expected_version=app.version,
    )
    assert app.status == ApplicationStatus.RETURNED and app.current_step == "public_posting"
    assert app.steps.get(code="front_comments").status == StepStatus.DONE
    assert app.steps.get(code="satisfaction").status == StepStatus.PENDING
    with pytest.raises(ValidationError):
        services.complete_step(commune_officer, app, expected_version=app.version)
    app = services.resubmit(commune_officer, app, note="Bổ sung", expected_version=app.version)
    assert app.status == ApplicationStatus.IN_PROGRESS
    kinds = list(app.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.STEP_DONE) == 4
    assert kinds[-2:] == [EventKind.RETURNED, EventKind.RESUBMITTED]
    assert "Chỉ công khai 4 lần" in app.events.get(kind=EventKind.RETURNED).text
    # The earlier completion of the posting step stays in the step's history.
    assert app.steps.get(code="public_posting").history.filter(status="done").exists()


def test_a_stale_save_is_refused_saying_who_changed_what(vi_binh, qd318, district_officer):
    app = services.register(None, vi_binh, "ntm", 2023, on=D)
    old = app.version
    services.complete_step(None, app, expected_version=old, done_on=D)
    with pytest.raises(ValidationError) as error:
        services.complete_step(None, app, expected_version=old, done_on=D)
    assert error.value.code == "stale"
    assert "bước hiện tại" in error.value.messages[0]


def test_a_held_title_cannot_be_applied_for_again(vi_binh, qd318, province_coordinator):
    evaluate(vi_binh, qd318)
    app = conditions_met(walk(services.register(None, vi_binh, "ntm", 2023, on=D)))
    services.decide(province_coordinator, app, decision_data(), expected_version=app.version)
    with pytest.raises(ValidationError) as error:
        services.register(None, vi_binh, "ntm", 2024)
    assert "đang giữ" in str(error.value)


def test_renewal_under_the_set_in_force_supersedes_a_2016_2020_title(
    vi_binh, qd318, province_coordinator, hau_giang
):
    from nongthon.recognition.models import Decision, DecisionKind, TitleStatus

    old_decision = Decision.objects.create(
        kind=DecisionKind.RECOGNITION,
        number="3/QĐ-UBND",
        date=dt.date(2019, 12, 1),
        signer="Chủ tịch",
        issuer="UBND tỉnh",
        province=hau_giang,
    )
    old = services.record_existing_title(
        None, vi_binh, "ntm", old_decision, basis_note="QĐ 1980/QĐ-TTg"
    )
    evaluate(vi_binh, qd318)
    app = conditions_met(walk(services.register(None, vi_binh, "ntm", 2023, on=D)))
    new = services.decide(province_coordinator, app, decision_data(), expected_version=None)
    old.refresh_from_db()
    assert old.status == TitleStatus.SUPERSEDED and old.end_decision == new.decision
    assert old.ended_on == dt.date(2023, 12, 20)
    # Under the same set it cannot be applied for again.
    with pytest.raises(ValidationError):
        services.register(None, vi_binh, "ntm", 2024)
