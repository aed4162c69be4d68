"""A local HTTP server that behaves like the WeChat Official Account API, for tests and benchmarks.

Its public API, for the host site's demo and for tests: the followers every sandbox account starts with
(`default_openids`) and the one who followed and left (`former_follower`); the server itself is
`wechat_channel.sandbox.server.SandboxServer`, run by `manage.py wechat_sandbox`. Everything else is its inside.
"""

from wechat_channel.sandbox.followers import default_openids, former_follower

__all__ = ["default_openids", "former_follower"]
