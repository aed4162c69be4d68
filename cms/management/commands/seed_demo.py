from django.conf import settings
from django.core.management.base import BaseCommand

from cms.demo.site import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create the demo site: departments, one login per role, articles at each stage. Idempotent."

    def handle(self, *args, **options):
        logins = seed_demo()
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        self.stdout.write(self.style.SUCCESS("Newsroom demo is ready."))
        self.stdout.write(f"  Site:        {base}/")
        self.stdout.write(f"  Admin:       {base}/admin/")
        self.stdout.write(f"  Contribute:  {base}/contribute/")
        self.stdout.write(f"  Report:      {base}/report/")
        self.stdout.write(f"  Password for every demo login: {DEMO_PASSWORD}")
        for username, role in logins:
            self.stdout.write(f"    {username:<16} {role}")
