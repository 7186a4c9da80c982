"""The history cannot be changed through the app: no admin page edits or reverts it, no view or
service writes to it, and accounts (the "who" of every record) cannot be deleted."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from nongthon.audit.admin import ReadOnlyHistoryAdmin
from nongthon.audit.history import REGISTRY
from nongthon.places.models import Hamlet, HamletKind
from tests.conftest import client_for, make_user

SOURCE = Path(__file__).resolve().parent.parent / "src" / "nongthon"


@pytest.fixture
def superuser(db):
    user = make_user("sieuquantri")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


def historical_models():
    return [m for m in apps.get_models() if hasattr(m, "instance_type")]


def test_every_admin_with_history_is_read_only():
    with_history = [a for a in admin.site._registry.values() if isinstance(a, SimpleHistoryAdmin)]
    assert with_history
    assert all(isinstance(a, ReadOnlyHistoryAdmin) for a in with_history)


def test_no_historical_model_nor_the_log_index_is_in_the_admin():
    registered = set(admin.site._registry)
    assert not [m for m in historical_models() if m in registered]
    assert apps.get_model("audit", "Entry") not in registered


def test_posting_to_any_historical_models_admin_change_url_is_refused(superuser, vi_binh):
    client = client_for(superuser)
    hamlet = Hamlet(commune=vi_binh, name="Ấp Quản Trị", kind=HamletKind.AP)
    hamlet.save()
    for model in historical_models():
        opts = model._meta
        for url in (
            f"/admin/{opts.app_label}/{opts.model_name}/1/change/",
            f"/admin/{opts.app_label}/{opts.model_name}/1/delete/",
            f"/admin/{opts.app_label}/{opts.model_name}/add/",
        ):
            assert client.post(url, {"name": "x"}).status_code == 404, url
    # The history pages of the audited objects: shown, never reverted.
    record = hamlet.history.get()
    url = f"/admin/places/hamlet/{hamlet.pk}/history/{record.history_id}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "Đổi qua lịch sử", "kind": "ap"}).status_code == 403
    hamlet.refresh_from_db()
    assert hamlet.name == "Ấp Quản Trị"
    assert hamlet.history.count() == 1


def test_history_revert_is_refused_for_every_admin_with_history(superuser):
    client = client_for(superuser)
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, SimpleHistoryAdmin):
            continue
        opts = model._meta
        response = client.post(f"/admin/{opts.app_label}/{opts.model_name}/1/history/1/", {})
        # 403, or 404 when there is no such record: never a save.
        assert response.status_code in (403, 404), opts.label


def test_accounts_cannot_be_deleted_in_the_admin(superuser, commune_officer):
    client = client_for(superuser)
    url = f"/admin/accounts/user/{commune_officer.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert type(commune_officer).objects.filter(pk=commune_officer.pk).exists()


WRITES = re.compile(
    r"(\.history\.[\w().,\s=\"']*\.(update|delete|create|bulk_create)\()"
    r"|(Historical\w+\.objects\.[\w().,\s=\"']*(update|delete|create)\()"
    r"|(Entry\.objects\.[\w().,\s=\"']*\.(update|delete)\()"
)


def test_no_module_writes_to_the_history_or_the_log():
    offenders = []
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if WRITES.search(line):
                offenders.append(f"{path.relative_to(SOURCE)}:{number}: {line.strip()}")
    assert offenders == []


def test_every_audited_model_has_a_historical_table_with_the_address():
    for audit in REGISTRY.values():
        fields = {f.name for f in audit.model.history.model._meta.fields}
        assert {"history_user", "history_date", "ip_address"} <= fields
