import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wechat_channel", "0003_article_comments"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="wechataccount",
            name="oauth_base_url",
            field=models.URLField(
                blank=True,
                help_text="Where staff confirm their WeChat to bind it (网页授权). Blank: the site default.",
                verbose_name="web authorization address",
            ),
        ),
        migrations.CreateModel(
            name="FollowerBinding",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("openid", models.CharField(max_length=64, verbose_name="openid")),
                ("bound_at", models.DateTimeField(verbose_name="bound at")),
                (
                    "subscription",
                    models.CharField(
                        choices=[
                            ("unknown", "not known yet"),
                            ("subscribed", "follows"),
                            ("unsubscribed", "does not follow"),
                        ],
                        default="unknown",
                        max_length=20,
                        verbose_name="subscription",
                    ),
                ),
                (
                    "subscription_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="subscription known at"),
                ),
                (
                    "subscription_source",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "—"),
                            ("callback", "subscribe or unsubscribe event"),
                            ("check", "user information check"),
                        ],
                        default="",
                        max_length=20,
                        verbose_name="learned from",
                    ),
                ),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="bindings",
                        to="wechat_channel.wechataccount",
                        verbose_name="account",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="wechat_bindings",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "WeChat binding",
                "verbose_name_plural": "WeChat bindings",
                "ordering": ["account", "user"],
                "permissions": [
                    ("check_followerbinding", "Can check whether bound staff still follow the account (A21)")
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("user", "account"), name="wechat_binding_one_per_user"),
                    models.UniqueConstraint(fields=("account", "openid"), name="wechat_binding_one_per_openid"),
                ],
            },
        ),
    ]
