"""Admin wiring of an article's WeChat settings: the URL, a header button and the audit log action."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.log_actions import LogFormatter

from cms.wechat_fields.services import LOG_ACTION, may_change


@hooks.register("register_admin_urls")
def register_wechat_fields_urls():
    from cms.wechat_fields.views import WeChatFieldsView

    urls = [path("<int:pk>/wechat/", WeChatFieldsView.as_view(), name="edit")]
    return [path("articles/", include((urls, "wechat_fields"), namespace="wechat_fields"))]


class WeChatFieldsButton(PageMenuItem):
    """On a live article, for the office: change its cover and digest for WeChat without a new review."""

    label = _("WeChat settings")
    icon_name = "mail"

    def is_shown(self, user):
        from cms.models import ArticlePage

        return self.page.live and issubclass(self.page.specific_class, ArticlePage) and may_change(user, self.page)


@hooks.register("register_page_header_buttons")
def wechat_fields_header_button(page, user, view_name, next_url=None):
    if page.specific_class is not None:
        yield WeChatFieldsButton(page=page, priority=41, url=reverse("wechat_fields:edit", args=[page.pk]))


@hooks.register("register_log_actions")
def register_wechat_fields_log_action(actions):
    @actions.register_action(LOG_ACTION)
    class WeChatFieldsFormatter(LogFormatter):
        label = _("Change WeChat settings")

        def format_message(self, log_entry):
            changes = log_entry.data.get("changes", {})
            parts = []
            if "cover_image" in changes:
                old, new = changes["cover_image"]["old"], changes["cover_image"]["new"]
                parts.append(
                    _("cover image: %(old)s → %(new)s")
                    % {"old": old["title"] if old else "—", "new": new["title"] if new else "—"}
                )
            if "digest" in changes:
                parts.append(
                    _("digest: “%(old)s” → “%(new)s”")
                    % {"old": changes["digest"]["old"], "new": changes["digest"]["new"]}
                )
            return _("WeChat settings changed without a new review: %(changes)s") % {"changes": "; ".join(parts)}
