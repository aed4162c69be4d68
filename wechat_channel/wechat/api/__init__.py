"""The WeChat API by area, one small module each, as wechatpy lays out its own (`wechatpy/client/api/`).

Each area is reached through the account's `ChannelClient` (`client.drafts.add(...)`), which owns the call
discipline: tokens, bounded retries, lost answers and classified errors (`wechat_channel.wechat.client`).
"""
