from django.urls import path

from nongthon.accounts import two_factor_views, views

app_name = "accounts"
urlpatterns = [
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/password/", views.user_password, name="user_password"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", views.user_reactivate, name="user_reactivate"),
    path("users/<int:pk>/memberships/", views.membership_add, name="membership_add"),
    path(
        "users/<int:pk>/memberships/<int:membership_pk>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("unit-options/", views.unit_options, name="unit_options"),
    path("agency-options/", views.agency_options, name="agency_options"),
    path("me/", views.my_account, name="me"),
    path("me/profile/", views.my_profile, name="my_profile"),
    path("2fa/verify/", two_factor_views.verify, name="2fa_verify"),
    path("2fa/setup/", two_factor_views.setup, name="2fa_setup"),
    path("2fa/backup-codes/", two_factor_views.backup_codes, name="2fa_backup_codes"),
    path("2fa/disable/", two_factor_views.disable, name="2fa_disable"),
    path("users/<int:pk>/unlock-login/", two_factor_views.unlock, name="unlock_login"),
    path("users/<int:pk>/reset-2fa/", two_factor_views.reset, name="reset_2fa"),
]
