"""A database outage in the middle of an import: nothing of the file is kept, and the user reads
a plain message in Vietnamese (503), not the server-error page. The outage is simulated by a
connection execute wrapper that makes the database raise OperationalError on the N-th write to
the imported table, as a server going away mid-import would; run on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection

from nongthon.assessment.models import Evaluation, IndicatorValue
from nongthon.places.models import Hamlet
from tests.conftest import client_for
from tests.test_hamlet_import import upload as upload_hamlets
from tests.test_hamlet_import import xlsx
from tests.test_values_excel import download, fill
from tests.test_values_excel import upload as upload_values

OUTAGE_MESSAGE = "Cơ sở dữ liệu tạm thời không trả lời."


class OutageAfter:
    """Let `allowed` writes to `table` through, then fail every query like a lost server. The
    rollback to the test's own savepoints still goes through, so the test can look afterwards
    (with a real outage the server rolls the whole transaction back itself)."""

    def __init__(self, table: str, allowed: int) -> None:
        self.table = table
        self.allowed = allowed
        self.writes = 0
        self.down = False

    def __call__(self, execute, sql, params, many, context):
        if self.down and not sql.lstrip().upper().startswith(("ROLLBACK", "RELEASE", "SAVEPOINT")):
            raise OperationalError("server closed the connection unexpectedly")
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE")) and self.table in sql:
            self.writes += 1
            if self.writes > self.allowed:
                self.down = True
                raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


def test_an_outage_mid_hamlet_import_saves_no_hamlet_and_says_so_in_vietnamese(
    district_officer, vi_thuy, vi_binh, vi_dong
):
    client = client_for(district_officer)
    content = xlsx([[31468, "Ấp Một", "Ấp"], [31468, "Ấp Hai", "Ấp"], [31462, "Ấp Ba", "Ấp"]])
    before = Hamlet.objects.count()
    outage = OutageAfter(Hamlet._meta.db_table, allowed=2)
    with connection.execute_wrapper(outage):
        response = upload_hamlets(client, vi_thuy, content)
    assert outage.down, "the simulated outage never happened"
    assert outage.writes == 3  # two hamlets were written before the server went away
    assert response.status_code == 503
    page = response.content.decode()
    assert OUTAGE_MESSAGE in page
    assert "Không có dữ liệu nào của thao tác vừa rồi được lưu." in page
    assert response["Retry-After"] == "60"
    assert Hamlet.objects.count() == before
    assert not Hamlet.objects.filter(name__in=["Ấp Một", "Ấp Hai", "Ấp Ba"]).exists()
    # Once the database is back, the same file goes in whole.
    assert "Đã thêm 3 thôn, ấp." in upload_hamlets(client, vi_thuy, content).content.decode()


def test_an_outage_mid_values_import_saves_no_value_and_no_evaluation(
    tiny_set, district_officer, vi_thuy, vi_binh, vi_dong
):
    client = client_for(district_officer)
    content = fill(
        download(client, vi_thuy),
        {"31468": {"D": 85, "E": "Đạt"}, "31462": {"D": "68,5", "E": "Chưa đạt"}},
    )
    # One statement writes a commune's values: the second commune's is the one that fails.
    outage = OutageAfter(IndicatorValue._meta.db_table, allowed=1)
    with connection.execute_wrapper(outage):
        response = upload_values(client, vi_thuy, content)
    assert outage.down and outage.writes == 2
    assert response.status_code == 503
    assert OUTAGE_MESSAGE in response.content.decode()
    assert not IndicatorValue.objects.filter(unit__in=[vi_binh, vi_dong]).exists()
    assert not Evaluation.objects.filter(unit__in=[vi_binh, vi_dong]).exists()
    page = upload_values(client, vi_thuy, content).content.decode()
    assert "Đã lưu 4 số liệu thay đổi của 2 xã." in page


def test_through_htmx_the_message_is_swapped_into_the_upload_box(
    tiny_set, district_officer, vi_thuy
):
    client = client_for(district_officer)
    content = fill(download(client, vi_thuy), {"31468": {"D": 85}})
    outage = OutageAfter(IndicatorValue._meta.db_table, allowed=0)
    with connection.execute_wrapper(outage):
        response = upload_values(client, vi_thuy, content, HTTP_HX_REQUEST="true")
    # htmx swaps only 2xx answers: the message comes as a fragment placed above the form.
    assert response.status_code == 200
    assert response["HX-Reswap"] == "afterbegin"
    page = response.content.decode()
    assert OUTAGE_MESSAGE in page and "<html" not in page


def test_other_errors_are_not_taken_for_an_outage(district_officer, vi_thuy, monkeypatch):
    from nongthon.places import hamlet_import

    def broken(*args, **kwargs):
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr(hamlet_import, "import_hamlets", broken)
    with pytest.raises(ValueError):
        upload_hamlets(client_for(district_officer), vi_thuy, xlsx([[31468, "Ấp", "Ấp"]]))
