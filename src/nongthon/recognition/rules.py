"""The recognition rules as data: the procedure steps (procedure-*.yaml) and the conditions,
revocation thresholds and merger rule (rules.yaml). Read once per process."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Step:
    code: str
    name: str
    actor: str
    actor_roles: tuple[str, ...]
    verified: bool
    source: str
    rule: str
    deadline_days: int | None
    deadline_note: str
    min_postings: int | None = None
    within_days: int | None = None


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    basis: dict
    level: str
    steps: tuple[Step, ...] = field(default_factory=tuple)

    def step(self, code: str) -> Step:
        for s in self.steps:
            if s.code == code:
                return s
        raise KeyError(code)

    def index(self, code: str) -> int:
        return [s.code for s in self.steps].index(code)

    @property
    def first(self) -> Step:
        return self.steps[0]

    @property
    def last(self) -> Step:
        return self.steps[-1]


def _procedure(path: Path) -> Procedure:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    steps = tuple(
        Step(
            code=s["code"],
            name=s["name"],
            actor=s["actor"],
            actor_roles=tuple(s["actor_roles"]),
            verified=bool(s.get("verified")),
            source=s["source"].strip(),
            rule=s["rule"].strip(),
            deadline_days=s.get("deadline_days"),
            deadline_note=s.get("deadline_note", ""),
            min_postings=s.get("min_postings"),
            within_days=s.get("within_days"),
        )
        for s in raw["steps"]
    )
    return Procedure(raw["code"], raw["name"], raw["basis"], raw["level"], steps)


@cache
def procedures() -> dict[str, Procedure]:
    found = (_procedure(p) for p in sorted(DATA.glob("procedure-*.yaml")))
    return {p.code: p for p in found}


def procedure(code: str) -> Procedure:
    return procedures()[code]


def procedure_for_level(level: str) -> Procedure | None:
    return next((p for p in procedures().values() if p.level == level), None)


@cache
def rules() -> dict:
    return yaml.safe_load((DATA / "rules.yaml").read_text(encoding="utf-8"))
