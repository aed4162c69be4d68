from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wechat_channel", "0005_account_secret_variables_and_addresses"),
    ]

    operations = [
        migrations.AddField(
            model_name="callbackevent",
            name="attempts",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="callbackevent",
            name="last_error",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AddField(
            model_name="callbackevent",
            name="parked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
