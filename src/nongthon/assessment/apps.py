from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _evaluation_changed(sender, instance, **kwargs) -> None:
    """An evaluation saved one by one (not through store_outcomes, which stamps in bulk):
    cached dashboards of its province must not outlive it."""
    if kwargs.get("raw"):
        return  # a restore loads rows as they were, stamps included
    from nongthon.places import stamps

    stamps.touch_units([instance.unit_id])


class AssessmentConfig(AppConfig):
    name = "nongthon.assessment"
    verbose_name = _("Đánh giá tiêu chí")

    def ready(self) -> None:
        from nongthon.assessment.models import Evaluation

        post_save.connect(_evaluation_changed, sender=Evaluation, dispatch_uid="eval-stamp")
        post_delete.connect(_evaluation_changed, sender=Evaluation, dispatch_uid="eval-stamp-del")
