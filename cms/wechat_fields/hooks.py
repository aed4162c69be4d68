"""Admin wiring of an article's WeChat settings: the URL, a header button and the audit log action."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from cms.admin.features import Feature, register_feature
from cms.models import ArticlePage
from cms.wechat_fields import audit
from cms.wechat_fields.services import may_change
from cms.wechat_fields.views import WeChatFieldsView

register_feature(
    Feature(
        name="wechat-fields",
        prefix="articles/",
        namespace="wechat_fields",
        urls=[path("<int:pk>/wechat/", WeChatFieldsView.as_view(), name="edit")],
        audit=[audit.CHANGE],
    )
)


class WeChatFieldsButton(PageMenuItem):
    """On a live article, for the office: change its cover and digest for WeChat without a new review."""

    label = _("WeChat settings")
    icon_name = "mail"

    def is_shown(self, user):
        return self.page.live and issubclass(self.page.specific_class, ArticlePage) and may_change(user, self.page)


@hooks.register("register_page_header_buttons")
def wechat_fields_header_button(page, user, view_name, next_url=None):
    if page.specific_class is not None:
        yield WeChatFieldsButton(page=page, priority=41, url=reverse("wechat_fields:edit", args=[page.pk]))
