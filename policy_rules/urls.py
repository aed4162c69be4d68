"""The policy's HTTP API; the site includes it at `api/policy/`."""

from django.urls import path

from . import api

app_name = "policy_rules"

urlpatterns = [
    path("evaluate/", api.evaluate_facts, name="evaluate"),
]
