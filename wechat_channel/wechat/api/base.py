"""What every API area shares: the `ChannelClient` it calls through."""


class Area:
    """One area of the WeChat API for one account; `self.client` is its `ChannelClient`."""

    def __init__(self, client):
        self.client = client

    def post(self, path, data, idempotent=None, **kwargs):
        return self.client.post(path, data, idempotent=idempotent, **kwargs)
