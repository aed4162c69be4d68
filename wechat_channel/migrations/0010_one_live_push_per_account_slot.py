"""One live (not cancelled) push per account and instant (A12); older duplicates move a second later each."""

import datetime

from django.db import migrations, models
from django.db.models import Count


def separate_duplicates(apps, schema_editor):
    Push = apps.get_model("wechat_channel", "Push")
    live = Push.objects.exclude(state="cancelled")
    clashes = live.values("account_id", "slot").annotate(n=Count("pk")).filter(n__gt=1)
    for clash in clashes:
        pushes = live.filter(account_id=clash["account_id"], slot=clash["slot"]).order_by("pk")
        for push in list(pushes)[1:]:
            slot = push.slot
            while live.filter(account_id=push.account_id, slot=slot).exists():
                slot += datetime.timedelta(seconds=1)
            push.slot = slot
            push.save(update_fields=["slot"])


class Migration(migrations.Migration):
    dependencies = [
        ("wechat_channel", "0009_push_errors_as_notes"),
    ]

    operations = [
        migrations.RunPython(separate_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="push",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state", "cancelled"), _negated=True),
                fields=("account", "slot"),
                name="wechat_one_live_push_per_slot",
            ),
        ),
    ]
