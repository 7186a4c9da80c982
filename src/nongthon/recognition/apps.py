from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "nongthon.recognition"
    verbose_name = _("Công nhận đạt chuẩn")

    def ready(self) -> None:
        # The plans' recognition target types replace the declarations plans shipped.
        from nongthon.plans.targets.base import register
        from nongthon.recognition.plan_targets import TYPES

        for target_type in TYPES:
            register(target_type())
