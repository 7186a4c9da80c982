"""Django's JSON serializer, but keeping times to the microsecond (the stock encoder cuts them
to milliseconds, so a dumpdata/loaddata round trip would change every timestamp). Registered as
the "jsonexact" format (settings.SERIALIZATION_MODULES) for the backups' dumpdata fallback."""

from __future__ import annotations

import datetime as dt

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self) -> None:
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder


Deserializer = django_json.Deserializer
