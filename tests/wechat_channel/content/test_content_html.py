"""Article HTML made WeChat-safe: allowed tags styled inline, links as footnotes, credits appended."""

from wechat_channel.content.html import NOTES_HEADING, STYLES, plain_text, to_wechat_html


def test_scripts_styles_iframes_and_handlers_are_gone():
    html = to_wechat_html(
        '<p onclick="steal()" class="lead" id="x">正文<script>alert(1)</script></p>'
        "<style>p{color:red}</style><iframe src='https://evil.example'></iframe>"
        '<p style="position:fixed">二段</p>'
    )

    assert "script" not in html and "alert" not in html
    assert "<style" not in html and "iframe" not in html
    assert "onclick" not in html and "class=" not in html and 'id="x"' not in html
    assert "position:fixed" not in html
    assert f'<p style="{STYLES["p"]}">正文</p>' in html
    assert "二段" in html


def test_headings_become_styled_paragraphs_and_quotes_get_a_bar():
    html = to_wechat_html("<h2>小标题</h2><blockquote><p>引文</p><footer>— 某人</footer></blockquote>")

    assert f'<p style="{STYLES["h2"]}">小标题</p>' in html
    assert "<h2" not in html
    assert f'<blockquote style="{STYLES["blockquote"]}">' in html
    assert "border-left" in html
    assert f'<p style="{STYLES["cite"]}">— 某人</p>' in html


def test_external_links_become_numbered_footnotes():
    html = to_wechat_html(
        '<p>见<a href="https://example.com/a">通知</a>和<a href="https://example.com/b">附件</a>，'
        '再看<a href="https://example.com/a">通知</a>。</p>'
    )

    assert "<a " not in html
    assert "通知<sup" in html and "[1]</sup>" in html and "[2]</sup>" in html
    assert html.count("[1]</sup>") == 2  # the same link keeps its number
    assert NOTES_HEADING in html
    assert "[1] 通知：https://example.com/a" in html
    assert "[2] 附件：https://example.com/b" in html


def test_wechat_article_links_stay_links_and_relative_links_resolve():
    html = to_wechat_html(
        '<p><a href="https://mp.weixin.qq.com/s/abc">往期</a> <a href="/news/1/">站内</a></p>',
        base_url="https://news.example.edu.cn/articles/x/",
    )

    assert '<a href="https://mp.weixin.qq.com/s/abc"' in html
    assert "https://news.example.edu.cn/news/1/" in html
    assert NOTES_HEADING in html


def test_javascript_links_keep_their_text_only():
    html = to_wechat_html('<p><a href="javascript:alert(1)">点我</a></p>')
    assert "点我" in html and "javascript" not in html and NOTES_HEADING not in html


def test_credits_and_repost_source_are_appended_after_the_footnotes():
    html = to_wechat_html(
        '<p><a href="https://example.com">链接</a></p>',
        credits=["文字：张三", "摄影：李四"],
        repost_source="人民日报",
    )

    assert (
        html.index(NOTES_HEADING) < html.index("文字：张三") < html.index("摄影：李四") < html.index("转载自：人民日报")
    )


def test_images_keep_src_and_alt_only_and_can_be_mapped_or_dropped():
    body = '<figure><img src="/media/a.jpg" alt="图" class="x" width="800"><figcaption>说明</figcaption></figure>'
    body += '<img src="/media/missing.jpg">'

    html = to_wechat_html(body, image_url=lambda src: "http://mmbiz.example/1" if "a.jpg" in src else None)

    assert f'<img src="http://mmbiz.example/1" alt="图" style="{STYLES["img"]}">' in html
    assert "missing" not in html
    assert f'<p style="{STYLES["caption"]}">说明</p>' in html
    assert "width=" not in html


def test_text_is_escaped_and_unknown_tags_unwrapped():
    html = to_wechat_html("<p>a &lt;b&gt; &amp; <table><tr><td>格</td></tr></table><u>下</u></p>")

    assert "a &lt;b&gt; &amp;" in html
    assert "<table" not in html and "格" in html and "下" in html


def test_unclosed_tags_are_closed():
    html = to_wechat_html("<p><strong>粗<em>斜")
    assert html.endswith("</em></strong></p></section>")


def test_plain_text():
    assert plain_text("<p>一 <b>二</b></p>\n<p>三</p>") == "一 二 三"
