"""Values saved in bulk (audit.bulk.save_with_history, behind save_values and every import) keep
the trail of a save one by one: a historical record per value ("+" when new, "~" when changed)
with its user and the request's IP address, and an audit-log entry per record under the unit."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from simple_history.models import HistoricalRecords

from nongthon.assessment.models import IndicatorValue
from nongthon.assessment.services import ValueEntry, save_values
from nongthon.audit.models import Entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_a_request():
    """As HistoryRequestMiddleware leaves it during a request from 203.0.113.9."""
    HistoricalRecords.context.request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    yield
    del HistoricalRecords.context.request


def save(actor, unit, family, **values):
    entries = [ValueEntry(code, value) for code, value in values.items()]
    return save_values(actor, unit=unit, year=2023, family=family, entries=entries)


def test_each_value_gets_its_record_and_entry(
    tiny_set, commune_officer, vi_binh, vi_thuy, hau_giang, in_a_request
):
    save(commune_officer, vi_binh, tiny_set.family, **{"3.1": "70", "3.2": True})
    save(commune_officer, vi_binh, tiny_set.family, **{"3.1": "90", "3.2": True})  # one changes
    value = IndicatorValue.objects.get(unit=vi_binh, indicator_code="3.1")
    records = list(value.history.order_by("history_id"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert [r.value_number for r in records] == [70, 90]
    assert {r.history_user for r in records} == {commune_officer}
    assert {r.ip_address for r in records} == {"203.0.113.9"}
    unchanged = IndicatorValue.objects.get(unit=vi_binh, indicator_code="3.2")
    assert unchanged.history.count() == 1
    entries = Entry.objects.filter(model__model="indicatorvalue").order_by("history_id")
    assert [e.history_id for e in entries] == sorted(
        r.history_id for v in (value, unchanged) for r in v.history.all()
    )
    last = entries.last()
    assert (last.action, last.user, last.object_id) == ("~", commune_officer, str(value.pk))
    assert (last.unit_id, last.district_id, last.province_id) == (
        vi_binh.pk,
        vi_thuy.pk,
        hau_giang.pk,
    )


def test_the_changed_value_carries_its_new_version_and_time(tiny_set, commune_officer, vi_binh):
    save(commune_officer, vi_binh, tiny_set.family, **{"3.1": "70"})
    first = IndicatorValue.objects.get(unit=vi_binh, indicator_code="3.1")
    save(commune_officer, vi_binh, tiny_set.family, **{"3.1": "75"})
    second = IndicatorValue.objects.get(pk=first.pk)
    assert second.version == first.version + 1
    assert second.entered_at > first.entered_at
    assert second.entered_by == commune_officer
