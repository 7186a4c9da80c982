"""Failed background jobs, kept for the system admins (the queue's own rows get pruned)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobFailure(models.Model):
    """One failed attempt of a background job. Attempts of the same job share `job_id` (the id
    of its first attempt in the queue); `will_retry` says whether another attempt was queued,
    `resolved_at` when a later attempt (or an admin's re-run) succeeded."""

    job_id = models.CharField(_("mã công việc"), max_length=64, db_index=True)
    result_id = models.CharField(_("mã lần chạy"), max_length=64, blank=True)
    task_path = models.CharField(_("công việc"), max_length=255)
    arguments = models.JSONField(_("tham số"), default=dict)
    attempt = models.PositiveSmallIntegerField(_("lần thử"))
    max_attempts = models.PositiveSmallIntegerField(_("số lần thử tối đa"))
    will_retry = models.BooleanField(_("sẽ thử lại"), default=False)
    exception_class = models.CharField(_("loại lỗi"), max_length=255)
    message = models.TextField(_("thông báo lỗi"), blank=True)
    traceback = models.TextField(_("vết lỗi"), blank=True)
    failed_at = models.DateTimeField(_("thời điểm lỗi"), auto_now_add=True, db_index=True)
    resolved_at = models.DateTimeField(_("đã chạy lại thành công lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-failed_at", "-pk"]
        verbose_name = _("công việc nền bị lỗi")
        verbose_name_plural = _("công việc nền bị lỗi")

    def __str__(self) -> str:
        return f"{self.task_name} #{self.attempt}: {self.exception_class}"

    @property
    def task_name(self) -> str:
        return self.task_path.rsplit(".", 1)[-1]

    @property
    def gave_up(self) -> bool:
        return not self.will_retry and self.resolved_at is None
