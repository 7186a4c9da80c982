"""Hamlet pages (owned by the hamlets feature); included from places/urls.py."""

app_name = "hamlets"
urlpatterns: list = []
