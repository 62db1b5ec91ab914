"""The workbook reader (pars.formats.spreadsheet): calamine reads what openpyxl read, cell for
cell, in every golden workbook (tests/data/xlsx/, built by its build.py: our templates as Excel
leaves them, and sheets laid out as other writers lay them out)."""

from pathlib import Path

import pytest

from pars.formats import activity_template, learner_counts_xlsx, learner_xlsx, spreadsheet

GOLDEN = Path(__file__).parent.parent / "data" / "xlsx"
WORKBOOKS = sorted(GOLDEN.glob("*.xlsx"))
ERROR_CELLS = GOLDEN / "learners-error-cells.xlsx"


def trimmed(rows) -> list[list[str]]:
    """Rows without their trailing empty cells, and no empty rows at the end: how wide a row
    comes differs (openpyxl: the sheet's widest; calamine: the used range)."""
    rows = [row[: max((i + 1 for i, text in enumerate(row) if text), default=0)] for row in rows]
    while rows and not rows[-1]:
        rows.pop()
    return rows


def test_there_are_golden_workbooks():
    assert len(WORKBOOKS) >= 7


@pytest.mark.parametrize("path", [p for p in WORKBOOKS if p != ERROR_CELLS], ids=lambda p: p.name)
def test_calamine_reads_every_cell_as_openpyxl_did(path):
    data = path.read_bytes()
    calamine = trimmed(spreadsheet.text_rows(data, "calamine"))
    assert calamine == trimmed(spreadsheet.text_rows(data, "openpyxl"))
    assert trimmed(spreadsheet.text_rows(data)) == calamine  # and calamine is the one used


def test_a_sheet_with_error_cells_is_read_with_their_text():
    """calamine reads #DIV/0! and #N/A as blank cells; the reader notices the error cells and
    reads that sheet with openpyxl, so the row checks name them instead of missing them."""
    data = ERROR_CELLS.read_bytes()
    assert spreadsheet.holds_error_cells(data)
    calamine = trimmed(spreadsheet.text_rows(data, "calamine"))
    assert "#DIV/0!" not in calamine[2] and calamine[3][5] == ""  # what calamine would drop
    rows = dict(learner_xlsx.read(data))
    assert rows[3]["Number of CME Credits"] == "#DIV/0!"
    assert rows[4]["Date of Birth"] == "#N/A"


def test_excel_typing_reads_as_the_person_typed():
    rows = dict(learner_xlsx.read((GOLDEN / "learners-typed-in-excel.xlsx").read_bytes()))
    first, second, third, fifth = rows[3], rows[4], rows[5], rows[7]
    assert first["ACCME Activity ID"] == "1234567"  # a number, not 1234567.0
    assert first["Completion Date"] == "03/02/2026"
    assert first["Date of Birth"] == "09/10/2026"  # Excel made 09/10 a date; the kind keeps MM/DD
    assert first["Licensing ID or NPI"] == "1234567893"
    assert first["Certifying Board ID"] == "007123"  # text that looks like a number stays text
    assert second["First Name"] == "Ben" and second["Date of Birth"] == "02/29"
    assert third["Number of CME Credits"] == "1.25"  # a formula's cached value
    assert third["Additional Credit Type"] == "True"
    assert third["Completion Date"] == "03/02/2026"  # a date with a time of day
    assert 6 not in rows  # the empty row between
    assert fifth["Number of CME Credits"] == "0.3"
    assert fifth["Licensing ID or NPI"] == "1000000000"


def test_other_writers_layouts_read_in_place():
    no_references = dict(learner_xlsx.read((GOLDEN / "learners-no-references.xlsx").read_bytes()))
    assert no_references[3]["First Name"] == "María"  # rich text runs joined
    assert no_references[3]["Licensing ID or NPI"] == "1234567893"  # 1.234567893E9
    assert no_references[3]["Certifying Board"] == "ABIM"  # a formula's cached string
    assert no_references[4]["Completion Date"] == "03/04/2026"  # an ISO "d" cell
    shifted = (GOLDEN / "learners-empty-first-column.xlsx").read_bytes()
    with pytest.raises(learner_xlsx.FormatError, match="Row 2 must hold"):
        list(learner_xlsx.read(shifted))  # column A empty: the header is not where PARS puts it
    assert trimmed(spreadsheet.text_rows(shifted))[2][:3] == [
        "",
        "Record Action",
        "ACCME Activity ID",
    ]


def test_a_stale_dimension_hides_no_row_and_1904_dates_read_right():
    rows = dict(learner_xlsx.read((GOLDEN / "learners-1904-stale-dimension.xlsx").read_bytes()))
    assert sorted(rows) == [3, 7]  # the <dimension> said A1:C2
    assert rows[3]["Completion Date"] == "03/02/2026" and rows[3]["First Name"] == "Ana"
    assert rows[7]["Completion Date"] == "03/03/2026" and rows[7]["Number of CME Credits"] == "0.75"


def test_every_upload_kind_reads_its_golden_workbook():
    activities = list(
        activity_template.read((GOLDEN / "activities-typed-in-excel.xlsx").read_bytes())
    )
    assert [number for number, _ in activities] == [3, 4, 5]
    counts = dict(learner_counts_xlsx.read((GOLDEN / "counts-typed-in-excel.xlsx").read_bytes()))
    assert sorted(counts) == [3, 4]


def test_what_is_not_a_workbook_is_named():
    with pytest.raises(learner_xlsx.FormatError, match="not an Excel workbook"):
        list(spreadsheet.text_rows(b"PK\x03\x04 not really"))
