"""Reports people read: quotas, points, certificates, discipline and push coverage of a period.

`data` evaluates a period once (cached) under the active policy; `rows` turns the
outcomes into what each report lists; `views`, `panels` and `hooks` are the admin
glue, wired by importing `register`.
"""
