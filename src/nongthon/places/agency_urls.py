"""Agency pages (owned by the agencies feature); included from places/urls.py."""

app_name = "agencies"
urlpatterns: list = []
