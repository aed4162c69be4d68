"""What the sandbox does to article `content` HTML on store (WECHAT.md §2.5, §3.3).

WeChat publishes no whitelist; community round-trips show scripts, styles, `<link>`/`<meta>`, event
handlers and images not hosted by WeChat disappear silently. The sandbox does exactly that and keeps the rest
byte for byte. "Hosted by WeChat" here means an image this sandbox serves under `/mmbiz/` (see `media.py`).
"""

import re
from html import escape, unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

from wechat_channel.sandbox.media import MMBIZ_PREFIX

DROPPED_WITH_CONTENT = frozenset({"script", "style"})
DROPPED_TAGS = frozenset({"link", "meta"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "data", "background", "poster"})
_JAVASCRIPT_URL = re.compile(r"^\s*(?:javascript|vbscript)\s*:", re.IGNORECASE)


class _Sanitiser(HTMLParser):
    def __init__(self, is_hosted_image):
        super().__init__(convert_charrefs=False)
        self.is_hosted_image = is_hosted_image
        self.out: list[str] = []
        self.skipping = 0  # depth inside <script>/<style>

    def _clean_attrs(self, attrs):
        kept = []
        for name, value in attrs:
            if name.startswith("on"):
                continue
            if name in URL_ATTRIBUTES and value and _JAVASCRIPT_URL.match(_unescape_ws(value)):
                continue
            kept.append((name, value))
        return kept

    def _emit_tag(self, tag, attrs, closing):
        if self.skipping or tag in DROPPED_TAGS:
            return
        if tag == "img" and not self.is_hosted_image(dict(attrs).get("src") or ""):
            return
        kept = self._clean_attrs(attrs)
        if kept == attrs:
            self.out.append(self.get_starttag_text())
            return
        rendered = "".join(f' {n}="{escape(v, quote=True)}"' if v is not None else f" {n}" for n, v in kept)
        self.out.append(f"<{tag}{rendered}{' /' if closing else ''}>")

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED_WITH_CONTENT:
            self.skipping += 1
            return
        self._emit_tag(tag, attrs, closing=False)

    def handle_startendtag(self, tag, attrs):
        if tag not in DROPPED_WITH_CONTENT:
            self._emit_tag(tag, attrs, closing=True)

    def handle_endtag(self, tag):
        if tag in DROPPED_WITH_CONTENT:
            self.skipping = max(0, self.skipping - 1)
            return
        if not self.skipping and tag not in DROPPED_TAGS and tag != "img":
            self.out.append(f"</{tag}>")

    def _keep(self, text):
        if not self.skipping:
            self.out.append(text)

    def handle_data(self, data):
        self._keep(data)

    def handle_entityref(self, name):
        self._keep(f"&{name};")

    def handle_charref(self, name):
        self._keep(f"&#{name};")

    def handle_comment(self, data):
        self._keep(f"<!--{data}-->")

    def handle_decl(self, decl):
        pass  # a doctype has no place inside an article body

    def unknown_decl(self, data):
        self._keep(f"<![{data}]>")


def _unescape_ws(value):
    return re.sub(r"[\x00-\x20]", "", value)


def hosted_image_check(media, host):
    """A predicate: is `src` an image this sandbox serves from `/mmbiz/` on `host` (the host the client used)?"""

    def is_hosted(src):
        parts = urlsplit(src.strip())
        if parts.scheme not in ("http", "https") or parts.netloc != host:
            return False
        return parts.path.startswith(MMBIZ_PREFIX) and media.lookup_url(parts.path) is not None

    return is_hosted


def sanitise(html, is_hosted_image):
    """`html` with scripts, styles, link/meta, on* handlers, javascript: URLs and foreign images removed."""
    parser = _Sanitiser(is_hosted_image)
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


def plain_text(html):
    """The text of `html` without tags, whitespace collapsed (for the default digest, §3.1)."""
    text = unescape(re.sub(r"<[^>]*>", "", html))
    return re.sub(r"\s+", " ", text).strip()
