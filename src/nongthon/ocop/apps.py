from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_sheets(sender, **kwargs) -> None:
    # The shipped score sheets are law, not demo data: every database has them after migrate.
    from nongthon.ocop.services import load_shipped_sheets

    load_shipped_sheets()


class OcopConfig(AppConfig):
    name = "nongthon.ocop"
    verbose_name = _("OCOP")

    def ready(self) -> None:
        post_migrate.connect(_load_sheets, sender=self)
        # The plans' OCOP target types replace the declarations plans shipped.
        from nongthon.ocop.plan_targets import TYPES
        from nongthon.plans.targets.base import register

        for target_type in TYPES:
            register(target_type())
