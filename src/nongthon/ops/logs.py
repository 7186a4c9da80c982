"""Structured logs: one JSON object per line, each carrying the id of the request it belongs to.

The request id comes from the reverse proxy's X-Request-ID header when it sends a sane one (so a
line of nginx's log and of ours can be matched), else a new random id; it is kept in a context
variable for the duration of the request so every log line written meanwhile carries it. This
module is imported by LOGGING while settings load: it must not import models.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import re
import uuid

from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# What a proxy may hand us as a request id: short, no spaces or control characters.
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


def incoming_or_new_id(header_value: str | None) -> str:
    if header_value and _SANE_ID.match(header_value):
        return header_value
    return uuid.uuid4().hex


class RequestContextFilter(logging.Filter):
    """Stamp each record with the current request id ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


class JsonFormatter(_BaseJsonFormatter):
    """time, level, logger, message, request_id, then whatever `extra=` the caller gave."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("fmt", ["asctime", "levelname", "name", "message"])
        kwargs.setdefault(
            "rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"}
        )
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        # ISO 8601 with milliseconds and the offset: sortable and unambiguous across servers.
        moment = dt.datetime.fromtimestamp(record.created).astimezone()
        return moment.isoformat(timespec="milliseconds")
