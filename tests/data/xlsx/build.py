"""Builds the workbooks of this folder (run once; the files are kept, so a change to a writer
never changes what the reader tests read): `python tests/data/xlsx/build.py`.

1. Our three templates as a person fills them in Excel: dates typed as dates, a Date of Birth
   that Excel turned into a date, IDs typed as numbers, text that looks like a number, a
   formula with its cached value, booleans, a time.
2. Sheets written the way other systems write them, by hand, as SpreadsheetML allows: cells
   without an "r" reference, inline strings, rich text runs, "str" and "b" cells, ISO "d"
   cells, numbers in exponent form, a first column left empty, the 1904 date system, a stale
   <dimension>, an error cell.
"""

import zipfile
from datetime import date, datetime, time
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook

from pars.formats import activity_template, learner_counts_xlsx, learner_xlsx

HERE = Path(__file__).parent


def saved(workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def learners_typed_in_excel() -> bytes:
    workbook = load_workbook(BytesIO(learner_xlsx.blank()))
    sheet = workbook.worksheets[0]
    sheet.append(
        [
            "Add",
            1234567,
            date(2026, 3, 2),
            "Ana",
            "Diaz",
            datetime(2026, 9, 10),
            "Illinois",
            1234567893,
            1.5,
            "ABIM",
            "007123",
            10,
            "Medical Knowledge",
            10,
            None,
        ]
    )
    sheet.cell(row=sheet.max_row, column=6).number_format = "d-mmm"  # 09/10 became a date
    sheet.append(
        [
            "Add",
            "1234567",
            "03/02/2026",
            " Ben ",
            "O'Neil",
            "02/29",
            "IL",
            "A-1234",
            2,
            None,
            None,
            None,
            None,
            None,
            None,
        ]
    )
    sheet.append(
        [
            "Delete",
            1234567.0,
            datetime(2026, 3, 2, 14, 30),
            "Cy",
            "Li",
            "12/31",
            "CA",
            "0012345",
            "=1+0.25",
            None,
            None,
            None,
            None,
            None,
            True,
        ]
    )
    sheet.cell(row=sheet.max_row, column=9).value = 1.25  # a formula's cached value
    sheet.append([None] * 15)  # an empty row in between
    sheet.append(
        [
            "Add",
            7654321,
            time(9, 30),
            "Dee",
            "Ray",
            45000,
            "NY",
            1e9,
            0.1 + 0.2,
            None,
            None,
            None,
            None,
            None,
            False,
        ]
    )
    return saved(workbook)


def activities_typed_in_excel() -> bytes:
    workbook = load_workbook(BytesIO(activity_template.blank("cme")))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[2]]
    for number in range(3):
        values = {
            "Provider Activity ID": 1000 + number,  # an ID typed as a number
            "Title": f"Grand Rounds {number}",
            "Format": "Course",
            "Start Date": date(2026, 1, 10 + number),
            "End Date": datetime(2026, 1, 10 + number),
            "Country": "USA",
            "City": "Chicago",
            "State/Province": "IL",
            "ZIP/Postal Code": 60601 if number else "02134",
            "AMA PRA Category 1 Credits": 1.0 + number / 4,
        }
        sheet.append([values.get(name) for name in header])
    return saved(workbook)


def counts_typed_in_excel() -> bytes:
    workbook = load_workbook(BytesIO(learner_counts_xlsx.blank([])))
    sheet = workbook.worksheets[0]
    width = sheet.max_column
    sheet.append(([12, "Course title", 30.0, 4, "Yes"] + [None] * width)[:width])
    sheet.append(([13, "Other", "12", 0, "No"] + [None] * width)[:width])
    return saved(workbook)


XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def override(part: str, kind: str) -> str:
    return f'<Override PartName="{part}" ContentType="{OFFICE}.{kind}+xml"/>'


def relationship(number: int, kind: str, target: str) -> str:
    return f'<Relationship Id="rId{number}" Type="{RELATIONSHIP}/{kind}" Target="{target}"/>'


CONTENT_TYPES = (
    f'{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    + override("/xl/workbook.xml", "sheet.main")
    + override("/xl/worksheets/sheet1.xml", "worksheet")
    + override("/xl/styles.xml", "styles")
    + "</Types>"
)
RELATIONSHIPS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
)
ROOT_RELS = f"{XML}{RELATIONSHIPS}{relationship(1, 'officeDocument', 'xl/workbook.xml')}"
ROOT_RELS += "</Relationships>"
WORKBOOK_RELS = (
    f"{XML}{RELATIONSHIPS}{relationship(1, 'worksheet', 'worksheets/sheet1.xml')}"
    f"{relationship(2, 'styles', 'styles.xml')}</Relationships>"
)
# Style 1 is a date (numFmt 14, m/d/yyyy), style 2 a time (numFmt 20, h:mm).
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="20" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


def workbook_xml(date1904: bool) -> str:
    properties = '<workbookPr date1904="1"/>' if date1904 else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'{properties}<sheets><sheet name="Learners" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def package(sheet_data: str, *, date1904: bool = False, dimension: str = "") -> bytes:
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dimension}<sheetData>{sheet_data}</sheetData></worksheet>"
    )
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", workbook_xml(date1904))
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", STYLES)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def inline(text: str) -> str:
    return f'<c t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def row(*cells: str, number: int | None = None) -> str:
    reference = f' r="{number}"' if number else ""
    return f"<row{reference}>{''.join(cells)}</row>"


def learner_header() -> str:
    return row(*(inline(name) for name in learner_xlsx.HEADER))


def no_references() -> bytes:
    """A writer that gives neither row nor cell references, inline strings and rich text."""
    rich = '<c t="inlineStr"><is><r><t>Mar</t></r><r><rPr><b/></rPr><t>ía</t></r></is></c>'
    return package(
        row(inline("Learner completions"))
        + learner_header()
        + row(
            inline("Add"),
            "<c><v>1234567</v></c>",
            '<c s="1"><v>46083</v></c>',
            rich,
            inline("Gómez"),
            inline("01/31"),
            inline("TX"),
            "<c><v>1.234567893E9</v></c>",
            "<c><v>2.5E0</v></c>",
            '<c t="str"><f>"AB"&amp;"IM"</f><v>ABIM</v></c>',
            inline("  00123  "),
            "<c><v>10</v></c>",
            inline("Medical Knowledge"),
            "<c><v>10</v></c>",
            '<c t="b"><v>1</v></c>',
        )
        + row(
            inline("Add"),
            inline("1234567"),
            '<c t="d"><v>2026-03-04T00:00:00</v></c>',
            inline("Lee"),
            inline("Kim"),
            '<c s="1"><v>45931</v></c>',
            inline("WA"),
            inline("1234567893"),
            "<c><v>-0</v></c>",
            "<c/>",
            "<c/>",
            "<c/>",
            "<c/>",
            "<c/>",
            '<c t="b"><v>0</v></c>',
        )
    )


def empty_first_column() -> bytes:
    """Rows that start in column B, the first row and column left empty."""

    def cell(column: str, number: int, body: str) -> str:
        return body.replace("<c", f'<c r="{column}{number}"', 1)

    columns = "BCDEFGHIJKLMNOP"
    header = "".join(cell(columns[i], 3, inline(n)) for i, n in enumerate(learner_xlsx.HEADER))
    values = ["Add", "1234567", "03/02/2026", "Ana", "Diaz", "09/10", "IL", "1234567893", "1"]
    body = "".join(cell(columns[i], 4, inline(v)) for i, v in enumerate(values))
    return package(
        row(cell("B", 2, inline("Learner completions")), number=2)
        + row(header, number=3)
        + row(body, number=4)
    )


def dates_1904_and_stale_dimension() -> bytes:
    """The 1904 date system (old Mac Excel) and a <dimension> that says A1:C2 for more."""
    return package(
        row(inline("Learner completions"), number=1)
        + row(*(inline(n) for n in learner_xlsx.HEADER), number=2)
        + row(
            inline("Add"),
            "<c><v>1234567</v></c>",
            '<c s="1"><v>44621</v></c>',
            inline("Ana"),
            inline("Diaz"),
            '<c s="2"><v>0.5</v></c>',
            inline("IL"),
            "<c><v>1234567893</v></c>",
            "<c><v>1</v></c>",
            number=3,
        )
        + row(
            inline("Add"),
            "<c><v>1234567</v></c>",
            '<c s="1"><v>44622.75</v></c>',
            inline("Bo"),
            inline("Ek"),
            inline("05/06"),
            inline("IL"),
            inline("A-9"),
            "<c><v>0.75</v></c>",
            number=7,
        ),
        date1904=True,
        dimension='<dimension ref="A1:C2"/>',
    )


def error_cells() -> bytes:
    """Excel's error values where a formula failed: never blank to the reader."""
    return package(
        row(inline("Learner completions"), number=1)
        + row(*(inline(n) for n in learner_xlsx.HEADER), number=2)
        + row(
            inline("Add"),
            "<c><v>1234567</v></c>",
            inline("03/02/2026"),
            inline("Ana"),
            inline("Diaz"),
            inline("09/10"),
            inline("IL"),
            "<c><v>1234567893</v></c>",
            '<c t="e"><f>1/0</f><v>#DIV/0!</v></c>',
            number=3,
        )
        + row(
            inline("Add"),
            "<c><v>1234567</v></c>",
            inline("03/02/2026"),
            inline("Bo"),
            inline("Ek"),
            '<c t="e"><v>#N/A</v></c>',
            inline("IL"),
            inline("A-9"),
            "<c><v>1</v></c>",
            number=4,
        )
    )


FILES = {
    "learners-typed-in-excel.xlsx": learners_typed_in_excel,
    "activities-typed-in-excel.xlsx": activities_typed_in_excel,
    "counts-typed-in-excel.xlsx": counts_typed_in_excel,
    "learners-no-references.xlsx": no_references,
    "learners-empty-first-column.xlsx": empty_first_column,
    "learners-1904-stale-dimension.xlsx": dates_1904_and_stale_dimension,
    "learners-error-cells.xlsx": error_cells,
}

if __name__ == "__main__":
    for name, build in FILES.items():
        (HERE / name).write_bytes(build())
        print(name)  # noqa: T201
