from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "nongthon.funding"
    verbose_name = _("Nguồn vốn và công trình")

    def ready(self) -> None:
        # The plans module's "funds by source" target type is computed here.
        from nongthon.funding import plan_targets  # noqa: F401
