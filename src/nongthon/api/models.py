"""Personal API tokens: a user's key for other software, stored as a hash, never in clear."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nongthon.audit.history import AuditedHistory


class Scope(models.TextChoices):
    READ = "read", _("Chỉ đọc")
    WRITE = "write", _("Đọc và ghi")


class ApiToken(models.Model):
    """A token acts as its user, within the user's own permissions, limited by its scope."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("người dùng"),
    )
    name = models.CharField(_("tên gợi nhớ"), max_length=100)
    # The first characters of the secret, shown in lists so a user can tell tokens apart.
    prefix = models.CharField(_("tiền tố"), max_length=16, editable=False)
    # sha256 of the whole secret: a stolen database does not give working tokens.
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scope = models.CharField(_("phạm vi"), max_length=8, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    expires_on = models.DateField(_("hết hạn ngày"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    # No unit: tokens are a user's own; their log is for the system admins.
    history = AuditedHistory(unit=None, excluded_fields=["last_used_at", "key_hash"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("khóa truy cập API")
        verbose_name_plural = _("khóa truy cập API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return False
        return self.expires_on is None or self.expires_on >= timezone.localdate(now)

    @property
    def may_write(self) -> bool:
        return self.scope == Scope.WRITE
