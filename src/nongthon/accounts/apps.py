from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "nongthon.accounts"
    verbose_name = _("Tài khoản và phân quyền")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from nongthon.accounts import two_factor

        user_logged_in.connect(two_factor.on_login, dispatch_uid="nongthon_two_factor")
