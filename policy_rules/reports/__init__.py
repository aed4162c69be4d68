"""Reports people read: quotas, points, certificates, discipline, push coverage and the annual assessment (A22).

`data` evaluates a period once (cached) under the active policy; `rows` turns the
outcomes into what each report lists, `pace` says whether a department is on track,
`assessment` sums a year's periods for A22; `views`, `panels` and `hooks` are the
admin glue, wired by importing `register`.
"""
