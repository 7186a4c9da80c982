"""The one-line declaration of an audited model, and the registry the audit log reads.

A model that matters declares

    history = AuditedHistory(unit="commune")

instead of `HistoricalRecords()`: django-simple-history keeps its history as before, each record
also carries the client's IP address (`AuditFields`, the custom base class simple-history
documents for extra fields), and the record is indexed in the project-wide audit log under the
unit that `unit` leads to (a dotted attribute path from the instance: "unit", "plan.unit",
"product.commune"; "self" for a unit itself; None for data of no unit, which only system admins
see in the log).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AuditFields(models.Model):
    """Extra columns of every audited historical table: where the change came from."""

    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)

    class Meta:
        abstract = True


@dataclass(frozen=True)
class Audited:
    model: type[models.Model]
    unit_path: str | None


# label ("plans.target") -> Audited; filled as models are prepared.
REGISTRY: dict[str, Audited] = {}


class AuditedHistory(HistoricalRecords):
    def __init__(self, *args, unit: str | None = None, **kwargs) -> None:
        kwargs.setdefault("bases", [AuditFields])
        super().__init__(*args, **kwargs)
        self.unit_path = unit

    def finalize(self, sender, **kwargs) -> None:
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            REGISTRY[sender._meta.label_lower] = Audited(sender, self.unit_path)


def audited(label: str) -> Audited | None:
    return REGISTRY.get(label)


def audited_models() -> list[Audited]:
    return sorted(REGISTRY.values(), key=lambda a: a.model._meta.label_lower)


def unit_of(instance: models.Model, path: str | None):
    """The unit the instance belongs to, following `path`; None when it has none (or its parent
    is already gone, as during a cascade)."""
    if path is None:
        return None
    if path == "self":
        return instance
    obj = instance
    try:
        for name in path.split("."):
            obj = getattr(obj, name)
            if obj is None:
                return None
    except ObjectDoesNotExist:
        return None
    return obj
