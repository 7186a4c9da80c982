"""Included from assessment/urls.py (namespace "assessment")."""

urlpatterns: list = []
