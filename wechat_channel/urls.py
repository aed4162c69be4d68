from django.urls import path

from wechat_channel.views.callback import callback

urlpatterns = [
    path("callback/<slug:account>/", callback, name="wechat_callback"),
]
