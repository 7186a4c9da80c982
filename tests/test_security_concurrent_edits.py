"""Two people, two real sessions, the same record (issue 11, part 3): both open the page, the
first saves, the second's save — based on what they read — is refused with a message naming who
changed what, and the first change stays. (The values entry page is tested the same way in
tests/test_value_entry.py.)"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from nongthon.accounts.models import Role
from nongthon.plans import services as plans
from nongthon.recognition import services as recognition
from nongthon.recognition.models import Application
from tests.conftest import client_for, make_user
from tests.form_support import read_form
from tests.plans_support import make_plan
from tests.recognition_support import load_qd318

pytestmark = pytest.mark.django_db


def form_of(response, testid: str) -> dict[str, str]:
    data = read_form(response, data_testid=testid).data
    assert data, f"no form {testid} on the page"
    return data


def readable(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_two_coordinators_edit_the_same_target(hau_giang, province_coordinator):
    plan = make_plan(hau_giang, 2023)
    target = plans.add_target(None, plan, type_code="free", params={}, sentence="Xúc tiến")
    colleague = make_user("tinh2", hau_giang, Role.PROVINCE_COORDINATOR)
    first, second = client_for(province_coordinator), client_for(colleague)
    url = reverse("plans:target_edit", args=[target.pk])
    first_form = form_of(first.get(url), "target-form")
    second_form = form_of(second.get(url), "target-form")

    saved = first.post(url, {**first_form, "sentence": "Xúc tiến thương mại 5 sản phẩm"})
    assert saved.status_code == 302
    refused = second.post(url, {**second_form, "sentence": "Xúc tiến thương mại"})

    assert refused.status_code == 200
    page = readable(refused)
    assert "Bản ghi đã được sửa sau khi bạn mở trang" in page
    assert "Tinh" in page and "Xúc tiến thương mại 5 sản phẩm" in page
    target.refresh_from_db()
    assert target.sentence == "Xúc tiến thương mại 5 sản phẩm"


def test_two_officers_complete_the_same_application_step(vi_binh, commune_officer):
    load_qd318()
    app = recognition.register(None, vi_binh, "ntm", 2023, on=dt.date(2023, 9, 1))
    colleague = make_user("xa2", vi_binh, Role.COMMUNE_OFFICER)
    first, second = client_for(commune_officer), client_for(colleague)
    url = reverse("recognition:application", args=[app.pk])
    step_url = reverse("recognition:complete_step", args=[app.pk])
    first_form = form_of(first.get(url), "step-form")
    second_form = form_of(second.get(url), "step-form")
    step_before = app.current_step

    done = first.post(step_url, {**first_form, "done_on": "2023-10-01"})
    assert done.status_code == 302
    refused = second.post(step_url, {**second_form, "done_on": "2023-10-02"})

    assert refused.status_code in (200, 400)
    page = readable(refused)
    assert "Hồ sơ vừa được người khác cập nhật" in page and "Xa" in page  # and who
    app = Application.objects.get(pk=app.pk)
    assert app.current_step != step_before
    # The step was completed once, on the first officer's date.
    assert [s.done_on for s in app.steps.filter(done_on__isnull=False)] == [dt.date(2023, 10, 1)]
