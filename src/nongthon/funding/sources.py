"""The funding sources, loaded from funding/data/sources.yaml (idempotent), and lookups."""

from __future__ import annotations

from pathlib import Path

import yaml

from nongthon.places.text import fold

SOURCES_FILE = Path(__file__).resolve().parent / "data" / "sources.yaml"


def read_sources(path: Path = SOURCES_FILE) -> list[dict]:
    """The tree flattened parent-first: dicts with code, name, parent, nature, aliases."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    flat: list[dict] = []

    def walk(items: list[dict], parent: str | None) -> None:
        for item in items:
            flat.append(
                {
                    "code": item["code"],
                    "name": item["name"],
                    "parent": parent,
                    "nature": item.get("nature", ""),
                    "aliases": item.get("aliases", []),
                }
            )
            walk(item.get("parts", []), item["code"])

    walk(data["sources"], None)
    return flat


def load_sources(source_model) -> int:
    """Create or update every source; `source_model` lets migrations pass their frozen model."""
    by_code: dict[str, object] = {}
    for order, row in enumerate(read_sources()):
        obj, _created = source_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "parent": by_code.get(row["parent"]) if row["parent"] else None,
                "nature": row["nature"],
                "aliases": row["aliases"],
                "order": order,
            },
        )
        by_code[row["code"]] = obj
    return len(by_code)


def source_by_label(label: str, sources) -> object | None:
    """The source a written label names ("Vốn lồng ghép"), by folded alias or name."""
    wanted = fold(label).strip(" :-")
    for source in sources:
        names = [source.name, *source.aliases]
        if any(fold(n) == wanted for n in names):
            return source
    return None


def ensure_loaded() -> None:
    """Sources come with the schema (migration 0002); a flushed test database has none, so
    the use cases reload them when the table is empty."""
    from nongthon.funding.models import FundingSource

    if not FundingSource.objects.exists():
        load_sources(FundingSource)
