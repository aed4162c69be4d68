"""Images already on WeChat, per account, API address and content hash, so an image is uploaded once."""

from django.db import models


class RehostedImage(models.Model):
    """One image as WeChat holds it for one account at one API address.

    Keyed by the address too: ids and URLs the sandbox gave never reach the real WeChat when an account is
    moved from the sandbox to api.weixin.qq.com (or back).
    """

    class Purpose(models.TextChoices):
        CONTENT = "content", "media/uploadimg"  # an image inside article content: a URL
        COVER = "cover", "material/add_material"  # a cover: a permanent media_id

    account = models.ForeignKey("wechat_channel.WeChatAccount", on_delete=models.CASCADE, related_name="images")
    api_base_url = models.CharField(max_length=200, default="")  # WeChatAccount.base_url when it was uploaded
    sha256 = models.CharField(max_length=64)
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    url = models.URLField(max_length=1000, blank=True)
    media_id = models.CharField(max_length=128, blank=True)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "api_base_url", "sha256", "purpose"], name="wechat_image_once_per_account_address"
            )
        ]

    def __str__(self):
        return f"{self.purpose} {self.sha256[:12]}"
