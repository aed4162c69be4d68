"""The public contribution form (A6.1, A6.2.5): submit material, follow it, revise it when sent back."""

from django.conf import settings


def get_conf():
    """The NEWSROOM settings, read when used so that tests and deployments may change them."""
    return settings.NEWSROOM
