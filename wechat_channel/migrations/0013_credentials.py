"""Credential holders and rotations (A6.6) join the channel, with the WeChat account they are about.

A site that held them before (this project's `cms`, whose migration runs first and renames its tables to these)
keeps its rows; a site that never did gets new, empty tables. Either way the state is the same, so the plugin
does not depend on any site's migrations.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("CredentialRotation", "CredentialHolder")  # in the order their foreign keys need


def create_missing_tables(apps, schema_editor):
    existing = set(schema_editor.connection.introspection.table_names())
    for name in MODELS:
        model = apps.get_model("wechat_channel", name)
        if model._meta.db_table not in existing:
            schema_editor.create_model(model)


class Migration(migrations.Migration):
    dependencies = [
        ("wechat_channel", "0012_push_followers_reached"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CredentialRotation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("recorded_at", models.DateTimeField(auto_now_add=True, verbose_name="recorded at")),
                        ("note", models.TextField(blank=True, verbose_name="note")),
                        (
                            "account",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="credential_rotations",
                                to="wechat_channel.wechataccount",
                                verbose_name="WeChat account",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="recorded by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "credential rotation",
                        "verbose_name_plural": "credential rotations",
                        "ordering": ["-recorded_at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="CredentialHolder",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("holder_name", models.CharField(max_length=150, verbose_name="holder name")),
                        ("assigned_at", models.DateTimeField(auto_now_add=True, verbose_name="assigned at")),
                        ("ended_at", models.DateTimeField(blank=True, null=True, verbose_name="ended at")),
                        (
                            "end_reason",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("released", "left the role"),
                                    ("deactivated", "account deactivated"),
                                    ("removed", "user removed"),
                                ],
                                max_length=20,
                                verbose_name="why it ended",
                            ),
                        ),
                        ("end_note", models.CharField(blank=True, max_length=200, verbose_name="note")),
                        (
                            "account",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="credential_holders",
                                to="wechat_channel.wechataccount",
                                verbose_name="WeChat account",
                            ),
                        ),
                        (
                            "assigned_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="assigned by",
                            ),
                        ),
                        (
                            "ended_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="ended by",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="credential_holdings",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="holder",
                            ),
                        ),
                        (
                            "rotation",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="releases",
                                to="wechat_channel.credentialrotation",
                                verbose_name="rotation",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "credential holder",
                        "verbose_name_plural": "credential holders",
                        "ordering": ["-ended_at", "assigned_at", "pk"],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("ended_at__isnull", True)),
                                fields=("account", "user"),
                                name="one_current_holding_per_user",
                            )
                        ],
                    },
                ),
            ],
        ),
        # Reversed, the tables stay: a site that moved them in takes them back in its own migration.
        migrations.RunPython(create_missing_tables, migrations.RunPython.noop, elidable=False),
    ]
