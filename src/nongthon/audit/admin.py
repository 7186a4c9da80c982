"""The admin never rewrites history: the history pages of every admin are read-only.

django-simple-history's admin lets a POST to an object's history page revert the object to that
version (SIMPLE_HISTORY_REVERT_DISABLED only hides the button). Every admin with history uses
`ReadOnlyHistoryAdmin`, which refuses that POST; historical models and the audit log's index are
not registered at all, so their change pages do not exist.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def has_change_history_permission(self, request, obj=None) -> bool:
        return False
