"""Forms of the menu-change admin (A6.4): the application's fields and a fixed grid of menu buttons.

The grid is 3 top-level buttons with 5 sub-button rows each, WeChat's maxima (WECHAT.md §7), so the editor
needs no JavaScript: rows left without a name are not part of the menu.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.models import Department, MenuChangeApplication, MenuChangeOpinion
from wechat_channel import menu as wechat_menu
from wechat_channel.models import WeChatAccount

TYPE_CHOICES = [
    ("", _("— opens sub-menus / none —")),
    ("click", _("click: sends a key")),
    ("view", _("view: opens a web page")),
    ("miniprogram", _("miniprogram: opens a mini program")),
    ("scancode_push", "scancode_push"),
    ("scancode_waitmsg", "scancode_waitmsg"),
    ("pic_sysphoto", "pic_sysphoto"),
    ("pic_photo_or_album", "pic_photo_or_album"),
    ("pic_weixin", "pic_weixin"),
    ("location_select", "location_select"),
    ("media_id", "media_id"),
    ("view_limited", "view_limited"),
    ("article_id", "article_id"),
    ("article_view_limited", "article_view_limited"),
]
BUTTON_FIELDS = ("name", "type", "key", "url", "media_id", "article_id", "appid", "pagepath")


class ApplicationForm(forms.ModelForm):
    """The attachment's fields; 申请时间 starts at today (the model's default)."""

    class Meta:
        model = MenuChangeApplication
        fields = ["account", "department", "date", "reason", "remarks"]
        widgets = {
            # A date input shows only ISO dates: in zh-hans Django would render 2026/12/06, and the field looked empty.
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "remarks": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = WeChatAccount.objects.order_by("name")
        self.fields["department"].queryset = Department.objects.filter(active=True)

    def refused_fields(self):
        """The labels of the fields the last validation refused, in the form's order."""
        return [str(self.fields[name].label) for name in self.fields if name in self.errors]


class ButtonForm(forms.Form):
    """One button of the menu; the limits are checked on the whole menu so messages can name the button."""

    name = forms.CharField(label=_("Name"), required=False, max_length=60)
    type = forms.ChoiceField(label=_("Type"), choices=TYPE_CHOICES, required=False)
    key = forms.CharField(label="key", required=False, max_length=200)
    url = forms.CharField(label="url", required=False, max_length=2000)
    media_id = forms.CharField(label="media_id", required=False, max_length=200)
    article_id = forms.CharField(label="article_id", required=False, max_length=200)
    appid = forms.CharField(label="appid", required=False, max_length=64)
    pagepath = forms.CharField(label="pagepath", required=False, max_length=1000)


def _values(button):
    return {field: button.get(field, "") for field in BUTTON_FIELDS}


class MenuEditor:
    """The grid of ButtonForms for a proposed menu, and the menu it describes."""

    def __init__(self, data=None, menu=None):
        buttons = (menu or {}).get("button") or []
        self.rows = []
        for i in range(wechat_menu.MAX_BUTTONS):
            button = buttons[i] if i < len(buttons) else {}
            subs = button.get("sub_button") or []
            top = ButtonForm(data, prefix=f"b{i}", initial=_values(button))
            children = [
                ButtonForm(data, prefix=f"b{i}s{j}", initial=_values(subs[j] if j < len(subs) else {}))
                for j in range(wechat_menu.MAX_SUB_BUTTONS)
            ]
            self.rows.append((i + 1, top, children))
        self.errors = []

    def is_valid(self):
        forms_ok = all(top.is_valid() and all(c.is_valid() for c in children) for _n, top, children in self.rows)
        if not forms_ok:
            return False
        self.errors = wechat_menu.validate_menu(self.menu())
        return not self.errors

    def menu(self):
        def button(form):
            return {field: value for field, value in form.cleaned_data.items() if value}

        result = []
        for _n, top, children in self.rows:
            if not top.cleaned_data.get("name"):
                continue
            entry = button(top)
            subs = [button(child) for child in children if child.cleaned_data.get("name")]
            if subs:
                entry["sub_button"] = subs
            result.append(entry)
        return {"button": result}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=MenuChangeOpinion.Decision.choices)
    opinion = forms.CharField(label=_("Opinion"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
