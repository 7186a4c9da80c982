"""Reading a form of a page as a browser would submit it, in tests that post what a user saw."""

from __future__ import annotations

from html.parser import HTMLParser


class FormReader(HTMLParser):
    """The fields a browser would send from one form of a page, as it shows them: the form whose
    attribute `attribute` is `value` (id="entry-form", data-testid="target-form")."""

    def __init__(self, attribute: str, value: str) -> None:
        super().__init__()
        self._match = (attribute, value)
        self._inside = False
        self.data: dict[str, str] = {}
        self.disabled: set[str] = set()
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._inside = a.get(self._match[0]) == self._match[1]
        if not self._inside:
            return
        name = a.get("name")
        if name and "disabled" in a:
            self.disabled.add(name)
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind == "radio":
                if "checked" in a:
                    self.data[name] = a.get("value", "")
                else:
                    self.data.setdefault(name, "")
            elif kind not in ("submit", "button", "file"):
                self.data[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.data[name] = ""
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data.lstrip("\n")


def read_form(response, **attribute: str) -> FormReader:
    """read_form(response, id="entry-form") or read_form(response, data_testid="step-form")."""
    ((name, value),) = attribute.items()
    reader = FormReader(name.replace("_", "-"), value)
    reader.feed(response.content.decode())
    return reader
