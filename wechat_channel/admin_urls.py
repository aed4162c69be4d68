"""The channel's admin pages under /admin/wechat/ (namespace `wechat_admin`)."""

from django.urls import path

from wechat_channel.views.admin import activity, bindings, comments, health, plan, preview, pushes

urlpatterns = [
    path("plan/", plan.PlanView.as_view(), name="plan"),
    path("plan/push/<int:pk>/reorder/", plan.ReorderView.as_view(), name="reorder"),
    path("plan/push/<int:pk>/reschedule/", plan.RescheduleView.as_view(), name="reschedule"),
    path("plan/item/<int:pk>/move/", plan.MoveView.as_view(), name="move"),
    path("pushes/", pushes.PushListView.as_view(), name="pushes"),
    path("pushes/<int:pk>/", pushes.PushView.as_view(), name="push"),
    path("pushes/<int:pk>/retry/", pushes.RetryView.as_view(), name="retry"),
    path("pushes/<int:pk>/cancel/", pushes.CancelView.as_view(), name="cancel"),
    path("pushes/<int:pk>/settle/", pushes.SettleView.as_view(), name="settle"),
    path("health/", health.HealthView.as_view(), name="health"),
    path("health/callbacks/<int:pk>/retry/", health.RetryCallbackView.as_view(), name="callback_retry"),
    path("preview/<int:page_id>/", preview.PreviewView.as_view(), name="preview"),
    path("activity/", activity.ActivityView.as_view(), name="activity"),
    path("activity/export/", activity.ActivityExportView.as_view(), name="activity_export"),
    path("comments/", comments.CommentsView.as_view(), name="comments"),
    path("comments/fetch/", comments.FetchView.as_view(), name="comments_fetch"),
    path("bind/", bindings.BindView.as_view(), name="bind"),
    path("bindings/<int:pk>/unbind/", bindings.UnbindView.as_view(), name="unbind"),
    path("bindings/check/", bindings.CheckView.as_view(), name="bindings_check"),
    path("comments/<int:pk>/moderate/", comments.ModerateView.as_view(), name="comment_moderate"),
    path("comments/article/<int:pk>/open/", comments.ArticleCommentsOpenView.as_view(), name="comments_open"),
]
