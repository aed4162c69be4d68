"""Admin pages of the channel: thin views over planning, delivery, quotas and the WeChat client."""
