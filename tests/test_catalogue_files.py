"""Criteria-set files: the shipped sets say only what the reference gives, loading is idempotent
and versioned, a malformed file is refused whole with file/line/field messages, and the
load_criteria command reports what it did."""

from __future__ import annotations

import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from nongthon.assessment.evaluation import recompute
from nongthon.assessment.models import Evaluation
from nongthon.assessment.services import ValueEntry, save_values
from nongthon.catalogue.engine import Status, UnitFacts, ValueIn, evaluate
from nongthon.catalogue.files import CatalogueFileError
from nongthon.catalogue.models import CriteriaSet, Indicator, SetStatus, Threshold
from nongthon.catalogue.services import DATA_DIR, load_national_sets, load_set_file
from nongthon.catalogue.specs import spec_for

NF_NOTE = (
    "Ngưỡng chưa có trong tài liệu tham chiếu (NF): đánh giá thủ công; tỉnh bổ sung khi ban hành "
    "bộ tiêu chí cụ thể hóa."
)
SHIPPED = {
    "qd318-xa-ntm",
    "qd318-xa-nang-cao",
    "qd319-xa-kieu-mau",
    "qd320-huyen-ntm",
    "qd321-tinh-hoan-thanh",
    "qd51-2025-xa-ntm",
}
# Every threshold shipped, and nothing else: a number not in the reference must not slip in.
# (set, indicator, comparator, value, region, group, year, status)
SHIPPED_THRESHOLDS = {
    ("qd318-xa-ntm", "3.1", ">=", Decimal(80), "", None, None, "secondary"),
    ("qd318-xa-ntm", "3.2", "yes", None, "", None, None, "secondary"),
    ("qd318-xa-ntm", "15.4", ">=", Decimal(50), "TDMNPB", None, None, "secondary"),
    ("qd318-xa-ntm", "15.4", ">=", Decimal(70), "DBSH", None, None, "secondary"),
    ("qd319-xa-kieu-mau", "1", "yes", None, "", None, None, "verified"),
    ("qd319-xa-kieu-mau", "3", ">=", Decimal(1), "", None, None, "verified"),
    ("qd320-huyen-ntm", "1.1", "yes", None, "", None, None, "secondary"),
    ("qd320-huyen-ntm", "1.2", ">=", Decimal(1), "", None, None, "secondary"),
    ("qd321-tinh-hoan-thanh", "1", ">=", Decimal(100), "", None, None, "secondary"),
    ("qd321-tinh-hoan-thanh", "2", ">=", Decimal(100), "", None, None, "secondary"),
    ("qd321-tinh-hoan-thanh", "3", ">=", Decimal(20), "", None, None, "secondary"),
    ("qd321-tinh-hoan-thanh", "4", ">=", Decimal(40), "", None, None, "secondary"),
    ("qd321-tinh-hoan-thanh", "5", "yes", None, "", None, None, "secondary"),
    ("qd321-tinh-hoan-thanh", "6", ">=", Decimal(70), "", None, None, "secondary"),
    ("qd321-tinh-hoan-thanh", "7", ">=", Decimal(4), "", None, None, "secondary"),
    ("qd321-tinh-hoan-thanh", "8", ">=", Decimal(90), "", None, None, "secondary"),
}
QD318 = DATA_DIR / "qd318-xa-ntm.yaml"


@pytest.fixture
def shipped(db) -> dict[str, CriteriaSet]:
    return {o.criteria_set.code: o.criteria_set for o in load_national_sets()}


def indicators(criteria_set: CriteriaSet):
    return Indicator.objects.filter(criterion__criteria_set=criteria_set).prefetch_related(
        "thresholds"
    )


# --- The shipped sets ------------------------------------------------------------------------


def test_every_shipped_file_loads_as_a_new_national_set(db):
    outcomes = load_national_sets()
    assert {o.criteria_set.code for o in outcomes} == SHIPPED
    assert {o.action for o in outcomes} == {"created"}
    for o in outcomes:
        s = o.criteria_set
        assert (s.family, s.province, s.refines, s.status) == (s.code, None, None, "active")


def test_the_318_commune_set_has_19_criteria_in_the_5_groups(shipped):
    s = shipped["qd318-xa-ntm"]
    assert (s.level, s.tier, s.period_from, s.period_to) == ("commune", "ntm", 2021, 2025)
    assert (s.basis, s.basis_article, str(s.basis_date)) == (
        "QĐ 318/QĐ-TTg",
        "Phụ lục I",
        "2022-03-08",
    )
    criteria = list(s.criteria.order_by("number"))
    assert [c.number for c in criteria] == list(range(1, 20))
    groups = {c.number: c.group for c in criteria}
    assert sorted(set(groups.values())) == [
        "I. Quy hoạch",
        "II. Hạ tầng kinh tế – xã hội",
        "III. Kinh tế và tổ chức sản xuất",
        "IV. Văn hóa – Xã hội – Môi trường",
        "V. Hệ thống chính trị",
    ]
    assert [n for n, g in groups.items() if g.startswith("III.")] == [10, 11, 12, 13]
    assert criteria[16].name == "Môi trường và an toàn thực phẩm"


def test_the_318_commune_set_has_the_indicators_of_the_reference(shipped):
    codes = [i.code for i in indicators(shipped["qd318-xa-ntm"]).order_by("criterion__number")]
    expected = (
        ["1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "4.1", "4.2", "5"]
        + ["6.1", "6.2", "6.3", "7", "8.1", "8.2", "8.3", "8.4", "9.1", "9.2"]
        + ["10", "11", "12", "13", "14", "15.1", "15.2", "15.3", "15.4", "16"]
        + [f"17.{n}" for n in range(1, 11)]
        + [f"18.{n}" for n in range(1, 7)]
        + ["19.1", "19.2"]
    )
    assert codes == expected


def test_the_2026_set_has_10_criteria_each_judged_by_hand_as_a_whole(shipped):
    s = shipped["qd51-2025-xa-ntm"]
    assert (s.basis, str(s.basis_date), s.period_from, s.period_to) == (
        "QĐ 51/2025/QĐ-TTg",
        "2025-12-29",
        2026,
        2030,
    )
    assert s.criteria.count() == 10
    assert s.region_overrides == []
    rows = list(indicators(s).order_by("criterion__number"))
    assert [i.code for i in rows] == [f"{n}.0" for n in range(1, 11)]
    for i in rows:
        assert i.name == "Đánh giá chung tiêu chí (47 chỉ tiêu chưa có trong tài liệu tham chiếu)"
        assert list(i.thresholds.all()) == []
        assert i.note == NF_NOTE
    for group in ("Nhóm 1:", "Nhóm 2:", "Nhóm 3:"):
        assert group in s.notes


@pytest.mark.parametrize(
    ("code", "keys"),
    [
        ("qd318-xa-ntm", {10: "Thu nhập", 17: "Môi trường và an toàn thực phẩm",
                          19: "Quốc phòng và An ninh"}),
        ("qd318-xa-nang-cao", {10: "Thu nhập", 17: "Môi trường",
                               18: "Chất lượng môi trường sống", 19: "Quốc phòng và An ninh"}),
        ("qd320-huyen-ntm", {6: "Kinh tế", 7: "Môi trường", 8: "Chất lượng môi trường sống",
                             9: "Hệ thống chính trị – An ninh trật tự – Hành chính công"}),
        ("qd51-2025-xa-ntm", {}),
    ],
)  # fmt: skip
def test_the_key_criteria_of_the_revocation_rule_are_flagged(shipped, code, keys):
    flagged = dict(shipped[code].criteria.filter(is_key=True).values_list("number", "name"))
    assert flagged == keys


def test_indicator_3_1_has_one_national_threshold_of_80_with_its_source(shipped):
    indicator = indicators(shipped["qd318-xa-ntm"]).get(code="3.1")
    (threshold,) = indicator.thresholds.all()
    assert (threshold.comparator, threshold.value, threshold.region) == (">=", 80, "")
    assert threshold.source == "QĐ 318/QĐ-TTg, Phụ lục I (nguồn thứ cấp S3b)"
    assert threshold.status == "secondary"
    assert indicator.name_verified


def test_only_the_thresholds_the_reference_gives_are_shipped(shipped):
    rows = Threshold.objects.values_list(
        "indicator__criterion__criteria_set__code",
        "indicator__code",
        "comparator",
        "value",
        "region",
        "commune_group",
        "year",
        "status",
    )
    assert set(rows) == SHIPPED_THRESHOLDS
    assert len(rows) == len(SHIPPED_THRESHOLDS)


def test_every_threshold_cites_the_decision_and_the_source_tag(shipped):
    for t in Threshold.objects.all():
        assert re.match(r"QĐ \d+/(\d+/)?QĐ-TTg.*\(nguồn[^)]* S\d+[a-z]?", t.source), t.source
        # secondary exactly when the source is a secondary one
        assert ("thứ cấp" in t.source) == (t.status == "secondary"), t.source


def test_indicators_without_a_threshold_say_why_and_are_judged_by_hand(shipped):
    for i in Indicator.objects.filter(thresholds__isnull=True):
        if i.code == "15.3" and i.criterion.criteria_set.code == "qd318-xa-ntm":
            continue  # values known, comparator doubtful: its own note (next test)
        assert NF_NOTE in i.note, (i.criterion.criteria_set.code, i.code)


def test_stunting_values_stay_in_the_note_because_the_comparator_is_doubtful(shipped):
    stunting = indicators(shipped["qd318-xa-ntm"]).get(code="15.3")
    assert list(stunting.thresholds.all()) == []
    for value in ("TDMNPB 24%", "ĐBSH 16,5%", "ĐBSCL 19%", "«≥»", "(≤)", "đánh giá thủ công"):
        assert value in stunting.note


def test_recalled_indicator_names_are_marked_unverified_with_a_note(shipped):
    rows = indicators(shipped["qd318-xa-ntm"])
    assert {i.code for i in rows if i.name_verified} == {"3.1", "3.2", "10", "15.3", "15.4"}
    for i in rows.filter(name_verified=False):
        assert "chưa đối chiếu văn bản (U)" in i.note, i.code


def test_the_318_rule_and_its_2024_widening_send_flagged_communes_to_the_tdmnpb_level(shipped):
    rules = shipped["qd318-xa-ntm"].region_overrides
    assert [(r["flags"], r["region"], r["since"]) for r in rules] == [
        (["dbkk", "atk_poor_district"], "TDMNPB", "2022-03-08"),
        (
            ["khu_vuc_ii", "khu_vuc_iii", "coastal_difficult", "island_difficult",
             "atk_poor_district"],
            "TDMNPB",
            "2024-03-01",
        ),
    ]  # fmt: skip
    assert rules[0]["source"].startswith("QĐ 318/QĐ-TTg, Điều 1")
    assert rules[1]["source"].startswith("QĐ 211/QĐ-TTg ngày 01/3/2024")
    spec = spec_for(shipped["qd318-xa-ntm"])
    values = {"15.4": ValueIn(Decimal("55"))}
    mekong = evaluate(spec, UnitFacts(year=2023, region="DBSCL"), values)
    mountain = evaluate(spec, UnitFacts(year=2023, region="DBSCL", flags={"dbkk"}), values)
    by_hand, held = mekong.criterion(15).indicators[3], mountain.criterion(15).indicators[3]
    assert (by_hand.status, by_hand.by_hand) == (Status.MISSING, True)
    assert held.status == Status.MET
    assert "55% ≥ 50%" in held.reason


def test_the_district_set_keeps_the_recognition_conditions_as_notes_not_criteria(shipped):
    s = shipped["qd320-huyen-ntm"]
    assert s.level == "district"
    assert s.criteria.count() == 9
    for condition in ("(1) 100% số xã", "(2) Ít nhất 10%", "(3) 100% số thị trấn", "90%", "80%"):
        assert condition in s.notes
    assert "(5) Đạt đủ 9 tiêu chí" in s.notes


def test_the_model_commune_conditions_and_the_province_conditions(shipped):
    kieu_mau = shipped["qd319-xa-kieu-mau"]
    assert list(kieu_mau.criteria.values_list("number", flat=True)) == [1, 2, 3, 4]
    income = indicators(kieu_mau).get(code="2")
    assert list(income.thresholds.all()) == [] and "10%" in income.note
    province = shipped["qd321-tinh-hoan-thanh"]
    assert (province.level, province.tier, province.criteria.count()) == (
        "province",
        "hoan_thanh",
        8,
    )
    green = indicators(province).get(code="7")
    assert green.unit_of_measure == "m²/người"


# --- Versions --------------------------------------------------------------------------------


def copy_with(tmp_path: Path, old: str, new: str, source: Path = QD318) -> Path:
    text = source.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / source.name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


TIGHTER_3_1 = ("            value: 80\n", "            value: 85\n")


def test_loading_the_same_file_twice_changes_nothing(db):
    first = load_set_file(QD318)
    again = load_set_file(QD318)
    assert (first.action, again.action) == ("created", "unchanged")
    assert again.criteria_set.pk == first.criteria_set.pk
    assert CriteriaSet.objects.filter(code="qd318-xa-ntm").count() == 1


def test_a_changed_threshold_replaces_a_version_no_evaluation_has_used(db, tmp_path):
    first = load_set_file(QD318).criteria_set
    outcome = load_set_file(copy_with(tmp_path, *TIGHTER_3_1))
    assert outcome.action == "replaced"
    assert (outcome.criteria_set.pk, outcome.criteria_set.version) == (first.pk, 1)
    assert CriteriaSet.objects.filter(code="qd318-xa-ntm").count() == 1
    assert Threshold.objects.get(indicator__code="3.1").value == 85


def test_a_changed_threshold_makes_a_new_version_when_the_old_one_is_in_use(db, tmp_path, vi_binh):
    v1 = load_set_file(QD318).criteria_set
    save_values(
        None, unit=vi_binh, year=2023, family="qd318-xa-ntm", entries=[ValueEntry("3.1", "82")]
    )
    recompute(v1, [vi_binh], [2023])
    old = Evaluation.objects.get(unit=vi_binh, year=2023, criteria_set=v1)

    outcome = load_set_file(copy_with(tmp_path, *TIGHTER_3_1))

    assert outcome.action == "new_version"
    v2 = outcome.criteria_set
    v1.refresh_from_db()
    assert (v1.version, v1.status, v2.version, v2.status) == (
        1,
        SetStatus.SUPERSEDED,
        2,
        SetStatus.ACTIVE,
    )
    old.refresh_from_db()
    assert old.criteria_set == v1
    # The old evaluation is still explained by the thresholds of the version it used.
    reason = old.result["criteria"][2]["indicators"][0]["reason"]
    assert reason.startswith("3.1 đạt: 82% ≥ 80%")
    assert (
        Threshold.objects.get(indicator__criterion__criteria_set=v1, indicator__code="3.1").value
        == 80
    )
    assert (
        Threshold.objects.get(indicator__criterion__criteria_set=v2, indicator__code="3.1").value
        == 85
    )


# --- Malformed files -------------------------------------------------------------------------

GOOD = """\
# A small set whose lines the tests below break one at a time.
code: thu-loi
name: Bộ thử
level: commune
tier: ntm
period: [2021, 2025]
legal_basis:
  number: 318/QĐ-TTg
  date: 2022-03-08
criteria:
  - number: 3
    name: Thủy lợi và phòng, chống thiên tai
    indicators:
      - code: "3.1"
        name: Tưới tiêu chủ động
        kind: percent
        thresholds:
          - comparator: ">="
            value: 80
            region: DBSCL
            source: QĐ 318/QĐ-TTg
            status: secondary
      - code: "3.2"
        name: Phòng, chống thiên tai
        kind: boolean
  - number: 10
    name: Thu nhập
    indicators:
      - code: "10"
        name: Thu nhập bình quân đầu người
        kind: amount
"""


def line_of(text: str, snippet: str) -> int:
    """The line where `snippet` (which may span lines) first starts."""
    return text[: text.index(snippet)].count("\n") + 1


def refused(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "hong.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueFileError) as caught:
        load_set_file(path)
    assert not CriteriaSet.objects.filter(code="thu-loi").exists()
    return [str(p) for p in caught.value.problems]


def test_the_sample_of_these_tests_is_itself_well_formed(db, tmp_path):
    path = tmp_path / "tot.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_set_file(path).action == "created"


@pytest.mark.parametrize(
    ("old", "new", "at", "field", "says"),
    [
        ('">="', '"=>"', "comparator:", "comparator", "«=>» không hợp lệ"),
        ("value: 80", "value: tám mươi", "value:", "value", "«tám mươi» không phải số"),
        ("number: 10", "number: 3", "number: 3\n    name: Thu nhập", "number", "số 3"),
        ('code: "10"', 'code: "3.1"', '"3.1"\n        name: Thu nhập', "code", "«3.1» bị lặp"),
        ("region: DBSCL", "region: MEKONG", "region:", "region", "«MEKONG» không phải vùng"),
        ("    indicators:\n      - code: \"3.1\"",
         "    min_met: 3\n    indicators:\n      - code: \"3.1\"",
         "min_met:", "min_met", "lớn hơn số chỉ tiêu (2)"),
        ("thresholds:", "thresold:", "thresold:", "thresold", "trường không xác định"),
        ('code: "10"', "code: 10.10", "10.10", "code", "viết mã trong ngoặc kép"),
        ("kind: amount", "kind: amount\n        kind: number", "kind: number", "kind",
         "trường bị lặp"),
    ],
    ids=["comparator", "value", "criterion-number", "indicator-code", "region", "min-met",
         "misspelt-field", "unquoted-code", "repeated-field"],
)  # fmt: skip
def test_a_malformed_file_is_refused_naming_the_file_the_line_and_the_field(
    db, tmp_path, old, new, at, field, says
):
    assert GOOD.count(old) == 1
    text = GOOD.replace(old, new)
    line = line_of(text, at)
    (problem,) = refused(tmp_path, text)
    assert problem.startswith(f"tệp hong.yaml, dòng {line}, trường «{field}»: ")
    assert says in problem


def test_a_file_without_legal_basis_is_refused(db, tmp_path):
    text = GOOD.replace("legal_basis:\n  number: 318/QĐ-TTg\n  date: 2022-03-08\n", "")
    (problem,) = refused(tmp_path, text)
    assert problem.startswith("tệp hong.yaml, dòng 2, trường «legal_basis»: thiếu căn cứ pháp lý")


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("name: Tưới tiêu chủ động", "name: [Tưới tiêu chủ động", "name"),
        ("kind: boolean", "kind: boolean: yes", "kind"),
    ],
)
def test_a_file_that_is_not_yaml_is_refused_naming_the_line_and_field(
    db, tmp_path, old, new, field
):
    text = GOOD.replace(old, new)
    (problem,) = refused(tmp_path, text)
    line = line_of(text, new)
    assert problem.startswith(f"tệp hong.yaml, dòng {line}, trường «{field}»: không đọc được YAML")


def test_every_problem_of_a_file_is_reported_at_once(db, tmp_path):
    text = (
        GOOD.replace('comparator: ">="', 'comparator: "=>"')
        .replace("region: DBSCL", "region: MEKONG")
        .replace("- number: 10", "- number: 3")
    )
    duplicate = "- number: 3\n    name: Thu nhập"
    problems = refused(tmp_path, text)
    assert [p.split(":")[0] for p in problems] == [
        f"tệp hong.yaml, dòng {line_of(text, 'comparator')}, trường «comparator»",
        f"tệp hong.yaml, dòng {line_of(text, 'region:')}, trường «region»",
        f"tệp hong.yaml, dòng {line_of(text, duplicate)}, trường «number»",
    ]


# --- The command -----------------------------------------------------------------------------


def run(*args: str) -> str:
    out = StringIO()
    call_command("load_criteria", *args, stdout=out)
    return out.getvalue()


def test_the_command_loads_every_shipped_set_and_says_what_it_did(db):
    first = run()
    for code in SHIPPED:
        assert f"{code} v1: tạo mới" in first
    assert sorted(run().splitlines()) == sorted(f"{code} v1: không đổi" for code in SHIPPED)


def test_the_command_loads_the_files_it_is_given(db, tmp_path):
    path = tmp_path / "tot.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert run(str(path)) == "thu-loi v1: tạo mới\n"
    assert set(CriteriaSet.objects.values_list("code", flat=True)) == {"thu-loi"}


def test_the_command_refuses_a_bad_file_listing_every_problem_and_stores_nothing(db, tmp_path):
    good = tmp_path / "tot.yaml"
    good.write_text(GOOD.replace("code: thu-loi", "code: tot"), encoding="utf-8")
    bad = tmp_path / "hong.yaml"
    text = GOOD.replace('comparator: ">="', 'comparator: "=>"').replace("DBSCL", "MEKONG")
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run(str(good), str(bad), str(tmp_path / "khong-co.yaml"))
    message = str(caught.value)
    assert "3 lỗi" in message
    comparator, region = line_of(text, "comparator:"), line_of(text, "region:")
    assert f"tệp hong.yaml, dòng {comparator}, trường «comparator»: «=>» không hợp lệ" in message
    assert f"tệp hong.yaml, dòng {region}, trường «region»: «MEKONG» không phải vùng" in message
    assert "tệp khong-co.yaml, dòng 0: không tìm thấy tệp" in message
    assert not CriteriaSet.objects.exists()


def test_the_command_stores_a_provinces_set_after_the_set_it_refines_in_its_family(
    db, tmp_path, hau_giang
):
    base = tmp_path / "tot.yaml"
    base.write_text(GOOD, encoding="utf-8")
    own = tmp_path / "hau-giang.yaml"
    own.write_text(
        GOOD.replace("code: thu-loi", "code: 93-thu-loi\nrefines: thu-loi")
        .replace("period:", 'province: "93"\nperiod:')
        .replace("source: QĐ 318/QĐ-TTg", "source: QĐ 864/QĐ-UBND")
        .replace("status: secondary", "status: provincial"),
        encoding="utf-8",
    )  # fmt: skip
    output = run(str(own), str(base))
    assert output.splitlines() == ["thu-loi v1: tạo mới", "93-thu-loi v1: tạo mới"]
    refinement = CriteriaSet.objects.get(code="93-thu-loi")
    assert (refinement.refines.code, refinement.province, refinement.family) == (
        "thu-loi",
        hau_giang,
        "thu-loi",
    )


def test_the_command_reevaluates_the_units_of_a_changed_set(db, tmp_path, vi_binh):
    run(str(QD318))
    save_values(
        None, unit=vi_binh, year=2023, family="qd318-xa-ntm", entries=[ValueEntry("3.1", "82")]
    )
    output = run(str(copy_with(tmp_path, *TIGHTER_3_1)), "--note", "Thử siết ngưỡng 3.1")
    assert output.splitlines() == [
        "qd318-xa-ntm v2: tạo phiên bản mới",
        "  đánh giá lại 1 kết quả (đơn vị × năm)",
    ]
    v2 = CriteriaSet.objects.get(code="qd318-xa-ntm", status=SetStatus.ACTIVE)
    assert v2.change_note == "Thử siết ngưỡng 3.1"
    evaluation = Evaluation.objects.get(unit=vi_binh, year=2023, criteria_set=v2)
    assert evaluation.result["criteria"][2]["indicators"][0]["reason"].startswith(
        "3.1 chưa đạt: 82% < 85%"
    )
