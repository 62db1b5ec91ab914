"""The checks on a workbook's package count the sheet a reader opens, whatever its part's name."""

import re
import zipfile
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from pars.formats import package


def workbook_with_a_decoy(rows: int) -> bytes:
    """A workbook whose first sheet (the one openpyxl reads) has ``rows`` rows and lives in
    sheet2.xml, while sheet1.xml is an empty second sheet."""
    workbook = Workbook()
    workbook.active.title = "Data"
    for number in range(rows):
        workbook.active.append([number])
    workbook.create_sheet("Empty")
    buffer = BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(BytesIO(buffer.getvalue()))
    swap = {"xl/worksheets/sheet1.xml": "xl/worksheets/sheet2.xml"}
    swap |= {b: a for a, b in swap.items()}
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = re.sub(
                    rb"sheet([12])\.xml", lambda m: b"sheet%d.xml" % (3 - int(m[1])), data
                )
            target.writestr(swap.get(item.filename, item.filename), data)
    return out.getvalue()


def test_a_decoy_sheet1_does_not_hide_the_rows_of_the_sheet_that_is_read():
    data = workbook_with_a_decoy(50)
    assert len(list(load_workbook(BytesIO(data), read_only=True).worksheets[0].rows)) == 50
    with pytest.raises(package.FormatError, match="more than 10 rows"):
        package.check(data, package.Limits(rows=10))
    assert package.rows_in(data) == 48  # after the guidance and header rows


def test_a_workbook_without_its_relationships_is_not_a_workbook():
    buffer = BytesIO()
    Workbook().save(buffer)
    source = zipfile.ZipFile(BytesIO(buffer.getvalue()))
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            if item.filename != "_rels/.rels":
                target.writestr(item.filename, source.read(item.filename))
    with pytest.raises(package.FormatError, match="not an Excel workbook"):
        package.check(out.getvalue())


def workbook_of(rows: list[list]) -> bytes:
    """A workbook whose texts are shared strings, as Excel writes them (openpyxl writes them
    inline), in a part with an odd name that only the workbook's relationships give."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    texts = [value for row in rows for value in row]
    strings = "".join(f"<si><t>{text}</t></si>" for text in texts)
    part = f'<sst xmlns="{package.MAIN[1:-1]}" count="{len(texts)}">{strings}</sst>'
    relation = (
        '<Relationship Id="rIdS" Target="texts-of-the-book.xml" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>'
    )
    source, out = zipfile.ZipFile(BytesIO(buffer.getvalue())), BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", relation.encode())
            target.writestr(item.filename, data)
        target.writestr("xl/texts-of-the-book.xml", part)
    return out.getvalue()


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (package.Limits(cells=50), "more than 50 cells"),
        (package.Limits(shared_strings=30), "shared strings part"),
        (package.Limits(shared_strings_bytes=500), "shared strings part"),
        (package.Limits(part_bytes=5000), "part xl/theme/theme1.xml unpacks to"),
    ],
)
def test_cells_and_shared_strings_are_bounded_before_anything_parses_them(limits, message):
    data = workbook_of([[f"text {n}", f"more {n}"] for n in range(40)])  # 80 cells, 80 strings
    with pytest.raises(package.FormatError, match=message):
        package.check(data, limits)
    package.check(data)  # within the default bounds
