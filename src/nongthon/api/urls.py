# No app namespace: ninja reverses its own "api-v1" namespace from the root.
from django.urls import path, re_path

from nongthon.api import views
from nongthon.api.v1 import api

urlpatterns = [
    path("v1/", api.urls),
    # Anything else under v1 (a mistyped path, an id that is not a number) is a JSON 404 too.
    re_path(r"^v1/", views.api_not_found),
    path("tokens/", views.token_list, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
]
