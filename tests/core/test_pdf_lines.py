"""A paragraph is set one cell a line, the lines where fpdf2's own line breaking puts them."""

import io

from pypdf import PdfReader

from pars.core import pdf

STATEMENT = (
    "Bench CME designates this live activity for a maximum of 2 AMA PRA Category 1 "
    "Credit(s)\u2122. Physicians should claim only the credit commensurate with the extent of "
    "their participation in the activity.\nA second paragraph, after a line break."
)


def text_of(document) -> str:
    return PdfReader(io.BytesIO(bytes(document.output()))).pages[0].extract_text()


def test_a_long_paragraph_is_cut_where_fpdf2_breaks_it_and_every_word_is_kept():
    document, font, clean = pdf.document([STATEMENT])
    document.add_page()
    document.set_font(font, size=10)
    lines = pdf.line_breaks(document, 6, clean(STATEMENT))
    assert lines is not None and len(lines) >= 3
    assert " ".join(lines).split() == STATEMENT.split()
    broken = document.multi_cell(0, 6, STATEMENT, dry_run=True, output="LINES")
    assert [document.normalize_text(line) for line in lines] == broken
    pdf.write(document, 6, clean(STATEMENT))
    assert text_of(document).split() == STATEMENT.split()


def test_lines_that_cannot_be_found_in_the_text_leave_the_paragraph_to_fpdf2():
    document, font, _ = pdf.document()
    document.add_page()
    document.set_font(font, size=10)
    assert pdf.pieces_of(document, "one two", ["one", "three"]) is None
    assert pdf.pieces_of(document, "one two three", ["one", "two"]) is None
    assert pdf.pieces_of(document, "one two", ["one", "two"]) == ["one", "two"]


def test_text_beyond_windows_1252_is_cut_in_the_unicode_font_too():
    name = "\u0141ukasz \u017b\u00f3\u0142kiewski, " * 12
    document, font, clean = pdf.document([name])
    document.add_page()
    document.set_font(font, size=12)
    pdf.write(document, 7, clean(name.strip()), align="C")
    assert text_of(document).split() == clean(name.strip()).split()
