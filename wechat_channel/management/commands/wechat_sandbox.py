"""`manage.py wechat_sandbox`: run the local WeChat API sandbox in the foreground until Ctrl-C."""

import json
import os
import secrets

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wechat_channel.management.help_format import HelpFormatter
from wechat_channel.sandbox.comment_api import seed_comments
from wechat_channel.sandbox.followers import default_openids
from wechat_channel.sandbox.server import SandboxServer

DEMO_APPID = "wx0000000000000000"


class Command(BaseCommand):
    help = gettext_lazy(
        "Serve a local HTTP sandbox that answers like api.weixin.qq.com: tokens, media, drafts, publishing, "
        "mass send, menus, comments, blacklist, web authorization and user info (A21); it calls the site's callback "
        "URL when a job finishes or a follower leaves."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser(prog_name, subcommand, formatter_class=HelpFormatter, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            metavar=_("ADDRESS"),
            help=gettext_lazy("the address to listen on (default: %(default)s)"),
        )
        parser.add_argument(
            "--port",
            type=int,
            default=8765,
            metavar=_("PORT"),
            help=gettext_lazy("the port to listen on (default: %(default)s)"),
        )
        parser.add_argument(
            "--account",
            action="append",
            default=[],
            metavar="APPID:SECRET",
            help=format_lazy(
                gettext_lazy("An account the sandbox accepts (repeatable). Default: the demo AppID {appid}"),
                appid=DEMO_APPID,
            ),
        )
        parser.add_argument(
            "--kind",
            choices=["subscription", "service"],
            default="subscription",
            help=gettext_lazy("the accounts' kind: subscription or service account (default: %(default)s)"),
        )
        parser.add_argument(
            "--unverified", action="store_true", help=gettext_lazy("Accounts are unverified (48001 on sends).")
        )
        parser.add_argument(
            "--callback-url",
            metavar=_("ADDRESS"),
            help=gettext_lazy("Where PUBLISHJOBFINISH / MASSSENDJOBFINISH are delivered."),
        )
        parser.add_argument(
            "--callback-token-env",
            default="WECHAT_DEMO_TOKEN",
            metavar=_("VARIABLE"),
            help=gettext_lazy("Environment variable with the callback Token (default: %(default)s)."),
        )
        parser.add_argument(
            "--aes-key-env",
            default="WECHAT_DEMO_AES_KEY",
            metavar=_("VARIABLE"),
            help=gettext_lazy(
                "Environment variable with the EncodingAESKey (default: %(default)s); unset means plain-mode callbacks."
            ),
        )
        parser.add_argument(
            "--comments",
            metavar=_("FILE"),
            help=gettext_lazy(
                "What the sandbox starts with, as JSON: articles published before it ran (appid, msg_data_id, "
                "article_count) and follower comments, each a POST /sandbox/comments body; the demo writes one."
            ),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=0,
            metavar=_("NUMBER"),
            help=gettext_lazy("Seed for reproducible fault injection."),
        )
        parser.add_argument(
            "--retry-pause",
            type=float,
            metavar=_("SECONDS"),
            default=None,
            help=gettext_lazy(
                "Seconds between two attempts to deliver an event (default 5, as WeChat: 3 attempts in all)."
            ),
        )

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
            publishing = {} if options["retry_pause"] is None else {"retry_pause": options["retry_pause"]}
            server = SandboxServer(
                options["host"], options["port"], seed=options["seed"], accounts=accounts, publishing=publishing
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"cannot listen on {options['host']}:{options['port']}: {exc}") from exc
        token = os.environ.get(options["callback_token_env"] or "", "")
        aes_key = os.environ.get(options["aes_key_env"] or "", "") or None
        for appid in accounts:
            server.state.update_account(
                appid,
                {
                    "kind": options["kind"],
                    "verified": not options["unverified"],
                    "callback_url": options["callback_url"],
                    "callback_token": token or None,
                    "encoding_aes_key": aes_key,
                },
            )
        if options["comments"]:
            self._seed_comments(server, options["comments"])
        self.stdout.write(f"WeChat sandbox at {server.url}/cgi-bin/ (control: {server.url}/sandbox/); Ctrl-C stops it.")
        if options["callback_url"]:
            mode = "safe (AES)" if aes_key else "plain"
            self.stdout.write(f"Job results go to {options['callback_url']} in {mode} mode.")
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            self.stdout.write("Sandbox stopped.")

    def _seed_comments(self, server, path):
        """Followers' comments from `path`: the sandbox keeps nothing across restarts, so it starts with them."""
        try:
            with open(path, encoding="utf-8") as file:
                entries = json.load(file)
            count = seed_comments(server.sandbox, entries, lambda appid: default_openids(appid)[0])
        except (OSError, ValueError) as exc:
            server.httpd.server_close()
            raise CommandError(f"--comments {path}: {exc}") from exc
        self.stdout.write(f"{count} follower comments from {path}.")
