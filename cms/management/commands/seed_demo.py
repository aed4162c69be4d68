from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.demo.site import DEMO_PASSWORD, seed_demo
from policy_rules.cli.help_format import HelpFormatter, display_width


def padded(text, width):
    """`text` and the spaces that make it `width` terminal columns wide (a Chinese character takes two)."""
    return text + " " * max(width - display_width(text), 0)


class Command(BaseCommand):
    help = gettext_lazy("Create the demo site: departments, one login per role, articles at each stage. Idempotent.")

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser(prog_name, subcommand, formatter_class=HelpFormatter, **kwargs)

    def handle(self, *args, **options):
        logins = seed_demo()
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        self.stdout.write(self.style.SUCCESS(_("Newsroom demo is ready.")))
        places = [
            (_("Site:"), f"{base}/"),
            (_("Admin:"), f"{base}/admin/"),
            (_("Contribute:"), f"{base}/contribute/"),
            (_("Report:"), f"{base}/report/"),
        ]
        width = max(display_width(label) for label, _address in places) + 2
        for label, address in places:
            self.stdout.write(f"  {padded(label, width)}{address}")
        self.stdout.write("  " + _("Password for every demo login: %(password)s") % {"password": DEMO_PASSWORD})
        width = max(display_width(username) for username, _role in logins) + 2
        for username, role in logins:
            self.stdout.write(f"    {padded(username, width)}{role}")
