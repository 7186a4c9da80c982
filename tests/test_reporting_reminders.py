"""Reminders before deadlines: 7 and 1 days before, and the day after a missed deadline, to the
officers of the units that have not sent their report; never twice (the command is idempotent)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from nongthon.accounts.models import Role
from nongthon.reporting.models import ReportPeriod
from nongthon.reporting.reminders import send_reminders
from tests.conftest import make_user
from tests.reporting_support import department, department_officer_of, open_2023, period, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(hau_giang, vi_binh, vi_dong, vi_thuy):
    open_2023(hau_giang)
    users = {
        "binh": make_user("xabinh", vi_binh, Role.COMMUNE_OFFICER),
        "dong": make_user("xadong", vi_dong, Role.COMMUNE_OFFICER),
        "huyen": make_user("huyenvt", vi_thuy, Role.DISTRICT_OFFICER),
    }
    for name, user in users.items():
        user.email = f"{name}@example.vn"
        user.save()
    return users


def recipients() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


def test_seven_days_before_the_deadline_the_units_without_a_report_are_reminded(
    officers, hau_giang, vi_binh
):
    send(period(hau_giang, "xa-thang", 3), vi_binh, dt.date(2023, 3, 2))
    send(period(hau_giang, "xa-quy", 1), vi_binh, dt.date(2023, 3, 2))  # Vị Bình is done
    sent = send_reminders(dt.date(2023, 3, 3), hau_giang)  # 7 days before 10/3
    assert sent == 2  # Vị Đông's officer, Vị Thủy's officer (its own monthly report)
    assert recipients() == {"dong@example.vn", "huyen@example.vn"}
    dong = next(m for m in mail.outbox if m.to == ["dong@example.vn"])
    assert "Còn 7 ngày (hạn 10/03/2023)" in dong.body
    assert "Báo cáo tháng của xã, Tháng 3/2023 — Xã Vị Đông" in dong.body
    # Vị Đông also owes the first quarter's report, due the same day.
    assert "Quý I/2023" in dong.body


def test_running_the_command_again_sends_nothing_twice(officers, hau_giang):
    call_command("send_report_reminders", "--date", "09/03/2023", "--province", "93")
    first = len(mail.outbox)
    assert first == 3  # one day before 10/3: Vị Bình, Vị Đông, the district
    call_command("send_report_reminders", "--date", "09/03/2023", "--province", "93")
    assert len(mail.outbox) == first


def test_the_day_after_a_missed_deadline_is_reminded_once(officers, hau_giang, vi_binh):
    # Sent on the deadline day: on time, not reminded.
    send(period(hau_giang, "xa-thang", 3), vi_binh, dt.date(2023, 3, 10))
    send(period(hau_giang, "xa-quy", 1), vi_binh, dt.date(2023, 3, 10))
    assert send_reminders(dt.date(2023, 3, 11), hau_giang) == 2
    assert recipients() == {"dong@example.vn", "huyen@example.vn"}
    dong = next(m for m in mail.outbox if m.to == ["dong@example.vn"])
    assert "QUÁ HẠN từ 10/03/2023" in dong.body
    mail.outbox.clear()
    assert send_reminders(dt.date(2023, 3, 12), hau_giang) == 0


def test_departments_are_reminded_through_their_officers(hau_giang):
    open_2023(hau_giang)
    so_xd = department(hau_giang, "so-xay-dung", "Sở Xây dựng")
    officer = department_officer_of(so_xd, "soxd")
    officer.email = "soxd@example.vn"
    officer.save()
    assert period(hau_giang, "so-6-thang").deadline == dt.date(2023, 6, 12)
    send_reminders(dt.date(2023, 6, 5), hau_giang)
    message = next(m for m in mail.outbox if m.to == ["soxd@example.vn"])
    assert "Sở Xây dựng" in message.body and "6 tháng đầu năm 2023" in message.body


def test_the_command_opens_the_years_periods_of_provinces_with_a_schedule(officers, hau_giang):
    ReportPeriod.objects.filter(province=hau_giang, year=2024).delete()
    call_command("send_report_reminders", "--date", "03/01/2024")
    # Communes and districts: 12 + 4 + 1 + 1 each; departments 2; monthly progress 12.
    assert ReportPeriod.objects.filter(province=hau_giang, year=2024).count() == 50
    # 3/1/2024 is 7 days before the January 2024 deadline.
    assert "Tháng 1/2024" in mail.outbox[0].body
