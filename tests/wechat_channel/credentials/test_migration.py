"""Credential holders move from the site to the channel (cms 0011, wechat_channel 0013) with every row and grant."""

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from wechat_channel.models import CredentialHolder, CredentialRotation

BEFORE = [("cms", "0010_stalled_reminder_once"), ("wechat_channel", "0012_push_followers_reached")]
AFTER = [("cms", "0011_credentials_to_wechat_channel"), ("wechat_channel", "0013_credentials")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_the_move(transactional_db):
    """The database as it was when the site held credentials; migrated to the latest state afterwards."""
    apps = migrate(BEFORE)
    ContentType.objects.clear_cache()
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def test_a_holding_and_a_granted_permission_survive_the_move(before_the_move):
    old = before_the_move
    account = old.get_model("wechat_channel", "WeChatAccount").objects.create(
        name="瑞安学院", slug="raxy", appid="wx0000000000000001", secret_env="WECHAT_CAMPUS_SECRET"
    )
    holder = old.get_model("auth", "User").objects.create(username="tech0", is_staff=True)
    rotation = old.get_model("cms", "CredentialRotation").objects.create(account_id=account.pk, note="已重置")
    old.get_model("cms", "CredentialHolder").objects.create(
        account_id=account.pk, user_id=holder.pk, holder_name="tech0", rotation_id=rotation.pk
    )
    content_type = old.get_model("contenttypes", "ContentType").objects.get(app_label="cms", model="credentialholder")
    permission = old.get_model("auth", "Permission").objects.get(
        content_type=content_type, codename="view_credentialholder"
    )
    group = old.get_model("auth", "Group").objects.create(name="technicians")
    group.permissions.add(permission)
    group.user_set.add(holder)

    migrate(AFTER)
    ContentType.objects.clear_cache()

    holding = CredentialHolder.objects.get()
    assert (holding.account_id, holding.user_id, holding.holder_name) == (account.pk, holder.pk, "tech0")
    assert holding.rotation == CredentialRotation.objects.get(pk=rotation.pk)
    assert CredentialHolder._meta.db_table in connection.introspection.table_names()
    assert "cms_credentialholder" not in connection.introspection.table_names()
    assert not ContentType.objects.filter(app_label="cms", model__startswith="credential").exists()
    assert ContentType.objects.get_for_model(CredentialHolder).pk == content_type.pk
    assert list(
        Group.objects.get(name="technicians").permissions.values_list("content_type__app_label", "codename")
    ) == [("wechat_channel", "view_credentialholder")]
    assert User.objects.get(pk=holder.pk).has_perm("wechat_channel.view_credentialholder")
