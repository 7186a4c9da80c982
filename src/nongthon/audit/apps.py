from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "nongthon.audit"
    verbose_name = _("Nhật ký hệ thống")

    def ready(self) -> None:
        from simple_history.signals import (
            post_create_historical_record,
            pre_create_historical_record,
        )

        from nongthon.audit import indexing

        pre_create_historical_record.connect(indexing.stamp_ip, dispatch_uid="audit_ip")
        post_create_historical_record.connect(indexing.index_record, dispatch_uid="audit_index")
