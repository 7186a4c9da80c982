from django.apps import AppConfig


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "nongthon.plans"
    verbose_name = "Kế hoạch, chỉ tiêu, nhiệm vụ"

    def ready(self) -> None:
        # Target types register themselves on import; later apps (recognition, ocop, funding)
        # import their own type modules in their ready().
        from nongthon.plans import targets  # noqa: F401
