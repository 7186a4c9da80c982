"""YAML typed or uploaded by users (criteria sets, OCOP score sheets), read safely.

Safe tags only (yaml.SafeLoader); no anchors or aliases, since "billion laughs" aliases make a
small file into a structure whose every traversal (saving it as JSON, comparing it) is
exponential; and nesting deep enough to exhaust Python's stack is refused as a YAML error.
"""

from __future__ import annotations

import yaml
from yaml.composer import ComposerError


class SafeLoader(yaml.SafeLoader):
    """yaml.SafeLoader without anchors and aliases."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise ComposerError(
                None, None, "không dùng neo và bí danh YAML (&, *)", event.start_mark
            )
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise ComposerError(
                None, None, "không dùng neo và bí danh YAML (&, *)", event.start_mark
            )
        return super().compose_node(parent, index)


class TooDeep(yaml.YAMLError):
    def __str__(self) -> str:
        return "các mục lồng nhau quá sâu"

    problem = "các mục lồng nhau quá sâu"


def load(text: str, loader: type[yaml.SafeLoader] = SafeLoader):
    """The document in `text`; yaml.YAMLError (with a Vietnamese problem) when it is not one."""
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 (a SafeLoader subclass)
    except RecursionError:
        raise TooDeep() from None
