from django.urls import path

from wechat_channel.views.bind import bind_callback
from wechat_channel.views.callback import callback

urlpatterns = [
    path("callback/<slug:account>/", callback, name="wechat_callback"),
    path("bind/<slug:account>/", bind_callback, name="wechat_bind"),  # web authorization comes back here (A21)
]
