# ruff: noqa: E501  (the routing tables read best one form per line)
"""Every form of the project, fuzzed through its real view (issue 11, part 2): hypothesis posts
hostile data (long and unicode text, NUL, negative and huge numbers, impossible dates, foreign
ids, random files) as a user who may use the form, and the answer is never a server error.

Each form class has a row in ROWS (or is a base class in BASES); a new form without a row fails
`test_every_form_class_of_the_project_has_a_fuzzing_row`. NONGTHON_FUZZ_EXAMPLES=200 searches
harder by hand; CI keeps a few examples per form so the file stays quick.
"""

from __future__ import annotations

import importlib
import inspect
import io
import os
import pkgutil
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

import nongthon
from tests.conftest import client_for, make_user

EXAMPLES = int(os.environ.get("NONGTHON_FUZZ_EXAMPLES", "4"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(
        ["Mã xã", "Tên thôn, ấp", "Loại", "Nội dung thực hiện", "Cơ quan chủ trì"]
    )
    workbook.active.append(["31468", "=HYPERLINK(1)", "Ấp", "x" * 500, "\u202e"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


HOSTILE_WORDS = [
    "",
    " ",
    "0",
    "-1",
    "-99999999999999999999",
    "99999999999999999999",
    "1e308",
    "NaN",
    "Infinity",
    "1,5",
    "1.234.567,89",
    "31/02/2023",
    "00/00/0000",
    "31/12/9999",
    "01/01/0001",
    "9999-12-31",
    "0001-01-01",
    "2023-13-45",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    '=HYPERLINK("http://x")',
    "\u202eRTL",
    "🙂" * 50,
    "định kỳ hàng tháng trước ngày 99",
    "năm 0000",
    "6.259.605 triệu đồng",
    "x" * 5000,
]
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
HUGE = st.text(min_size=1, max_size=3).map(lambda t: t * 4000)
NUMBER = st.integers(min_value=-(10**25), max_value=10**25).map(str)
FILE_NAMES = [
    "a.pdf",
    "a.xlsx",
    "a.docx",
    "a.yaml",
    "a.png",
    "../../x.pdf",
    "x" * 300 + ".xlsx",
    "a",
]
FILE_BODIES = [
    b"",
    b"%PDF-1.4 x",
    b"\x89PNG\r\n\x1a\n",
    _xlsx(),
    b"rule: qd26-2026\n",
    b"\x00" * 64,
]


def scalars(ids: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        TEXT, HUGE, NUMBER, st.sampled_from(HOSTILE_WORDS), st.sampled_from(ids or ["1"])
    )


def upload() -> st.SearchStrategy[SimpleUploadedFile]:
    return st.builds(
        SimpleUploadedFile,
        st.sampled_from(FILE_NAMES),
        st.one_of(st.sampled_from(FILE_BODIES), st.binary(max_size=300)),
    )


def strategy_for(form_field: forms.Field | None, ids: list[str]) -> st.SearchStrategy:
    if isinstance(form_field, forms.FileField):
        return upload()
    if isinstance(form_field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return st.lists(scalars(ids), max_size=3)
    if isinstance(form_field, forms.BooleanField):
        return st.sampled_from(["on", "", "true", "false", "2"])
    return scalars(ids)


@dataclass
class Row:
    """How to reach a form: who posts it where, with which fixed fields (an action switch)."""

    user: str
    url: Callable[[dict], str]
    prefix: str = ""
    fixed: dict = field(default_factory=dict)
    dynamic: tuple[str, ...] = ()  # fields the form adds in __init__, by POST name
    method: str = "post"


def _f(name: str) -> type:
    module, _dot, cls = name.rpartition(".")
    return getattr(importlib.import_module(f"nongthon.{module}"), cls)


ROWS: dict[str, Row] = {
    # places
    "places.hamlet_forms.HamletForm": Row("district", lambda w: f"/units/hamlets/commune/{w['vi_binh'].pk}/add/"),
    "places.hamlet_forms.HamletEditForm": Row("district", lambda w: f"/units/hamlets/{w['hamlet'].pk}/edit/"),
    "places.hamlet_forms.RetireForm": Row("district", lambda w: f"/units/hamlets/{w['hamlet'].pk}/retire/"),
    "places.hamlet_forms.RestoreForm": Row("district", lambda w: f"/units/hamlets/{w['retired'].pk}/restore/"),
    "places.hamlet_forms.ImportForm": Row("district", lambda w: f"/units/hamlets/import/{w['vi_thuy'].pk}/"),
    "places.agency_forms.AgencyAddForm": Row("province", lambda w: f"/units/agencies/unit/{w['hau_giang'].pk}/add/"),
    "places.agency_forms.AgencyRenameForm": Row("province", lambda w: f"/units/agencies/{w['agency'].pk}/rename/"),
    "places.agency_forms.AgencyEndForm": Row("province", lambda w: f"/units/agencies/{w['agency'].pk}/end/"),
    "places.agency_forms.AgencyMergeForm": Row("province", lambda w: f"/units/agencies/unit/{w['hau_giang'].pk}/merge/"),
    # accounts
    "accounts.forms.UserCreateForm": Row("province", lambda w: "/accounts/users/new/"),
    "accounts.forms.MembershipForm": Row("province", lambda w: f"/accounts/users/{w['someone'].pk}/memberships/"),
    "accounts.forms.ProfileForm": Row("province", lambda w: f"/accounts/users/{w['someone'].pk}/edit/"),
    "accounts.forms.PasswordPairForm": Row("province", lambda w: f"/accounts/users/{w['someone'].pk}/password/"),
    "accounts.forms.OwnPasswordForm": Row("own", lambda w: "/accounts/me/"),
    # catalogue
    "catalogue.forms.SetFilterForm": Row("province", lambda w: "/criteria/", method="get"),
    "catalogue.forms.RefineForm": Row("province", lambda w: f"/criteria/{w['tiny_set'].pk}/refine/"),
    "catalogue.forms.ThresholdForm": Row("province", lambda w: f"/criteria/{w['hg_set'].pk}/threshold/"),
    "catalogue.forms.RemoveThresholdForm": Row("province", lambda w: f"/criteria/{w['hg_set'].pk}/threshold/remove/"),
    "catalogue.forms.IndicatorForm": Row("province", lambda w: f"/criteria/{w['hg_set'].pk}/indicator/"),
    "catalogue.forms.UploadForm": Row("province", lambda w: "/criteria/upload/"),
    "catalogue.forms.ResponsibilityForm": Row("province", lambda w: f"/criteria/responsibility/{w['hau_giang'].pk}/{w['tiny_set'].family}/"),
    # assessment
    "assessment.entry_forms.RowForm": Row(
        "commune", lambda w: f"/assessment/{w['vi_binh'].pk}/2023/{w['tiny_set'].family}/",
        dynamic=tuple(f"{c}-{f}" for c in ("3.1", "3.2", "10") for f in ("value", "hand_verdict", "hand_reason", "note", "initial-value")) + ("version",),
    ),
    "assessment.entry_forms.EvidenceForm": Row("commune", lambda w: f"/assessment/{w['vi_binh'].pk}/2023/{w['tiny_set'].family}/evidence/3.1/"),
    "assessment.excel_views.UploadForm": Row("district", lambda w: f"/assessment/excel/{w['vi_thuy'].pk}/2023/{w['tiny_set'].family}/"),
    "assessment.profile_views.ProfileForm": Row("commune", lambda w: f"/assessment/{w['vi_binh'].pk}/2023/{w['tiny_set'].family}/profile/"),
    # plans
    "plans.forms.PlanForm": Row("province", lambda w: f"/plans/{w['plan'].pk}/edit/"),
    "plans.forms.TargetForm": Row("province", lambda w: f"/plans/{w['plan'].pk}/targets/new/", dynamic=("type_code", "p-criterion", "p-set", "p-tier")),
    "plans.forms.ManualProgressForm": Row("province", lambda w: f"/plans/targets/{w['target'].pk}/", dynamic=("manual",)),
    "plans.forms.FundLineForm": Row("province", lambda w: f"/plans/{w['plan'].pk}/funds/new/"),
    "plans.forms.DirectiveForm": Row("province", lambda w: f"/plans/directives/new/{w['hau_giang'].pk}/"),
    "plans.forms.TaskForm": Row("province", lambda w: f"/plans/plan/{w['plan'].pk}/tasks/new/"),
    "plans.forms.NoteForm": Row("province", lambda w: f"/plans/tasks/{w['task'].pk}/"),
    "plans.forms.ImportForm": Row("province", lambda w: f"/plans/plan/{w['plan'].pk}/tasks/import/", dynamic=("confirm", "map-0")),
    "plans.forms.DateForm": Row("province", lambda w: f"/plans/{w['plan'].pk}/", method="get"),
    # recognition
    "recognition.forms.RegisterForm": Row("province", lambda w: f"/recognition/unit/{w['vi_thuy'].pk}/applications/"),
    "recognition.forms.StepForm": Row("province", lambda w: f"/recognition/application/{w['application'].pk}/step/"),
    "recognition.forms.DocumentForm": Row("province", lambda w: f"/recognition/application/{w['application'].pk}/document/"),
    "recognition.forms.SatisfactionForm": Row("province", lambda w: f"/recognition/application/{w['application'].pk}/satisfaction/"),
    "recognition.forms.SecurityForm": Row("province", lambda w: f"/recognition/application/{w['application'].pk}/security/"),
    "recognition.forms.DebtForm": Row("province", lambda w: f"/recognition/application/{w['application'].pk}/debt/"),
    "recognition.forms.ReturnForm": Row("province", lambda w: f"/recognition/application/{w['application'].pk}/return/"),
    "recognition.forms.ResubmitForm": Row("province", lambda w: f"/recognition/application/{w['application'].pk}/resubmit/"),
    "recognition.forms.DecideForm": Row("province", lambda w: f"/recognition/application/{w['application'].pk}/decide/"),
    "recognition.forms.RevokeForm": Row("province", lambda w: f"/recognition/title/{w['title'].pk}/revoke/"),
    "recognition.forms.MergerForm": Row("cantho", lambda w: f"/recognition/unit/{w['can_tho'].pk}/merged/", dynamic=("unit",)),
    "recognition.forms.PastTitleForm": Row("province", lambda w: f"/recognition/unit/{w['hau_giang'].pk}/record/"),
    # funding
    "funding.forms.LineForm": Row("province", lambda w: f"/funding/{w['hau_giang'].pk}/2023/lines/new/"),
    "funding.forms.PlanTextForm": Row("province", lambda w: f"/funding/{w['hau_giang'].pk}/2023/lines/new/", prefix="plan", fixed={"plan-text": "1"}),
    "funding.forms.WorkForm": Row("commune", lambda w: f"/funding/{w['vi_binh'].pk}/works/new/"),
    "funding.forms.WorkEditForm": Row("commune", lambda w: f"/funding/works/{w['work'].pk}/edit/"),
    "funding.forms.WorkProgressForm": Row("commune", lambda w: f"/funding/works/{w['work'].pk}/", prefix="progress", fixed={"action": "progress"}),
    "funding.forms.DisbursementForm": Row("commune", lambda w: f"/funding/works/{w['work'].pk}/", prefix="disb", fixed={"action": "disbursement"}),
    "funding.forms.DebtForm": Row("commune", lambda w: f"/funding/works/{w['work'].pk}/", prefix="debt", fixed={"action": "debt"}),
    "funding.forms.RepaymentForm": Row("commune", lambda w: f"/funding/works/{w['work'].pk}/", prefix="repay", fixed={"action": "repayment"}, dynamic=("debt",)),
    # ocop
    "ocop.forms.ProducerForm": Row("commune", lambda w: f"/ocop/producers/{w['producer'].pk}/"),
    "ocop.forms.ProductForm": Row("commune", lambda w: f"/ocop/products/{w['product'].pk}/edit/"),
    "ocop.forms.PhotoForm": Row("commune", lambda w: f"/ocop/products/{w['product'].pk}/photos/"),
    "ocop.forms.SheetForm": Row("admin", lambda w: f"/ocop/sheets/{w['sheet'].pk}/"),
    "ocop.forms.CouncilForm": Row("province", lambda w: "/ocop/councils/"),
    "ocop.forms.RoundForm": Row("province", lambda w: f"/ocop/councils/{w['council'].pk}/"),
    "ocop.forms.AddProductForm": Row("province", lambda w: f"/ocop/rounds/{w['round'].pk}/"),
    "ocop.forms.CertificateForm": Row("province", lambda w: f"/ocop/evaluations/{w['evaluation'].pk}/", fixed={"action": "certify"}),
    "ocop.forms.RevokeForm": Row("province", lambda w: f"/ocop/certificates/{w['certificate'].pk}/revoke/"),
    "ocop.forms.SearchForm": Row("anonymous", lambda w: "/ocop/san-pham/", method="get"),
    # reporting
    "reporting.forms.ReportForm": Row(
        "commune", lambda w: f"/reporting/submissions/{w['draft'].pk}/", fixed={"action": "save"},
        dynamic=tuple(f"typed_{c}" for c in ("htx_kien_toan", "nguoi_tap_huan", "xuc_tien_thuong_mai")) + tuple(f"text_{c}" for c in ("ket_qua", "kho_khan", "de_xuat")),
    ),
    "reporting.forms.ReviewForm": Row("district", lambda w: f"/reporting/submissions/{w['sent'].pk}/", fixed={"action": "return"}),
    "reporting.forms.RuleForm": Row("province", lambda w: f"/reporting/{w['hau_giang'].pk}/schedule/rules/xa-thang/"),
    "reporting.forms.AdhocForm": Row("province", lambda w: f"/reporting/{w['hau_giang'].pk}/adhoc/new/"),
    # plans' statuses and cancelling
    "plans.forms.CancelTaskForm": Row("province", lambda w: f"/plans/tasks/{w['task'].pk}/cancel/"),
    "plans.forms.HouseholdStatusForm": Row("district", lambda w: f"/plans/statuses/households/{w['vi_thuy'].pk}/2023/new/"),
    "plans.forms.CommuneStatusForm": Row("district", lambda w: f"/plans/statuses/communes/{w['vi_thuy'].pk}/2023/new/"),
    # accounts, API tokens, audit, map boundaries
    "accounts.two_factor_views.TokenForm": Row("province", lambda w: "/accounts/2fa/setup/"),
    "api.forms.TokenForm": Row("province", lambda w: "/api/tokens/"),
    "audit.forms.LogFilterForm": Row("province", lambda w: "/audit/", method="get"),
    "web.forms.BoundaryForm": Row("admin", lambda w: "/ban-do/ranh-gioi/"),
}  # fmt: skip

# Abstract bases: never bound to a request themselves; their fields are fuzzed in the subclasses.
BASES = {
    "web.forms.StyledForm",
    "places.agency_forms.VersionedForm",
    "recognition.forms.VersionedForm",
    "recognition.forms.DecisionForm",
    "catalogue.forms._ChangeForm",
    "catalogue.forms.ThresholdFields",
    "plans.forms._StatusForm",
}

# Pages that read parameters by hand (not through a form): fuzzed the same way with GET.
QUERY_PAGES: dict[str, tuple[str, Callable[[dict], str], tuple[str, ...]]] = {
    "units": ("province", lambda w: "/units/", ("q", "edition")),
    "users": ("province", lambda w: "/accounts/users/", ("q", "status", "page")),
    "unit options": ("province", lambda w: "/accounts/unit-options/", ("unit_q",)),
    "agency options": ("province", lambda w: "/accounts/agency-options/", ("unit",)),
    "titles": ("province", lambda w: f"/recognition/unit/{w['hau_giang'].pk}/", ("on", "tier")),
    "maintenance": ("province", lambda w: f"/recognition/unit/{w['hau_giang'].pk}/maintenance/", ("year", "missing")),
    "works": ("commune", lambda w: f"/funding/{w['vi_binh'].pk}/works/", ("on", "format")),
    "overview": ("province", lambda w: f"/funding/{w['hau_giang'].pk}/2023/", ("money", "detail", "family")),
    "distance": ("province", lambda w: f"/funding/{w['hau_giang'].pk}/2023/distance/", ("work", "reach", "family", "money")),
    "targets": ("province", lambda w: f"/funding/{w['hau_giang'].pk}/2023/targets/", ("stretch", "family")),
    "scorecard": ("province", lambda w: f"/assessment/results/unit/{w['hau_giang'].pk}/2023/{w['tiny_set'].family}/", ("year", "family", "tier", "district", "sort")),
    "figure list": ("province", lambda w: f"/assessment/results/list/{w['hau_giang'].pk}/2023/{w['tiny_set'].family}/", ("figure", "criterion")),
    "statuses": ("province", lambda w: f"/plans/statuses/{w['vi_binh'].pk}/2023/", ("kind",)),
    "catalogue": ("anonymous", lambda w: "/ocop/san-pham/", ("page", "district", "commune", "star", "q")),
}  # fmt: skip


def project_form_classes() -> set[str]:
    found = set()
    for info in pkgutil.walk_packages(nongthon.__path__, "nongthon."):
        if ".migrations" in info.name or info.name.endswith(("settings", "wsgi", "cli")):
            continue
        module = importlib.import_module(info.name)
        for name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, forms.BaseForm) and obj.__module__ == info.name:
                found.add(f"{info.name.removeprefix('nongthon.')}.{name}")
    return found


def test_every_form_class_of_the_project_has_a_fuzzing_row():
    classes = project_form_classes()
    assert classes - set(ROWS) - BASES == set(), "forms without a fuzzing row"
    assert set(ROWS) | BASES <= classes, "rows for forms that no longer exist"


# --- Posting ----------------------------------------------------------------------------


def client_of(world: dict, who: str):
    from django.test import Client

    if who == "anonymous":
        return Client()
    if who == "own":
        return client_for(make_user(f"tu-doi-{len(world['ids'])}-{os.getpid()}"))
    return client_for(world["users"][who])


def fields_of(name: str, row: Row) -> dict[str, forms.Field | None]:
    form_class = _f(name)
    prefix = f"{row.prefix}-" if row.prefix else ""
    fields: dict[str, forms.Field | None] = {
        f"{prefix}{n}": f for n, f in form_class.base_fields.items()
    }
    fields.update({n: None for n in row.dynamic})
    return fields


def send(client, row: Row, url: str, data: dict):
    payload = {**data, **row.fixed}
    with transaction.atomic():
        # A savepoint per request: a database error is reported, not left to poison the next.
        if row.method == "get":
            return client.get(url, payload)
        return client.post(url, payload)


def tail() -> str:
    """Where the last error was raised: the end of its traceback."""
    return "".join(traceback.format_exc().splitlines(keepends=True)[-12:])


def fuzz(client, row: Row, url: str, fields: dict, ids: list[str]) -> None:
    def check(data: dict) -> None:
        response = send(client, row, url, data)
        assert response.status_code < 500, (url, data, response.status_code)

    # Two fixed examples first: every field at once huge, and every field a foreign id.
    check(
        {
            n: "9" * 30
            if f is None or not isinstance(f, forms.FileField)
            else SimpleUploadedFile("a.pdf", b"x")
            for n, f in fields.items()
        }
    )  # noqa: E501
    check({n: ids[-1] for n, f in fields.items() if not isinstance(f, forms.FileField)})
    strategy = st.fixed_dictionaries(
        {}, optional={n: strategy_for(f, ids) for n, f in fields.items()}
    )
    given(strategy)(FUZZ(check))()


@pytest.mark.parametrize("chunk", range(4))
def test_hostile_posts_to_every_form_never_answer_a_server_error(world, chunk):
    names = sorted(ROWS)[chunk::4]
    failures = []
    for name in names:
        row = ROWS[name]
        try:
            fuzz(
                client_of(world, row.user), row, row.url(world), fields_of(name, row), world["ids"]
            )
        except Exception as exc:  # noqa: BLE001  (collect all, then report every form that failed)
            failures.append(f"{name}: {type(exc).__name__}: {str(exc)[:1500]}\n{tail()}")
    assert not failures, "\n\n".join(failures)


def test_hostile_query_parameters_never_answer_a_server_error(world):
    failures = []
    for name, (who, url, params) in QUERY_PAGES.items():
        row = Row(who, url, method="get")
        try:
            fuzz(client_of(world, who), row, url(world), dict.fromkeys(params), world["ids"])
        except Exception as exc:  # noqa: BLE001
            failures.append(f"{name}: {type(exc).__name__}: {str(exc)[:1500]}\n{tail()}")
    assert not failures, "\n\n".join(failures)


def test_a_nul_character_anywhere_is_a_bad_request(world):
    client = client_for(world["users"]["province"])
    assert client.get("/units/", {"q": "a\x00b"}).status_code == 400
    assert (
        client.post(
            f"/plans/directives/new/{world['hau_giang'].pk}/", {"title": "\x00"}
        ).status_code
        == 400
    )
    # The guard leaves ordinary requests alone.
    assert client.get("/units/", {"q": "vị bình"}).status_code == 200
