"""The national demo generator is deterministic: the same seed makes the same data, another seed
other data. Apart from test_demo_national.py, whose module-wide build would be skipped over."""

from __future__ import annotations

from django.db import transaction

from nongthon.assessment.models import Evaluation
from nongthon.catalogue.services import load_national_sets
from nongthon.funding.models import Work
from nongthon.ocop.models import Certificate, Product
from nongthon.recognition.models import Title
from tests.test_demo_national import build


def fingerprint() -> tuple:
    return (
        sorted(
            Evaluation.objects.values_list("unit__code", "year", "met_count", "effective_region")
        ),
        sorted(Product.objects.values_list("name", "code", "commune__code")),
        sorted(Certificate.objects.values_list("product__name", "star", "decision_date")),
        sorted(Title.objects.values_list("unit__code", "tier", "year")),
        sorted(Work.objects.values_list("commune__code", "criterion_number", "investment_total")),
    )


def test_the_same_seed_makes_the_same_data_and_another_seed_other_data(db):
    """On TP Cần Thơ (2025) alone, built three times from an empty data set."""
    load_national_sets()
    fingerprints = []
    for seed in (7, 7, 8):
        with transaction.atomic():
            build(seed, provinces=["92"])
            fingerprints.append(fingerprint())
            transaction.set_rollback(True)
    assert fingerprints[0] == fingerprints[1]
    assert fingerprints[0] != fingerprints[2]
