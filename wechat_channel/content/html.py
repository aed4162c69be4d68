"""Article HTML made WeChat-safe: an allow-list of tags, inline styles only, links as footnotes (WECHAT.md §3.3).

WeChat drops `<style>`, classes, scripts, event handlers and external images, and shows external links
unclickable to unverified accounts; so the body keeps only simple tags, each styled inline from a small fixed
stylesheet, external links become numbered footnotes under "参考链接", and the credits and repost source close it.
"""

from html import escape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# The fixed stylesheet. Short on purpose: WeChat counts the whole HTML, styles included, against 20,000 chars.
ROOT_STYLE = "font-size:16px;line-height:1.75;color:#333;letter-spacing:0.5px;word-wrap:break-word;"
STYLES = {
    "p": "margin:0 0 16px;",
    "h2": "margin:32px 0 16px;font-size:20px;font-weight:bold;line-height:1.4;color:#111;",
    "h3": "margin:24px 0 12px;font-size:18px;font-weight:bold;line-height:1.4;color:#111;",
    "h4": "margin:20px 0 10px;font-weight:bold;color:#111;",
    "blockquote": "margin:16px 0;padding:4px 0 4px 12px;border-left:3px solid #ccc;color:#666;",
    "cite": "margin:8px 0 0;text-align:right;font-size:14px;color:#888;",
    "ul": "margin:0 0 16px;padding-left:24px;list-style-type:disc;",
    "ol": "margin:0 0 16px;padding-left:24px;list-style-type:decimal;",
    "li": "margin:0 0 8px;",
    "img": "display:block;max-width:100%;height:auto;margin:0 auto;",
    "figure": "margin:16px 0;",
    "caption": "margin:8px 0 0;text-align:center;font-size:14px;line-height:1.5;color:#888;",
    "hr": "margin:24px 0;border-top:1px solid #e5e5e5;",
    "a": "color:#576b95;",
    "sup": "font-size:12px;color:#576b95;",
    "notes": "margin:32px 0 0;padding-top:12px;border-top:1px solid #e5e5e5;font-size:14px;color:#888;",
    "note": "margin:0 0 6px;word-break:break-all;",
    "credits": "margin:24px 0 0;font-size:14px;color:#888;",
}

NOTES_HEADING = "参考链接"
REPOST_PREFIX = "转载自："

# source tag → (emitted tag, style key); None as the emitted tag unwraps (keeps the children, drops the tag).
TAGS = {
    "p": ("p", "p"),
    "h1": ("p", "h2"),
    "h2": ("p", "h2"),
    "h3": ("p", "h3"),
    "h4": ("p", "h4"),
    "h5": ("p", "h4"),
    "h6": ("p", "h4"),
    "strong": ("strong", None),
    "b": ("strong", None),
    "em": ("em", None),
    "i": ("em", None),
    "blockquote": ("blockquote", "blockquote"),
    "footer": ("p", "cite"),  # a quote's attribution
    "ul": ("ul", "ul"),
    "ol": ("ol", "ol"),
    "li": ("li", "li"),
    "figure": ("section", "figure"),
    "figcaption": ("p", "caption"),
    "span": ("span", None),
    "section": ("section", None),
    "div": ("section", None),
    "article": ("section", None),
}
VOID = frozenset({"br", "img", "hr", "wbr", "input", "meta", "link", "source", "col", "area", "base", "embed"})
DROPPED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "iframe",
        "noscript",
        "template",
        "object",
        "svg",
        "math",
        "video",
        "audio",
        "canvas",
        "form",
        "button",
        "select",
        "textarea",
        "head",
        "title",
    }
)
WECHAT_LINK_HOSTS = ("mp.weixin.qq.com",)


def _style(key):
    return f' style="{STYLES[key]}"' if key else ""


def is_wechat_link(url):
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in WECHAT_LINK_HOSTS)


class _Converter(HTMLParser):
    def __init__(self, image_url, base_url):
        super().__init__(convert_charrefs=True)
        self.image_url = image_url
        self.base_url = base_url
        self.out = []
        self.stack = []  # (source tag, closing text) of open elements
        self.skipping = []  # open tags whose content is dropped
        self.notes = []  # [(url, text)]
        self.link = None  # the open external link: {"url", "text": [..]}

    # Tags.

    def handle_starttag(self, tag, attrs):
        if self.skipping:
            if tag in DROPPED_WITH_CONTENT:
                self.skipping.append(tag)
            return
        if tag in DROPPED_WITH_CONTENT:
            self.skipping.append(tag)
            return
        if tag in VOID:
            self._void(tag, dict(attrs))
            return
        if tag == "a":
            self._open_link(dict(attrs).get("href") or "")
            return
        emitted, style = TAGS.get(tag, (None, None))
        if emitted is None:
            self.stack.append((tag, ""))
            return
        self.out.append(f"<{emitted}{_style(style)}>")
        self.stack.append((tag, f"</{emitted}>"))

    def handle_startendtag(self, tag, attrs):
        if self.skipping or tag in DROPPED_WITH_CONTENT:
            return
        if tag in VOID:
            self._void(tag, dict(attrs))
        else:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag == "a":
            self._close_link()
            return
        if not any(open_tag == tag for open_tag, _close in self.stack):
            return  # a stray end tag
        while self.stack:
            open_tag, closing = self.stack.pop()
            self.out.append(closing)
            if open_tag == tag:
                break

    def _void(self, tag, attrs):
        if tag == "br":
            self.out.append("<br>")
        elif tag == "hr":
            self.out.append(f"<section{_style('hr')}></section>")
        elif tag == "img":
            src = (attrs.get("src") or "").strip()
            url = self.image_url(src) if src else None
            if url:
                alt = escape(attrs.get("alt") or "", quote=True)
                self.out.append(f'<img src="{escape(url, quote=True)}" alt="{alt}"{_style("img")}>')

    # Links.

    def _open_link(self, href):
        self._close_link()
        href = href.strip()
        scheme = urlsplit(href).scheme.lower()
        if not href or href.startswith("#") or scheme in ("javascript", "vbscript", "data", "mailto", "tel"):
            self.link = {"url": None, "text": []}
            return
        url = urljoin(self.base_url, href) if self.base_url else href
        if is_wechat_link(url):
            self.out.append(f'<a href="{escape(url, quote=True)}"{_style("a")}>')
            self.link = {"url": url, "text": [], "inline": True}
            return
        self.link = {"url": url if urlsplit(url).scheme in ("http", "https") else None, "text": []}

    def _close_link(self):
        link, self.link = self.link, None
        if link is None:
            return
        if link.get("inline"):
            self.out.append("</a>")
            return
        if not link["url"]:
            return
        text = "".join(link["text"]).strip()
        urls = [url for url, _text in self.notes]
        if link["url"] in urls:
            number = urls.index(link["url"]) + 1
        else:
            self.notes.append((link["url"], text))
            number = len(self.notes)
        self.out.append(f"<sup{_style('sup')}>[{number}]</sup>")

    # Text.

    def handle_data(self, data):
        if self.skipping:
            return
        if self.link is not None:
            self.link["text"].append(data)
        self.out.append(escape(data, quote=False))

    def finish(self):
        self.close()
        self._close_link()
        while self.stack:
            self.out.append(self.stack.pop()[1])
        return "".join(self.out)


def footnotes_html(notes):
    if not notes:
        return ""
    items = []
    for number, (url, text) in enumerate(notes, start=1):
        label = f"{escape(text, quote=False)}：" if text and text != url else ""
        items.append(f"<p{_style('note')}>[{number}] {label}{escape(url, quote=False)}</p>")
    return (
        f"<section{_style('notes')}><p{_style('note')}><strong>{NOTES_HEADING}</strong></p>{''.join(items)}</section>"
    )


def credits_html(credits, repost_source=""):
    lines = [line for line in credits if line and line.strip()]
    if repost_source and repost_source.strip():
        lines.append(REPOST_PREFIX + repost_source.strip())
    if not lines:
        return ""
    body = "".join(f"<p{_style('note')}>{escape(line.strip(), quote=False)}</p>" for line in lines)
    return f"<section{_style('credits')}>{body}</section>"


def to_wechat_html(body_html, credits=(), repost_source="", image_url=None, base_url=""):
    """WeChat-safe HTML of `body_html` with footnotes, credits and the repost source appended.

    `image_url(src)` gives the `src` to use for an image (None drops it; default: keep it); relative links are
    resolved against `base_url`.
    """
    converter = _Converter(image_url or (lambda src: src), base_url)
    converter.feed(body_html or "")
    body = converter.finish()
    tail = footnotes_html(converter.notes) + credits_html(credits, repost_source)
    return f'<section style="{ROOT_STYLE}">{body}{tail}</section>'


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(html_text):
    """The visible text of some HTML, for counting and digests."""
    parser = _Text()
    parser.feed(html_text or "")
    parser.close()
    return " ".join("".join(parser.parts).split())
