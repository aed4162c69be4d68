"""The sandbox HTTP server: standard library only, routed by path, answering like `api.weixin.qq.com`."""

import contextlib
import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from wechat_channel.sandbox import (  # noqa: F401 - importing registers the routes
    blacklist_api,
    comment_api,
    draft_api,
    errors,
    followers,
    mass_api,
    materials,
    media_api,
    menu_api,
    oauth_api,
    publish_api,
    token_api,
    user_api,
)
from wechat_channel.sandbox.calls import Call, CallLog, scrub_query
from wechat_channel.sandbox.control import CONTROL_PREFIX, ControlError, handle_control
from wechat_channel.sandbox.drafts import DraftStore
from wechat_channel.sandbox.event_push import Notifier
from wechat_channel.sandbox.faults import FaultPlan
from wechat_channel.sandbox.jobs import JobSettings, Scheduler
from wechat_channel.sandbox.mass import MassDesk
from wechat_channel.sandbox.media import MMBIZ_PREFIX, MediaStore
from wechat_channel.sandbox.pages import ArticlePages, is_page_path, serve_page
from wechat_channel.sandbox.publish import PublishDesk
from wechat_channel.sandbox.routes import ROUTES, RawResponse, Request, check_method, fingerprint_of, parse_body
from wechat_channel.sandbox.state import SandboxState

JSON_CONTENT_TYPE = "application/json; encoding=utf-8"  # what the live API sends


class Sandbox:
    """State, faults and call log of one sandbox; `stopping` cuts injected sleeps short on shutdown."""

    def __init__(self, seed=0, clock=None, publishing=None):
        self.publishing_defaults = dict(publishing or {})  # JobSettings a reset returns to (tests: short spacing)
        self.state = SandboxState(clock=clock)
        self.faults = FaultPlan(seed=seed)
        self.calls = CallLog()
        self.media = MediaStore()
        self.new_books()
        self.new_publishing()
        self.stopping = threading.Event()

    def new_books(self):
        """Fresh per-appid menus, comments, followers and blacklists (a reset forgets them)."""
        self.menus = menu_api.MenuBook()
        self.comments = comment_api.CommentBook()
        self.audience = followers.Audience()
        self.oauth = oauth_api.OAuthDesk()  # web-authorization codes and who authorized (A21 bindings)

    def new_publishing(self):
        """Fresh drafts, publish jobs, mass sends, article pages and event pushes (WECHAT.md §3-§5)."""
        if hasattr(self, "notifier"):
            self.scheduler.cancel_all()  # pending jobs of the old state never finish
            self.notifier.clear()  # and deliveries still retrying stop
        self.job_settings = JobSettings()
        self.job_settings.update(self.publishing_defaults)
        self.scheduler = Scheduler()
        self.drafts = DraftStore()
        self.pages = ArticlePages()
        self.publisher = PublishDesk(self)
        self.mass = MassDesk(self)
        self.notifier = Notifier(self)

    def article_count(self, msg_data_id):
        """How many articles a published or mass-sent `msg_data_id` has (comments, §8.1), or None."""
        try:
            key = int(msg_data_id)
        except (TypeError, ValueError):
            return None
        count = self.publisher.article_count(key)
        return count if count is not None else self.mass.article_count(key)

    def reset(self):
        self.state.reset()
        self.faults.configure({"seed": self.faults.seed})
        self.calls.clear()
        self.media = MediaStore()
        self.new_books()
        self.new_publishing()

    def answer(self, request):
        """Return (status, body) for a `/cgi-bin/` request, errors included, in the order WeChat checks them."""
        route = ROUTES.get(request.path)
        if route is None:
            return 404, errors.envelope(errors.NOT_FOUND)
        try:
            check_method(route, request.method)
            parse_body(route, request)
            request.fingerprint = fingerprint_of(route, request)
            if route.auth:
                request.token = self.state.check_access_token(request.query.get("access_token"))
            verdict = self.faults.decide(request.path, request.token, now=self.state.clock.now())
            if verdict.delay:
                self.stopping.wait(verdict.delay)
            if verdict.code is not None:
                raise errors.WeChatError(verdict.code)
            return 200, route.handler(self, request)
        except errors.WeChatError as exc:
            return 200, RawResponse.plain_error(exc.body()) if route.plain_errors else exc.body()


class SandboxRequestHandler(BaseHTTPRequestHandler):
    server_version = "WeChatSandbox/0.1"
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle's algorithm the body waits for the client's delayed
    # ACK of the headers, about 40 ms per answer on keep-alive connections (0.6 ms with TCP_NODELAY).
    disable_nagle_algorithm = True

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def log_message(self, format, *args):
        pass

    def _dispatch(self, method):
        started = time.monotonic()
        sandbox = self.server.sandbox
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if len(raw) < length:  # the connection ended mid-request (an outage cut it): nothing arrived
            self.close_connection = True
            return
        if url.path.startswith(CONTROL_PREFIX):
            status, body = self._control(sandbox, method, url.path, query, raw)
            self._send(status, body)
            return
        if method == "GET" and url.path.startswith(MMBIZ_PREFIX):
            self._send_bytes(*media_api.serve_mmbiz(sandbox, url.path))  # uploaded images, as WeChat's CDN would
            return
        if method == "GET" and is_page_path(url.path):
            self._send_bytes(*serve_page(sandbox, url.path, query))  # article links, as mp.weixin.qq.com/s
            return
        if method == "GET" and oauth_api.is_authorize_path(url.path):
            self._send_page(*oauth_api.serve_authorize(sandbox, url.path, query))  # open.weixin.qq.com/connect
            return
        request = Request(method, url.path, query, dict(self.headers), raw, client_ip=self.client_address[0])
        status, body = sandbox.answer(request)
        if isinstance(body, RawResponse):
            status = body.status
        # Logged before answering, so a client that has its answer always finds its call in the log.
        sandbox.calls.record(
            Call(
                time=sandbox.state.clock.now(),
                method=method,
                path=url.path,
                query=scrub_query(query),
                status=status,
                errcode=body.get("errcode", 0) if isinstance(body, dict) else getattr(body, "errcode", None),
                latency_ms=round((time.monotonic() - started) * 1000, 3),
                fingerprint=request.fingerprint,
            )
        )
        if isinstance(body, RawResponse):
            self._send_bytes(body.status, body.content_type, body.data)
        else:
            self._send(status, body)

    def _control(self, sandbox, method, path, query, raw):
        try:
            data = json.loads(raw.decode("utf-8")) if raw.strip() else None
            return handle_control(sandbox, method, path, query, data)
        except (UnicodeDecodeError, ValueError, ControlError) as exc:
            return 400, {"error": str(exc)}

    def _send_bytes(self, status, content_type, data):
        self._send_page(status, {"Content-Type": content_type}, data)

    def _send_page(self, status, headers, data):
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(self, status, body):
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", JSON_CONTENT_TYPE)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (an injected timeout did its job)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128  # the default backlog of 5 stalls concurrent benchmark clients on SYN retries

    def __init__(self, *args, **kwargs):
        self.connections = set()
        self.connections_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def get_request(self):
        connection, address = super().get_request()
        with self.connections_lock:
            self.connections.add(connection)
        return connection, address

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client or an outage ended it: nothing to say
            super().handle_error(request, client_address)

    def shutdown_request(self, request):
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self):
        """End kept-alive connections too, as a stopped process would: a restarted sandbox is a new one."""
        with self.connections_lock:
            connections, self.connections = list(self.connections), set()
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class SandboxServer:
    """A sandbox on `host:port` (port 0 picks a free one); `start()` serves from a background thread."""

    def __init__(self, host="127.0.0.1", port=0, seed=0, accounts=None, clock=None, publishing=None):
        self.sandbox = Sandbox(seed=seed, clock=clock, publishing=publishing)
        for appid, secret in (accounts or {}).items():
            self.sandbox.state.add_account(appid, secret)
        self.httpd = self._listen((host, port))
        self._thread = None

    def _listen(self, address):
        httpd = _HTTPServer(address, SandboxRequestHandler)
        httpd.sandbox = self.sandbox
        return httpd

    @property
    def url(self):
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def state(self):
        return self.sandbox.state

    @property
    def faults(self):
        return self.sandbox.faults

    @property
    def calls(self):
        return self.sandbox.calls

    def serve_forever(self):
        """Serve in the calling thread until `stop()` (or KeyboardInterrupt)."""
        try:
            self.httpd.serve_forever(poll_interval=0.1)
        finally:
            self.sandbox.stopping.set()
            self.httpd.server_close()

    def start(self):
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1}, name="wechat-sandbox", daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        self.sandbox.stopping.set()
        self._stop_serving()

    def outage(self):
        """Stop serving but keep the sandbox, as when WeChat's endpoint is down: new connections are refused and
        kept-alive ones closed (a call already received still takes effect, its answer lost); state, pending jobs
        and event deliveries carry on until `serve_again()`."""
        self._stop_serving()

    def serve_again(self):
        """After `outage()`: serve the same sandbox on the same address again."""
        self.httpd = self._listen(self.httpd.server_address)
        return self.start()

    def _stop_serving(self):
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self.httpd.server_close()
        self.httpd.close_connections()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
