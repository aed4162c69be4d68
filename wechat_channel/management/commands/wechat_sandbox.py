"""`manage.py wechat_sandbox`: run the local WeChat API sandbox in the foreground until Ctrl-C."""

import os
import secrets

from django.core.management.base import BaseCommand, CommandError

from wechat_channel.sandbox.server import SandboxServer

DEMO_APPID = "wx0000000000000000"


class Command(BaseCommand):
    help = "Serve a local HTTP sandbox that answers like api.weixin.qq.com (token endpoints, faults, call log)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument(
            "--account",
            action="append",
            default=[],
            metavar="APPID:SECRET",
            help="An account the sandbox accepts (repeatable). Default: the demo appid " + DEMO_APPID,
        )
        parser.add_argument("--seed", type=int, default=0, help="Seed for reproducible fault injection.")

    def handle(self, *args, **options):
        accounts = {}
        for spec in options["account"]:
            appid, sep, secret = spec.partition(":")
            if not sep or not appid or not secret:
                raise CommandError(f"--account expects APPID:SECRET, got {spec!r}")
            accounts[appid] = secret
        if not accounts:
            secret = os.environ.get("WECHAT_SANDBOX_SECRET")
            if not secret:
                secret = secrets.token_hex(16)
                self.stdout.write(f"Demo account {DEMO_APPID} secret (sandbox only): {secret}")
            accounts[DEMO_APPID] = secret
        try:
            server = SandboxServer(options["host"], options["port"], seed=options["seed"], accounts=accounts)
        except OSError as exc:
            raise CommandError(f"cannot listen on {options['host']}:{options['port']}: {exc}") from exc
        self.stdout.write(f"WeChat sandbox at {server.url}/cgi-bin/ (control: {server.url}/sandbox/); Ctrl-C stops it.")
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            self.stdout.write("Sandbox stopped.")
