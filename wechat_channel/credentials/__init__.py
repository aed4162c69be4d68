"""Who holds each WeChat account's credentials and their rotation (A6.6), and the account-settings audit (A15).

`services` is the one place a holding changes; `views` and `hooks` are the admin's glue over it.
"""
