"""Helpers for the audit tests: changes made through real requests (so they carry an address)."""

from __future__ import annotations

from nongthon.places.models import Hamlet


def add_hamlet(client, commune, name: str, address: str = "203.0.113.7") -> Hamlet:
    response = client.post(
        f"/units/hamlets/commune/{commune.pk}/add/",
        {"name": name, "kind": "ap"},
        REMOTE_ADDR=address,
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return Hamlet.objects.get(commune=commune, name=name)


def rename_hamlet(client, hamlet: Hamlet, name: str, address: str = "203.0.113.7") -> None:
    hamlet.refresh_from_db()
    response = client.post(
        f"/units/hamlets/{hamlet.pk}/edit/",
        {"name": name, "kind": hamlet.kind, "version": hamlet.version},
        REMOTE_ADDR=address,
    )
    assert response.status_code == 302, response.content.decode()[:500]
