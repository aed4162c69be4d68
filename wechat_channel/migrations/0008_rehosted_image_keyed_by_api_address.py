"""Images re-hosted on WeChat are remembered per API address too (sandbox ids never reach a real account).

Rows from before are labelled with their account's current address; a content image whose URL cannot come from
that address (a sandbox URL under WeChat's address, or a WeChat URL under the sandbox's) is forgotten, so it is
uploaded again. A cover's media_id carries no address: if it turns out stale, the push re-uploads it once (40007).
"""

from urllib.parse import urlsplit

from django.db import migrations, models

WECHAT_IMAGE_HOST_SUFFIX = "qpic.cn"  # mmbiz.qpic.cn: where media/uploadimg URLs of the real WeChat live


def _fits(url, base_url):
    host = (urlsplit(url).hostname or "").lower()
    base_host = (urlsplit(base_url).hostname or "").lower()
    if base_host.endswith("weixin.qq.com"):
        return host.endswith(WECHAT_IMAGE_HOST_SUFFIX)
    return host == base_host


def label_with_address(apps, schema_editor):
    from wechat_channel.conf import get_conf

    RehostedImage = apps.get_model("wechat_channel", "RehostedImage")
    WeChatAccount = apps.get_model("wechat_channel", "WeChatAccount")
    for account in WeChatAccount.objects.all():
        base_url = (account.api_base_url or get_conf("API_BASE_URL")).rstrip("/")
        rows = RehostedImage.objects.filter(account=account)
        stale = [row.pk for row in rows.filter(purpose="content") if not _fits(row.url, base_url)]
        RehostedImage.objects.filter(pk__in=stale).delete()
        rows.update(api_base_url=base_url)


class Migration(migrations.Migration):
    dependencies = [
        ("wechat_channel", "0007_push_plan_permission"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="rehostedimage", name="wechat_image_once_per_account"),
        migrations.AddField(
            model_name="rehostedimage",
            name="api_base_url",
            field=models.CharField(default="", max_length=200),
        ),
        migrations.RunPython(label_with_address, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="rehostedimage",
            constraint=models.UniqueConstraint(
                fields=("account", "api_base_url", "sha256", "purpose"), name="wechat_image_once_per_account_address"
            ),
        ),
    ]
