from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "nongthon.funding"
    verbose_name = _("Nguồn vốn và công trình")
