"""Bringing departments, people and their roles in from the office's own spreadsheets (issue 14).

`files` reads an XLSX or CSV into text cells within caps; `rows` checks each row and names the row and column of
every error; `plan` says what an import would create, change and leave alone, and applies it all or nothing;
`pending` keeps an uploaded file on the server between the preview and the confirmation.
"""
