"""Who may do what in the channel's admin (A12, A15): Django model permissions, checked on the server."""

from wagtail.permission_policies import ModelPermissionPolicy

VIEW_PLAN = "wechat_channel.view_push"
PLAN_PUSHES = "wechat_channel.plan_push"  # reorder, move, reschedule, preview: the office alone (A12.1)
HANDLE_PUSHES = "wechat_channel.change_push"  # retry or cancel a parked push: system errors (A6.5.1)
VIEW_ACCOUNTS = "wechat_channel.view_wechataccount"
CHANGE_ACCOUNTS = "wechat_channel.change_wechataccount"
VIEW_ACTIVITY = "wechat_channel.view_followeractivity"  # the office and channel administrators (A14)
EXPORT_ACTIVITY = "wechat_channel.export_followeractivity"  # the office head alone (A14)
MODERATE_COMMENTS = "wechat_channel.moderate_articlecomment"  # the office, its head, channel administrators (A13)
BIND_WECHAT = "wagtailadmin.access_admin"  # every admin user binds their own WeChat (A21)
VIEW_BINDINGS = "wechat_channel.view_followerbinding"  # the office, its head and channel administrators (A21)
CHECK_BINDINGS = "wechat_channel.check_followerbinding"  # office editors and channel administrators (A21)
UNBIND_OTHERS = "wechat_channel.delete_followerbinding"  # channel administrators alone (A21)
# Credential holders (A6.6): channel administrators assign, release and record rotations; the office head sees.
VIEW_CREDENTIALS = "wechat_channel.view_credentialholder"
ASSIGN_CREDENTIALS = "wechat_channel.add_credentialholder"
RELEASE_CREDENTIALS = "wechat_channel.change_credentialholder"
ROTATE_CREDENTIALS = "wechat_channel.add_credentialrotation"


def can(user, permission):
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(permission))


class AccountPermissionPolicy(ModelPermissionPolicy):
    """A15: accounts are opened and edited only by those who may change them; viewing alone opens nothing."""

    def user_has_permission(self, user, action):
        return user.has_perm(self._get_permission_name("change")) and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        editors = super().users_with_any_permission(["change"])
        return editors.filter(pk__in=super().users_with_any_permission(actions).values("pk"))
