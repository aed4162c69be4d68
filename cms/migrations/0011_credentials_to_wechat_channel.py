"""Credential holders and rotations (A6.6) belong to the channel now: the site lets go of them.

The tables are renamed to the channel's names here, while the models are still the site's, then the models
leave the site's state; `wechat_channel.0013_credentials` takes them into the channel's state (`run_before`,
so the plugin's migration never names the site). The content types move with them, so the permissions already
granted to groups and users keep pointing at the same rows under the new app label.
"""

from django.db import migrations

MOVED = ("credentialholder", "credentialrotation")


def move_content_types(source, target):
    def move(apps, schema_editor):
        content_types = apps.get_model("contenttypes", "ContentType").objects.using(schema_editor.connection.alias)
        permissions = apps.get_model("auth", "Permission").objects.using(schema_editor.connection.alias)
        for model in MOVED:
            old = content_types.filter(app_label=source, model=model).first()
            if old is None:
                continue
            new = content_types.filter(app_label=target, model=model).first()
            if new is None:
                old.app_label = target
                old.save(update_fields=["app_label"])
                continue
            # Both labels have a row (made outside migrate): the grants go to the target's permissions.
            for permission in permissions.filter(content_type=old):
                twin, _created = permissions.get_or_create(
                    content_type=new, codename=permission.codename, defaults={"name": permission.name}
                )
                twin.group_set.add(*permission.group_set.all())
                twin.user_set.add(*permission.user_set.all())

    return move


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("cms", "0010_stalled_reminder_once"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    run_before = [("wechat_channel", "0013_credentials")]

    operations = [
        migrations.AlterModelTable(name="credentialrotation", table="wechat_channel_credentialrotation"),
        migrations.AlterModelTable(name="credentialholder", table="wechat_channel_credentialholder"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="credentialholder"),
                migrations.DeleteModel(name="credentialrotation"),
            ],
        ),
        migrations.RunPython(
            move_content_types("cms", "wechat_channel"), move_content_types("wechat_channel", "cms"), elidable=False
        ),
    ]
