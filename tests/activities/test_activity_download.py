"""Download Active Activities: a real .xlsx read back with openpyxl."""

from datetime import timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from pars.formats.activity_xlsx import HEADERS
from pars.models import SupportSource
from pars.vocab import Role
from tests.factories import NOW, TODAY

PAST = TODAY - timedelta(days=3)


@pytest.fixture
def provider_id(make_user, login):
    user = make_user(role=Role.ADMIN)
    login()
    return user.provider_id


def sheet_of(response):
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    return load_workbook(BytesIO(response.data))["Activities"]


def rows_by_title(sheet) -> dict[str, dict]:
    header = [c.value for c in sheet[1]]
    return {
        row[3]: dict(zip(header, row, strict=True))
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }


def test_default_download_is_every_activity_not_closed(client, provider_id, make_activity):
    make_activity(provider_id, title="Open One")
    make_activity(
        provider_id,
        title="Closed One",
        start_date=PAST,
        end_date=PAST,
        commercial_support=False,
        physician_learners=1,
        other_learners=1,
        closed_at=NOW,
    )
    sheet = sheet_of(client.get("/activities/download"))
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.freeze_panes == "A2"
    assert list(rows_by_title(sheet)) == ["Open One"]


def test_every_field_is_written_with_dates_as_excel_dates(client, provider_id, make_activity):
    make_activity(
        provider_id,
        title="Full Record",
        internal_id="INT-9",
        commercial_support=True,
        support_sources=[
            SupportSource(kind="Monetary", source="Pfizer Inc.", amount=12500),
            SupportSource(kind="In-kind", source="GE HealthCare", position=1),
        ],
    )
    sheet = sheet_of(client.get("/activities/download"))
    row = rows_by_title(sheet)["Full Record"]
    assert row["Internal ID"] == "INT-9" and row["Format"] == "Live Course"
    assert row["Delivery Methods"] == "In-Person" and row["City"] == "Chicago"
    assert row["Monetary Support"] == "Pfizer Inc.: $12,500"
    assert row["In-kind Support"] == "GE HealthCare"
    assert row["Outcomes Measured"] == "Learner Competence (objective)"
    assert row["Status"] == "Active" and row["Commercial Support Received"] == "Yes"
    start_cell = sheet.cell(row=2, column=HEADERS.index("Start Date") + 1)
    assert start_cell.is_date and start_cell.number_format == "mm/dd/yyyy"
    assert start_cell.value.date() == TODAY + timedelta(days=10)


def test_text_that_looks_like_a_formula_stays_text(client, provider_id, make_activity):
    make_activity(
        provider_id,
        title='=HYPERLINK("http://evil","x")',
        internal_id="+1-555",
        description="@SUM(A1:A9)",
    )
    sheet = sheet_of(client.get("/activities/download"))
    for name in ("Title", "Internal ID", "Description"):
        cell = sheet.cell(row=2, column=HEADERS.index(name) + 1)
        assert cell.data_type == "s" and cell.quotePrefix
    assert sheet.cell(row=2, column=HEADERS.index("Title") + 1).value.startswith("=HYPERLINK")


def test_download_follows_the_filter_and_the_selection(client, provider_id, make_activity):
    a = make_activity(provider_id, title="Journal", format="Journal CME/CE", delivery_methods=[])
    b = make_activity(provider_id, title="Course")
    assert list(rows_by_title(sheet_of(client.get("/activities/download?q=journal")))) == [
        "Journal"
    ]
    picked = client.get(f"/activities/download?ids={b.id}")
    assert list(rows_by_title(sheet_of(picked))) == ["Course"]
    assert a.id != b.id


def test_download_never_includes_another_providers_activity(
    client, provider_id, make_user, make_activity
):
    other = make_user("b@example.org", provider="Other")
    theirs = make_activity(other.provider_id, title="Theirs")
    assert rows_by_title(sheet_of(client.get(f"/activities/download?ids={theirs.id}"))) == {}
