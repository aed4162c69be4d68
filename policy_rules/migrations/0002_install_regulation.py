"""Install the regulation's own numbers as version 1 of the default scope, active."""

from django.db import migrations

from policy_rules.document import default_document
from policy_rules.models import document_hash


def install(apps, schema_editor):
    PolicyVersion = apps.get_model("policy_rules", "PolicyVersion")
    PolicyEvent = apps.get_model("policy_rules", "PolicyEvent")
    if PolicyVersion.objects.filter(scope="default").exists():
        return
    data = default_document().as_data()
    version = PolicyVersion.objects.create(
        scope="default",
        number=1,
        document=data,
        document_sha256=document_hash(data),
        status="active",
        change_note="温职院瑞〔2018〕10号原文规定（安装时的默认政策）",
    )
    PolicyEvent.objects.create(version=version, action="created", data={"source": "migration"})
    PolicyEvent.objects.create(version=version, action="activated", data={"source": "migration"})


class Migration(migrations.Migration):
    dependencies = [("policy_rules", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
