"""What goes into the history: every model that matters, with who, when, from where, and the unit
the change belongs to (for the province's log)."""

from django.apps import apps
from simple_history.utils import bulk_create_with_history

from nongthon.audit.history import REGISTRY
from nongthon.audit.indexing import reindex
from nongthon.audit.models import Entry
from nongthon.places.models import Hamlet, HamletKind
from tests.audit_support import add_hamlet, rename_hamlet
from tests.conftest import client_for

# Models deliberately without history, and why (a new model must be added to one list or other).
NOT_AUDITED = {
    # Derived: recomputed from indicator values, unit facts and the set (all with history).
    "assessment.evaluation",
    "assessment.criterionresult",
    # The content of one criteria-set version, rewritten whole; the set's own history records
    # each change with who and the change note.
    "catalogue.criterion",
    "catalogue.indicator",
    "catalogue.threshold",
    # Reference data shipped in files (official lists, sources, status kinds).
    "places.succession",
    "funding.fundingsource",
    "plans.statuskind",
    # Notifications sent, a log of its own.
    "ocop.reminder",
    "reporting.reminderlog",
    # A report's review timeline is itself an append-only record (who, what, when).
    "reporting.event",
    # The polygons of one boundary file, replaced whole; the file's history records each load.
    "web.communeboundary",
    # Failed background jobs: a system log, not data anybody edits.
    "ops.jobfailure",
    # The audit log's index itself, and the stamp of bulk re-evaluations beside it.
    "audit.entry",
    "places.provincestamp",
}
THAT_MATTER = {
    "assessment.indicatorvalue",  # values and hand verdicts
    "assessment.confirmation",
    "recognition.title",
    "recognition.decision",
    "ocop.certificate",
    "plans.target",
    "plans.task",
    "funding.fundingline",
    "funding.work",
    "accounts.user",
    "accounts.membership",
    "reporting.submission",
    "api.apitoken",
}


def project_models():
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("nongthon.") and not hasattr(m, "instance_type")
    ]


def test_every_project_model_is_audited_or_listed_as_not_needing_it():
    undecided = [
        m._meta.label_lower
        for m in project_models()
        if m._meta.label_lower not in REGISTRY and m._meta.label_lower not in NOT_AUDITED
    ]
    assert undecided == []


def test_the_data_that_matters_is_audited_with_an_address_column():
    assert set(REGISTRY) >= THAT_MATTER
    for label in THAT_MATTER:
        model = REGISTRY[label].model
        assert "ip_address" in {f.name for f in model.history.model._meta.fields}


def test_a_change_made_in_a_request_records_who_when_and_from_where(
    commune_officer, vi_binh, hau_giang, vi_thuy
):
    client = client_for(commune_officer)
    hamlet = add_hamlet(client, vi_binh, "Ấp Kiểm Tra", address="203.0.113.7")
    rename_hamlet(client, hamlet, "Ấp Kiểm Tra Mới", address="198.51.100.4")
    first, second = hamlet.history.order_by("history_id")
    assert (first.ip_address, second.ip_address) == ("203.0.113.7", "198.51.100.4")
    assert second.history_user == commune_officer
    entry = Entry.objects.get(model__model="hamlet", history_id=second.history_id)
    assert entry.user == commune_officer
    assert entry.action == "~"
    assert (entry.unit_id, entry.district_id, entry.province_id) == (
        vi_binh.pk,
        vi_thuy.pk,
        hau_giang.pk,
    )


def test_the_forwarded_address_counts_only_behind_a_trusted_proxy(
    settings, commune_officer, vi_binh
):
    client = client_for(commune_officer)
    forged = {"HTTP_X_FORWARDED_FOR": "192.0.2.99"}
    hamlet = Hamlet(commune=vi_binh, name="Ấp A", kind=HamletKind.AP)
    hamlet.save()
    client.post(
        f"/units/hamlets/commune/{vi_binh.pk}/add/",
        {"name": "Ấp B", "kind": "ap"},
        REMOTE_ADDR="10.0.0.5",
        **forged,
    )
    assert Hamlet.history.get(name="Ấp B").ip_address == "10.0.0.5"
    settings.NONGTHON_TRUSTED_PROXIES = 1
    client.post(
        f"/units/hamlets/commune/{vi_binh.pk}/add/",
        {"name": "Ấp C", "kind": "ap"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.50",
    )
    # The proxy appended the client's address last; the left entry could be forged.
    assert Hamlet.history.get(name="Ấp C").ip_address == "203.0.113.50"


def test_changes_outside_a_request_have_no_address_and_the_system_as_author(vi_binh):
    hamlet = Hamlet(commune=vi_binh, name="Ấp Lệnh", kind=HamletKind.AP)
    hamlet.save()
    record = hamlet.history.get()
    assert record.ip_address is None
    entry = Entry.objects.get(model__model="hamlet", history_id=record.history_id)
    assert entry.user_id is None


def test_a_record_is_indexed_under_the_unit_its_path_leads_to(vi_thuy, hau_giang):
    from nongthon.plans.models import Plan, Target

    plan = Plan.objects.create(unit=vi_thuy, title="Kế hoạch thử", year_from=2024, year_to=2024)
    target = Target.objects.create(plan=plan, sentence="Chỉ tiêu thử", type_code="text")
    # Target -> plan -> unit: the district's plan is in the district's and the province's log.
    entry = Entry.objects.get(model__model="target", object_id=str(target.pk))
    assert (entry.unit_id, entry.district_id, entry.province_id) == (
        vi_thuy.pk,
        vi_thuy.pk,
        hau_giang.pk,
    )
    province_plan = Plan.objects.create(
        unit=hau_giang, title="KH tỉnh", year_from=2024, year_to=2024
    )
    entry = Entry.objects.get(model__model="plan", object_id=str(province_plan.pk))
    assert (entry.district_id, entry.province_id) == (None, hau_giang.pk)


def test_records_written_in_bulk_are_indexed_by_reindex_once(vi_binh):
    from nongthon.assessment.models import IndicatorValue

    rows = [
        IndicatorValue(unit=vi_binh, year=2023, family="thu", indicator_code=f"{i}.1")
        for i in range(3)
    ]
    bulk_create_with_history(rows, IndicatorValue)
    ids = [
        str(pk) for pk in IndicatorValue.objects.filter(family="thu").values_list("pk", flat=True)
    ]
    assert not Entry.objects.filter(model__model="indicatorvalue", object_id__in=ids).exists()
    assert reindex() >= 3
    entries = Entry.objects.filter(model__model="indicatorvalue", object_id__in=ids)
    assert entries.count() == 3
    assert {e.unit_id for e in entries} == {vi_binh.pk}
    assert reindex() == 0
