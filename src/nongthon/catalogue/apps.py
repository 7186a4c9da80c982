from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "nongthon.catalogue"
    verbose_name = _("Bộ tiêu chí")
