# ruff: noqa: E501  (the table reads best one URL per line)
"""Every URL pattern of the project has a row here (issue 11): who may open it, and what the
others get. For each page of the site, opened with GET on objects of Hậu Giang:

- anonymous visitors are sent to the login page (public pages: the OCOP catalogue and labels);
- an outsider (a coordinator of Cần Thơ under the 2025 list, who reaches nothing in Hậu Giang)
  gets the answer in OUTSIDER, 404 for every page about an object or a unit — the same answer a
  missing id gives, so a refusal never tells whether the object exists;
- an insider (the row's user) opens it.

The REST API's operations and the Django admin are checked the same way from their own lists
(the OpenAPI document, the admin's registry). A new URL without a row fails the first test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import client_for

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
MISSING = 987654321  # an id no object has


def url_names(patterns=None, namespace: str = "") -> list[str]:
    """Every named URL pattern, with its namespaces ("plans:task")."""
    names = []
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            names += url_names(
                p.url_patterns, namespace + (f"{p.namespace}:" if p.namespace else "")
            )
        elif isinstance(p, URLPattern) and p.name:
            names.append(namespace + p.name)
    return names


# URL name → (the insider's role in the world, the URL's arguments).
Args = Callable[[dict], list]
ARGS: dict[str, tuple[str, Args]] = {
    # site
    "api_tokens": ("province", lambda w: []),
    "api_token_revoke": ("province", lambda w: [w["token"].pk]),
    "home": ("province", lambda w: []),
    "login": ("province", lambda w: []),
    "logout": ("province", lambda w: []),
    "set_language": ("province", lambda w: []),
    # places
    "places:browse": ("province", lambda w: []),
    "places:unit": ("province", lambda w: [w["vi_binh"].pk]),
    "places:unit_history": ("province", lambda w: [w["vi_binh"].pk]),
    "places:history": ("province", lambda w: []),
    "places:hamlets:create": ("district", lambda w: [w["vi_binh"].pk]),
    "places:hamlets:detail": ("district", lambda w: [w["hamlet"].pk]),
    "places:hamlets:edit": ("district", lambda w: [w["hamlet"].pk]),
    "places:hamlets:retire": ("district", lambda w: [w["hamlet"].pk]),
    "places:hamlets:restore": ("district", lambda w: [w["retired"].pk]),
    "places:hamlets:import": ("district", lambda w: [w["vi_thuy"].pk]),
    "places:hamlets:template": ("district", lambda w: [w["vi_thuy"].pk]),
    "places:agencies:detail": ("province", lambda w: [w["agency"].pk]),
    "places:agencies:rename": ("province", lambda w: [w["agency"].pk]),
    "places:agencies:end": ("province", lambda w: [w["agency"].pk]),
    "places:agencies:add": ("province", lambda w: [w["hau_giang"].pk]),
    "places:agencies:merge": ("province", lambda w: [w["hau_giang"].pk]),
    # accounts
    "accounts:users": ("province", lambda w: []),
    "accounts:user_create": ("province", lambda w: []),
    "accounts:user": ("province", lambda w: [w["someone"].pk]),
    "accounts:user_edit": ("province", lambda w: [w["someone"].pk]),
    "accounts:user_password": ("province", lambda w: [w["someone"].pk]),
    "accounts:user_deactivate": ("province", lambda w: [w["someone"].pk]),
    "accounts:user_reactivate": ("province", lambda w: [w["someone"].pk]),
    "accounts:membership_add": ("province", lambda w: [w["someone"].pk]),
    "accounts:membership_remove": ("province", lambda w: [w["someone"].pk, w["membership"].pk]),
    "accounts:unit_options": ("province", lambda w: []),
    "accounts:agency_options": ("province", lambda w: []),
    "accounts:me": ("province", lambda w: []),
    "accounts:my_profile": ("province", lambda w: []),
    "accounts:2fa_verify": ("province", lambda w: []),
    "accounts:2fa_setup": ("province", lambda w: []),
    "accounts:2fa_backup_codes": ("province", lambda w: []),
    "accounts:2fa_disable": ("province", lambda w: []),
    "accounts:unlock_login": ("province", lambda w: [w["someone"].pk]),
    "accounts:reset_2fa": ("province", lambda w: [w["someone"].pk]),
    # criteria
    "catalogue:sets": ("province", lambda w: []),
    "catalogue:upload": ("province", lambda w: []),
    "catalogue:set": ("province", lambda w: [w["hg_set"].pk]),
    "catalogue:refine": ("province", lambda w: [w["tiny_set"].pk]),
    "catalogue:threshold": ("province", lambda w: [w["hg_set"].pk]),
    "catalogue:threshold_remove": ("province", lambda w: [w["hg_set"].pk]),
    "catalogue:indicator_add": ("province", lambda w: [w["hg_set"].pk]),
    "catalogue:responsibility": ("province", lambda w: [w["hau_giang"].pk, w["tiny_set"].family]),
    # assessment
    "assessment:evidence_download": ("commune", lambda w: [w["evidence"].pk]),
    "assessment:evidence_remove": ("commune", lambda w: [w["evidence"].pk]),
    "assessment:entry_page": ("commune", lambda w: [w["vi_binh"].pk, 2023, w["tiny_set"].family]),
    "assessment:entry_profile": ("commune", lambda w: [w["vi_binh"].pk, 2023, w["tiny_set"].family]),
    "assessment:entry_preview": ("commune", lambda w: [w["vi_binh"].pk, 2023, w["tiny_set"].family]),
    "assessment:evidence_list": ("commune", lambda w: [w["vi_binh"].pk, 2023, w["tiny_set"].family, "3.1"]),
    "assessment:excel_choose": ("district", lambda w: [w["vi_thuy"].pk]),
    "assessment:excel_page": ("district", lambda w: [w["vi_thuy"].pk, 2023, w["tiny_set"].family]),
    "assessment:excel_template": ("district", lambda w: [w["vi_thuy"].pk, 2023, w["tiny_set"].family]),
    "assessment:results_index": ("province", lambda w: []),
    "assessment:results_scorecard": ("province", lambda w: [w["vi_binh"].pk, 2023, w["tiny_set"].family]),
    "assessment:results_value_history": ("province", lambda w: [w["vi_binh"].pk, 2023, w["tiny_set"].family, "3.1"]),
    "assessment:results_matrix": ("province", lambda w: [w["hau_giang"].pk, 2023, w["tiny_set"].family]),
    "assessment:results_list": ("province", lambda w: [w["hau_giang"].pk, 2023, w["tiny_set"].family]),
    "assessment:confirm_queue": ("province", lambda w: []),
    "assessment:confirm_decide": ("admin", lambda w: [w["vi_binh"].pk, 2023, w["tiny_set"].family, 3]),
    # plans
    "plans:index": ("province", lambda w: []),
    "plans:plan_create": ("province", lambda w: [w["hau_giang"].pk]),
    "plans:plan": ("province", lambda w: [w["plan"].pk]),
    "plans:plan_edit": ("province", lambda w: [w["plan"].pk]),
    "plans:target_create": ("province", lambda w: [w["plan"].pk]),
    "plans:fund_create": ("province", lambda w: [w["plan"].pk]),
    "plans:fund_edit": ("province", lambda w: [w["fund_line"].pk]),
    "plans:fund_delete": ("province", lambda w: [w["fund_line"].pk]),
    "plans:plan_docx": ("province", lambda w: [w["plan"].pk]),
    "plans:report_docx": ("province", lambda w: [w["plan"].pk]),
    "plans:target": ("province", lambda w: [w["target"].pk]),
    "plans:target_edit": ("province", lambda w: [w["target"].pk]),
    "plans:target_delete": ("province", lambda w: [w["target"].pk]),
    "plans:directive_create": ("province", lambda w: [w["hau_giang"].pk]),
    "plans:directive": ("province", lambda w: [w["directive"].pk]),
    "plans:task_create": ("province", lambda w: ["plan", w["plan"].pk]),
    "plans:task_import": ("province", lambda w: ["plan", w["plan"].pk]),
    "plans:export_xlsx": ("province", lambda w: ["plan", w["plan"].pk]),
    "plans:task": ("province", lambda w: [w["task"].pk]),
    "plans:task_edit": ("province", lambda w: [w["task"].pk]),
    "plans:task_reopen": ("province", lambda w: [w["task"].pk]),
    "plans:task_cancel": ("province", lambda w: [w["task"].pk]),
    "plans:note_evidence": ("province", lambda w: [w["note"].pk]),
    "plans:agency": ("province", lambda w: [w["agency"].pk]),
    "plans:office": ("province", lambda w: [w["hau_giang"].pk]),
    "plans:statuses": ("district", lambda w: [w["vi_binh"].pk, 2023]),
    "plans:appendix_template": ("province", lambda w: []),
    "plans:status_list": ("district", lambda w: ["households", w["vi_thuy"].pk, 2023]),
    "plans:status_add": ("district", lambda w: ["households", w["vi_thuy"].pk, 2023]),
    "plans:status_edit": ("district", lambda w: ["households", w["household_status"].pk]),
    "plans:status_delete": ("district", lambda w: ["households", w["household_status"].pk]),
    # OCOP
    "ocop:public_catalogue": ("anonymous", lambda w: []),
    "ocop:public_product": ("anonymous", lambda w: [w["product"].public_id]),
    "ocop:public_qr": ("anonymous", lambda w: [w["product"].public_id, "svg"]),
    "ocop:public_label": ("anonymous", lambda w: [w["product"].public_id]),
    "ocop:public_photo": ("anonymous", lambda w: [w["product"].public_id, w["photo"].pk]),
    "ocop:products": ("province", lambda w: []),
    "ocop:product": ("commune", lambda w: [w["product"].pk]),
    "ocop:product_edit": ("commune", lambda w: [w["product"].pk]),
    "ocop:photo_add": ("commune", lambda w: [w["product"].pk]),
    "ocop:photo": ("commune", lambda w: [w["product"].pk, w["photo"].pk]),
    "ocop:producer_new": ("commune", lambda w: []),
    "ocop:producer_edit": ("commune", lambda w: [w["producer"].pk]),
    "ocop:product_new": ("commune", lambda w: [w["producer"].pk]),
    "ocop:sheets": ("province", lambda w: []),
    "ocop:sheet": ("admin", lambda w: [w["sheet"].pk]),
    "ocop:sheet_download": ("province", lambda w: [w["sheet"].pk]),
    "ocop:councils": ("province", lambda w: []),
    "ocop:council": ("province", lambda w: [w["council"].pk]),
    "ocop:round": ("province", lambda w: [w["round"].pk]),
    "ocop:score": ("member", lambda w: [w["evaluation"].pk]),
    "ocop:result": ("province", lambda w: [w["evaluation"].pk]),
    "ocop:revoke": ("province", lambda w: [w["certificate"].pk]),
    "ocop:expiring": ("province", lambda w: []),
    # recognition
    "recognition:index": ("province", lambda w: []),
    "recognition:titles": ("province", lambda w: [w["hau_giang"].pk]),
    "recognition:conditions": ("province", lambda w: [w["vi_thuy"].pk]),
    "recognition:maintenance": ("province", lambda w: [w["hau_giang"].pk]),
    "recognition:applications": ("province", lambda w: [w["vi_thuy"].pk]),
    "recognition:merged": ("cantho", lambda w: [w["can_tho"].pk]),
    "recognition:record_past": ("province", lambda w: [w["hau_giang"].pk]),
    "recognition:title": ("province", lambda w: [w["title"].pk]),
    "recognition:revoke": ("province", lambda w: [w["title"].pk]),
    "recognition:decision": ("province", lambda w: [w["title"].decision_id]),
    "recognition:application": ("province", lambda w: [w["application"].pk]),
    "recognition:complete_step": ("province", lambda w: [w["application"].pk]),
    "recognition:add_document": ("province", lambda w: [w["application"].pk]),
    "recognition:satisfaction": ("province", lambda w: [w["application"].pk]),
    "recognition:security": ("province", lambda w: [w["application"].pk]),
    "recognition:debt": ("province", lambda w: [w["application"].pk]),
    "recognition:return": ("province", lambda w: [w["application"].pk]),
    "recognition:resubmit": ("province", lambda w: [w["application"].pk]),
    "recognition:decide": ("province", lambda w: [w["application"].pk]),
    # funding
    "funding:index": ("province", lambda w: []),
    "funding:overview": ("province", lambda w: [w["hau_giang"].pk, 2023]),
    "funding:line_new": ("province", lambda w: [w["hau_giang"].pk, 2023]),
    "funding:works": ("commune", lambda w: [w["vi_binh"].pk]),
    "funding:work_new": ("commune", lambda w: [w["vi_binh"].pk]),
    "funding:work": ("commune", lambda w: [w["work"].pk]),
    "funding:work_edit": ("commune", lambda w: [w["work"].pk]),
    "funding:distance": ("district", lambda w: [w["vi_thuy"].pk, 2023]),
    "funding:targets": ("province", lambda w: [w["hau_giang"].pk, 2023]),
    "funding:needs": ("province", lambda w: [w["hau_giang"].pk, 2023]),
    # reporting
    "reporting:index": ("province", lambda w: []),
    "reporting:unit": ("province", lambda w: [w["hau_giang"].pk]),
    "reporting:agency": ("province", lambda w: [w["agency"].pk]),
    "reporting:open": ("commune", lambda w: [w["draft"].period_id, w["vi_binh"].pk]),
    "reporting:submission": ("commune", lambda w: [w["draft"].pk]),
    "reporting:submission_docx": ("district", lambda w: [w["sent"].pk]),
    "reporting:grid": ("province", lambda w: [w["hau_giang"].pk, 2023]),
    "reporting:missing": ("province", lambda w: [w["hau_giang"].pk]),
    "reporting:compiled": ("province", lambda w: [w["hau_giang"].pk, 2023, "monthly", 3]),
    "reporting:schedule": ("province", lambda w: [w["hau_giang"].pk]),
    "reporting:rule": ("province", lambda w: [w["hau_giang"].pk, "xa-thang"]),
    "reporting:adhoc_new": ("province", lambda w: [w["hau_giang"].pk]),
    # audit, operations
    "audit:log": ("province", lambda w: []),
    "audit:export_xlsx": ("province", lambda w: []),
    "audit:export_csv": ("province", lambda w: []),
    "ops:failed_jobs": ("admin", lambda w: []),
    "ops:rerun_job": ("admin", lambda w: [w["failed_job"].pk]),
    # dashboard and map
    "web:dashboard": ("province", lambda w: [w["hau_giang"].pk]),
    "web:national": ("admin", lambda w: []),
    "web:national_xlsx": ("admin", lambda w: []),
    "web:workbook": ("province", lambda w: [w["hau_giang"].pk]),
    "web:chart_csv": ("province", lambda w: [w["hau_giang"].pk, "titles-trend"]),
    "web:boundaries": ("admin", lambda w: []),
    "web:map": ("province", lambda w: [w["hau_giang"].pk]),
    "web:map_data": ("province", lambda w: [w["hau_giang"].pk]),
}  # fmt: skip


@pytest.fixture
def url_world(world, commune_officer):
    """The security world, plus the objects only some pages show."""
    from nongthon.api import tokens
    from nongthon.assessment import evidence
    from nongthon.ocop import services as ocop
    from nongthon.ops.models import JobFailure
    from nongthon.plans import services as plans

    w = dict(world)
    w["evidence"] = evidence.attach_evidence(
        None,
        upload=SimpleUploadedFile("Biên bản.pdf", PDF),
        unit=w["vi_binh"],
        year=2023,
        family=w["tiny_set"].family,
        indicator_code="3.1",
    )
    w["fund_line"] = plans.add_fund_line(
        None, w["plan"], source="local", amount="100", money_unit="million", label="Ngân sách tỉnh"
    )
    w["directive"] = plans.create_directive(
        None, w["hau_giang"], kind="directive", body="UBND tỉnh", number="1/CT-UBND",
        issued_on=dt.date(2023, 1, 5), title="Chỉ thị",
    )  # fmt: skip
    w["note"] = plans.add_progress_note(
        None,
        w["task"],
        text="Đã làm",
        written_on=dt.date(2023, 6, 1),
        evidence=SimpleUploadedFile("Báo cáo.pdf", PDF),
    )
    w["household_status"] = plans.add_household_status(
        None,
        w["vi_binh"],
        "ho-gia-dinh-van-hoa",
        2023,
        households=100,
        achieved=90,
        as_of=dt.date(2023, 12, 31),
        source="Báo cáo xã",
    )
    w["photo"] = ocop.add_photo(
        None, product=w["product"], upload=SimpleUploadedFile("anh.png", PNG)
    )
    w["membership"] = w["someone"].memberships.first()
    w["token"] = tokens.create_token(w["users"]["province"], name="Cổng tỉnh", scope="read").token
    w["failed_job"] = JobFailure.objects.create(
        job_id="1", task_path="nongthon.assessment.tasks.recompute", attempt=1, max_attempts=3,
        exception_class="RuntimeError",
    )  # fmt: skip
    return w


# Query strings some pages need (a new producer is created in a commune).
QUERY: dict[str, Callable[[dict], dict]] = {
    "ocop:producer_new": lambda w: {"commune": w["vi_binh"].pk},
}

# The fixed part of an action's POST (which action), so the empty form reaches the view.
POST_DATA: dict[str, dict] = {"assessment:confirm_decide": {"action": "return"}}
# Where the row's user is refused on purpose: new backup codes need a device already enrolled
# (a verified session; tests/test_accounts_two_factor.py goes through it).
INSIDER_EXPECTS: dict[str, set[int]] = {"accounts:2fa_backup_codes": {403}}

PUBLIC = {"login", "ocop:public_catalogue", "ocop:public_product", "ocop:public_qr",
          "ocop:public_label", "ocop:public_photo"}  # fmt: skip

# Pages that only act (POST); GET answers 405. They are checked with an empty POST.
POST_ONLY = {
    "logout", "accounts:2fa_backup_codes", "accounts:2fa_disable", "accounts:membership_add",
    "accounts:membership_remove", "accounts:reset_2fa", "accounts:unlock_login",
    "accounts:user_deactivate", "accounts:user_reactivate", "api_token_revoke",
    "assessment:confirm_decide", "assessment:entry_preview", "assessment:evidence_remove",
    "ocop:photo_add", "ops:rerun_job", "plans:fund_delete", "plans:status_delete",
    "plans:target_delete", "plans:task_reopen", "recognition:add_document",
    "recognition:complete_step", "recognition:debt", "recognition:decide",
    "recognition:record_past", "recognition:resubmit", "recognition:return",
    "recognition:satisfaction", "recognition:security", "reporting:open",
}  # fmt: skip

# What the outsider gets where it is not 404.
# 200: open to every signed-in user by design (the units directory, the criteria sets — national
# law and provinces' published refinements —, the official score sheets, one's own account), or
# lists that show only what the user reaches (checked empty of Hậu Giang below: LISTS).
OPEN = {
    "home", "login", "places:browse", "places:unit", "places:history", "catalogue:sets",
    "catalogue:set", "ocop:sheets", "ocop:sheet", "ocop:sheet_download", "accounts:me",
    "accounts:my_profile", "accounts:2fa_setup", "accounts:unit_options",
    "accounts:agency_options", "plans:appendix_template", "api_tokens",
    # forms for the user's own province
    "catalogue:upload", "accounts:user_create",
}  # fmt: skip
LISTS = {
    "accounts:users", "assessment:results_index", "assessment:confirm_queue", "audit:log",
    "audit:export_csv", "audit:export_xlsx", "funding:index", "ocop:products", "ocop:councils",
    "ocop:expiring", "plans:index", "reporting:index",
}  # fmt: skip
# 403: actions on objects everybody may see (a criteria set, the units directory's history),
# and the system administrators' pages.
FORBIDDEN = {
    "catalogue:refine", "catalogue:threshold", "catalogue:threshold_remove",
    "catalogue:indicator_add", "catalogue:responsibility", "places:unit_history",
    "ops:failed_jobs", "ops:rerun_job", "web:boundaries", "accounts:2fa_backup_codes",
}  # fmt: skip
# Pages that send everybody on (a language switch, the step after the password, an index that
# opens the user's own unit).
REDIRECTS = {"set_language", "accounts:2fa_verify", "recognition:index"}
# Acting on one's own account (signing out, turning off two-step sign-in) is anybody's right.
OWN_ACCOUNT = {"logout", "accounts:2fa_disable"}
# Cần Thơ's merged-units page: its insider is Cần Thơ, so its outsider is Hậu Giang's coordinator.
OUTSIDER_OF = {"recognition:merged": "province"}


def outsider_expects(name: str) -> set[int]:
    if name in PUBLIC:
        return {200}
    if name in REDIRECTS or name in OWN_ACCOUNT:
        return {302}
    if name in OPEN or name in LISTS:
        return {200}
    if name in FORBIDDEN:
        return {403}
    return {404}


def url_of(w: dict, name: str) -> str:
    who, args = ARGS[name]
    return reverse(name, args=args(w))


def client_as(w: dict, who: str) -> Client:
    return Client() if who == "anonymous" else client_for(w["users"][who])


def request(client: Client, w: dict, name: str):
    """GET the page, or an empty POST for the pages that only act, undone afterwards."""
    query = QUERY.get(name, lambda _w: {})(w)
    url = url_of(w, name)
    if name not in POST_ONLY:
        return client.get(url, query)
    with transaction.atomic():
        response = client.post(
            url + (f"?{urlencode(query)}" if query else ""), POST_DATA.get(name, {})
        )
        transaction.set_rollback(True)
    return response


def test_every_url_pattern_has_a_row():
    names = {n for n in url_names() if not n.startswith(("admin:", "api-v1:"))}
    assert names - set(ARGS) == set(), "URLs without a row in ARGS"
    assert set(ARGS) - names == set(), "rows for URLs that no longer exist"
    for table in (QUERY, POST_DATA, INSIDER_EXPECTS, PUBLIC, POST_ONLY, OPEN, LISTS, FORBIDDEN, REDIRECTS, OWN_ACCOUNT,
                  OUTSIDER_OF):  # fmt: skip
        assert set(table) <= names, table


def test_anonymous_visitors_are_sent_to_the_login_page_except_on_public_pages(url_world):
    failures = []
    for name in sorted(ARGS):
        response = request(Client(), url_world, name)
        if name in PUBLIC or name == "logout":
            ok = response.status_code in (200, 302) and "/login/?next=" not in response.get(
                "Location", ""
            )
        elif name == "set_language":
            ok = response.status_code == 302
        else:
            ok = response.status_code == 302 and response["Location"].startswith("/login/?next=")
        if not ok:
            failures.append(f"{name}: {response.status_code} {response.get('Location', '')}")
    assert not failures, "\n".join(failures)


def test_an_outsider_gets_404_as_for_a_missing_object_or_the_documented_answer(url_world):
    failures = []
    for name in sorted(ARGS):
        who = OUTSIDER_OF.get(name, "cantho")
        response = request(client_as(url_world, who), url_world, name)
        if response.status_code not in outsider_expects(name):
            failures.append(f"{name}: {response.status_code}, expected {outsider_expects(name)}")
    assert not failures, "\n".join(failures)


def test_a_missing_id_answers_the_same_404_to_the_insider(url_world):
    """So an outsider's 404 says nothing about whether the object exists."""
    failures = []
    for name in sorted(ARGS):
        who, args = ARGS[name]
        real = args(url_world)
        ints = [i for i, a in enumerate(real) if isinstance(a, int)]
        if who == "anonymous" or outsider_expects(name) != {404} or not ints:
            continue
        fake = list(real)
        fake[ints[0]] = MISSING  # the object or unit (a later int is a year)
        url = reverse(name, args=fake)
        client = client_as(url_world, who)
        with transaction.atomic():
            if name in POST_ONLY:
                response = client.post(url, POST_DATA.get(name, {}))
            else:
                response = client.get(url)
            transaction.set_rollback(True)
        if response.status_code != 404:
            failures.append(f"{name}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_the_insider_opens_every_page(url_world):
    failures = []
    for name in sorted(ARGS):
        who, _args = ARGS[name]
        response = request(client_as(url_world, who), url_world, name)
        # An action's empty POST is reached and refused as incomplete (200 with the form's
        # errors, 400, or 302 back with a message); a page is 200.
        expected = INSIDER_EXPECTS.get(
            name, {302} if name in REDIRECTS else {200, 302, 400} if name in POST_ONLY else {200}
        )
        if response.status_code not in expected:
            failures.append(f"{name} as {who}: {response.status_code}")
    assert not failures, "\n".join(failures)


def body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode(errors="replace")


def test_lists_open_to_everyone_show_an_outsider_nothing_of_hau_giang(url_world):
    w = url_world
    private = [w["someone"].username, w["product"].name, w["work"].name, w["task"].content,
               w["council"].name, "Vị Bình"]  # fmt: skip
    outsider = client_as(w, "cantho")
    insider = client_as(w, "province")
    failures = []
    for name in sorted(LISTS):
        seen = body(request(outsider, w, name))
        leaked = [text for text in private if text in seen]
        if leaked:
            failures.append(f"{name}: {leaked}")
    assert not failures, "\n".join(failures)
    # The same lists do show them to Hậu Giang's coordinator: the markers are real.
    assert w["product"].name in body(request(insider, w, "ocop:products"))
    assert w["someone"].username in body(request(insider, w, "accounts:users"))


# --- The REST API: every operation of the OpenAPI document -------------------------------------


@pytest.fixture
def api_world(url_world):
    from nongthon.assessment.models import Evaluation
    from nongthon.funding import services as funding

    w = dict(url_world)
    w["evaluation_row"] = Evaluation.objects.create(
        unit=w["vi_binh"], year=2023, criteria_set=w["tiny_set"], met_count=1, total=2,
        all_met=False, result={},
    )  # fmt: skip
    w["line"] = funding.record_line(None, w["vi_binh"], 2023, "local", "planned", "1 tỷ đồng")
    w["path"] = {
        "unit_id": w["vi_binh"].pk, "agency_id": w["agency"].pk, "set_id": w["hg_set"].pk,
        "evaluation_id": w["evaluation_row"].pk, "title_id": w["title"].pk,
        "application_id": w["application"].pk, "plan_id": w["plan"].pk,
        "target_id": w["target"].pk, "task_id": w["task"].pk, "producer_id": w["producer"].pk,
        "product_id": w["product"].pk, "certificate_id": w["certificate"].pk,
        "public_id": w["product"].public_id, "line_id": w["line"].pk, "work_id": w["work"].pk,
        "submission_id": w["sent"].pk, "period_id": w["sent"].period_id, "year": 2023,
        "family": w["tiny_set"].family,
    }  # fmt: skip
    # Required query parameters point into Hậu Giang too.
    w["query"] = {"unit": w["hau_giang"].pk, "year": 2023, "family": w["tiny_set"].family}
    return w


def api_operations() -> list[tuple[str, str, list[str], list[str]]]:
    """(method, path template, tags, required query parameters) of every API operation."""
    from nongthon.api.v1 import api

    out = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, op in operations.items():
            required = [
                p["name"] for p in op.get("parameters", []) if p["in"] == "query" and p["required"]
            ]
            out.append((method.upper(), path, op.get("tags", []), required))
    return out


def api_call(client: Client, w: dict, method: str, template: str, required: list[str], **headers):
    path = template
    for name, value in w["path"].items():
        path = path.replace("{" + name + "}", str(value))
    assert "{" not in path, f"no world object for {template}"
    query = {name: w["query"][name] for name in required}
    if method == "GET":
        return client.get(path, query, headers=headers)
    with transaction.atomic():
        response = getattr(client, method.lower())(
            path + (f"?{urlencode(query)}" if query else ""),
            "{}",
            content_type="application/json",
            headers=headers,
        )
        transaction.set_rollback(True)
    return response


# Reads open to every signed-in user (the units directory, criteria sets, funding sources, the
# caller), and the public catalogue open to everyone.
API_OPEN = {"/api/v1/me", "/api/v1/units", "/api/v1/units/{unit_id}", "/api/v1/criteria-sets",
            "/api/v1/criteria-sets/{set_id}", "/api/v1/funding/sources"}  # fmt: skip


def bearer(user) -> dict:
    from nongthon.api import tokens

    secret = tokens.create_token(user, name="kiểm tra", scope="write").secret
    return {"Authorization": f"Bearer {secret}"}


def test_every_api_operation_refuses_anonymous_callers(api_world):
    failures = []
    for method, template, tags, required in api_operations():
        response = api_call(Client(), api_world, method, template, required)
        expected = 200 if "ocop-public" in tags else 401
        if response.status_code != expected:
            failures.append(f"{method} {template}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_an_outsider_reads_nothing_of_hau_giang_through_the_api(api_world):
    w = api_world
    headers = bearer(w["users"]["cantho"])
    failures = []
    for method, template, tags, required in api_operations():
        if method != "GET" or "ocop-public" in tags or template in API_OPEN:
            continue
        response = api_call(Client(), w, method, template, required, **headers)
        if "{" in template or required:
            ok = response.status_code == 404
        else:  # a list: answered, and empty of what the outsider does not reach
            ok = response.status_code == 200 and response.json()["count"] == 0
        if not ok:
            failures.append(f"{template}: {response.status_code} {response.content[:200]!r}")
    assert not failures, "\n".join(failures)


def test_the_insider_reads_every_api_object_of_the_world(api_world):
    w = api_world
    headers = bearer(w["users"]["admin"])
    failures = []
    for method, template, _tags, required in api_operations():
        if method != "GET":
            continue
        response = api_call(Client(), w, method, template, required, **headers)
        if response.status_code != 200:
            failures.append(f"{template}: {response.status_code} {response.content[:200]!r}")
    assert not failures, "\n".join(failures)


def test_an_outsiders_write_is_refused_before_any_change(api_world):
    """Writes on Hậu Giang's objects with a valid body shape are refused (404 on the object,
    403 where the object is open to reading, 422 where the body is checked first)."""
    w = api_world
    headers = bearer(w["users"]["cantho"])
    failures = []
    for method, template, _tags, required in api_operations():
        if method == "GET" or "{" not in template:
            continue
        response = api_call(Client(), w, method, template, required, **headers)
        if response.status_code not in (403, 404, 422):
            failures.append(f"{method} {template}: {response.status_code}")
    assert not failures, "\n".join(failures)


# --- The Django admin: system administrators only ---------------------------------------------


def admin_urls(w: dict) -> list[str]:
    from django.contrib import admin

    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        urls.append(reverse("admin:app_list", args=[meta.app_label]))
    return sorted(set(urls))


def test_the_admin_opens_only_to_staff_accounts(url_world):
    from nongthon.accounts.models import User

    w = url_world
    staff = User.objects.create_superuser("sieuquantri", password="x" * 12)  # noqa: S106
    failures = []
    for url in admin_urls(w):
        for who in ("anonymous", "province", "admin", "cantho"):
            response = client_as(w, who).get(url)
            if response.status_code != 302 or "/admin/login/" not in response["Location"]:
                failures.append(f"{url} as {who}: {response.status_code}")
        if client_for(staff).get(url).status_code != 200:
            failures.append(f"{url} as a superuser")
    assert not failures, "\n".join(failures)
