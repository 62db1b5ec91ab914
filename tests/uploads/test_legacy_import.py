"""Legacy tab-delimited activity files (Template D and C) through the upload pipeline, against
golden files: the same rules as the entry form, a preview that says what was assumed, every
bad line named with its field, nothing stored from a file with a bad line."""

import codecs
import re
from datetime import date

import pytest
from sqlmodel import select

from pars.models import Activity
from tests.factories import DATA, TODAY, preview_of


def stored(session) -> dict[str, Activity]:
    session.expire_all()
    return {a.internal_id: a for a in session.exec(select(Activity))}


def test_template_d_imports_with_legacy_codes_dates_and_supporters(client, editor, session):
    location, preview = preview_of(client, (DATA / "legacy-template-d.txt").read_bytes())
    assert preview.status_code == 200 and b"<strong>3</strong> new activities" in preview.data
    assert b"became the start date" in preview.data  # the assumption is said, not hidden
    assert client.post(location + "/commit").status_code == 303
    found = stored(session)
    live, series, online = found["L-1"], found["L-2"], found["L-3"]
    assert (live.format, live.start_date, live.end_date) == (
        "Live Course",
        date(2025, 5, 14),
        date(2025, 5, 14),
    )
    assert [d.method for d in live.delivery_methods] == ["In-Person"]
    assert (live.country, live.city, live.physician_learners) == ("USA", "Chicago", 40)
    assert sorted((s.kind, s.source, s.amount) for s in live.support_sources) == [
        ("In-kind", "Beta Devices", None),
        ("Monetary", "Acme Pharma", 5000),
    ]
    assert (series.format, series.end_date) == ("Regularly Scheduled Series", date(2025, 12, 31))
    assert [j.name for j in series.joint_providers] == ["Lakeshore Oncology Society"]
    assert (online.format, online.country) == ("Enduring Material", None)
    assert [d.method for d in online.delivery_methods] == ["Online"]
    again = preview_of(client, (DATA / "legacy-template-d.txt").read_bytes())[1]
    assert b"<strong>3</strong> unchanged" in again.data  # matched on the provider's own ID


def test_template_c_drops_its_2014_fields(client, editor, session):
    location, preview = preview_of(client, (DATA / "legacy-template-c.txt").read_bytes())
    assert b"<strong>1</strong> new activities" in preview.data
    client.post(location + "/commit")
    old = stored(session)["C-1"]
    assert (old.title, old.ama_credits, old.description) == (
        "Old 2014 Course",
        1.5,
        "Updates in practice.",
    )
    assert b"Template C&#39;s 2014-only fields" in preview.data  # read, and said not stored
    # A legacy record of 2014: its year, hours and flags are kept, and it is judged as PARS
    # judged it then (historical), Ready to Close with everything the legacy model asks.
    assert (old.legacy_record, old.reporting_year, old.hours_of_instruction) == (True, 2014, 1.5)
    assert (old.designed_competence, old.evaluated_patient_outcomes) == (False, False)
    assert old.status_on(TODAY) == "Ready to Close"


def test_each_bad_line_is_named_and_nothing_is_stored(client, editor, session):
    location, preview = preview_of(client, (DATA / "legacy-bad-lines.txt").read_bytes())
    html = preview.data.decode()
    assert preview.status_code == 422
    assert re.search(r"<td>1</td><td>11 Activity Type</td><td>ZZ is not a legacy", html)
    assert re.search(r"<td>2</td><td>\(line\)</td><td>\d+ fields: a Template D line has 47", html)
    assert re.search(r"<td>3</td><td>6 Activity Date</td><td>Write the date as MM/DD/YYYY", html)
    assert re.search(r"<td>3</td><td>13 # of Physicians</td><td>Enter a whole number", html)
    client.post(location + "/commit")
    assert stored(session) == {}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "cp1252"])
def test_a_tab_file_saved_as_unicode_text_reads_the_same(client, editor, session, encoding):
    """Excel's "Unicode Text" is UTF-16 with a byte order mark; older tools wrote Windows-1252."""
    text = (DATA / "legacy-template-d.txt").read_text(encoding="utf-8")
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    location, preview = preview_of(client, data)
    assert preview.status_code == 200 and b"<strong>3</strong> new activities" in preview.data
    assert client.post(location + "/commit").status_code == 303
    assert stored(session)["L-1"].city == "Chicago"


def test_excel_quoting_whole_dollar_decimals_a_heading_row_and_lines_without_ids(
    client, editor, session
):
    """A third-party export (tests/data/legacy-quoted.txt): a heading row first, a title in
    Excel's quotes, whole dollars written 324705.0 and 5000.00, and a line with neither ID."""
    data = (DATA / "legacy-quoted.txt").read_bytes()
    location, preview = preview_of(client, data, "activities.txt")
    html = preview.data.decode()
    assert "Line 1 is the template&#39;s heading row" in html
    assert re.search(r"<td>4</td><td>3 Provider Activity ID</td><td>PARS requires", html)
    assert "<strong>2</strong> new activities" in html  # the two with an ID
    fixed = data.replace(b"Template D\t\t\t", b"Template D\t\tQ-3\t")
    location, preview = preview_of(client, fixed, "activities.txt")
    client.post(location + "/commit")
    found = stored(session)
    assert found["Q-1"].title == 'Update on "Sepsis", part 2'
    assert [s.amount for s in found["Q-1"].support_sources if s.kind == "Monetary"] == [324705]
    assert [s.amount for s in found["Q-2"].support_sources if s.kind == "Monetary"] == [5000]


def test_a_real_fraction_of_a_dollar_is_refused(client, editor, session):
    data = (DATA / "legacy-quoted.txt").read_bytes().replace(b"\t5000.00\t", b"\t5000.50\t")
    html = preview_of(client, data, "activities.txt")[1].data.decode()
    assert "5000.50 is not a whole-dollar amount" in html
