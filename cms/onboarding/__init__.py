"""The first-run checklist on the office head's dashboard (issue 14): what an institution sets up before the
newsroom runs, shown until every step is done."""
