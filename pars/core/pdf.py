"""What every PDF of this system starts from (fpdf2): a Letter page and a font. Text that
Windows-1252 can hold (English names, accents, curly quotes, the trademark sign) is set in the
PDF core font Helvetica, which needs nothing embedded (about 15 ms a page); other text in DejaVu
Sans, embedded, where the system has it (Debian's fonts-dejavu-core: about 200 ms, most of it
reading the font); without it, in Helvetica with the characters it cannot show replaced."""

from collections.abc import Callable, Iterable
from pathlib import Path

from fpdf import FPDF

UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
UNICODE_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
CORE_ENCODING = "windows-1252"


def fits_core_font(text: str) -> bool:
    try:
        text.encode(CORE_ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def replaced(text: str) -> str:
    return text.encode(CORE_ENCODING, "replace").decode(CORE_ENCODING)


def document(texts: Iterable[str] = ()) -> tuple[FPDF, str, Callable[[str], str]]:
    """A new PDF with a font for ``texts`` (what the PDF will say that is not fixed): (the
    PDF, the font's name, what makes a text printable in it)."""
    pdf = FPDF(format="Letter")
    pdf.set_auto_page_break(auto=True, margin=18)
    if all(fits_core_font(text) for text in texts) or not UNICODE_FONT.exists():
        pdf.core_fonts_encoding = CORE_ENCODING
        return pdf, "Helvetica", replaced
    pdf.add_font("Body", "", str(UNICODE_FONT))
    pdf.add_font("Body", "B", str(UNICODE_BOLD if UNICODE_BOLD.exists() else UNICODE_FONT))
    return pdf, "Body", str


def write(pdf: FPDF, height: float, text: str, *, align: str = "L") -> None:
    """A paragraph across the page, the cursor back at the left margin below it, each line
    set as one cell (``align``: "L" or "C"). The lines are where fpdf2's own line breaking
    puts them, kept per process: it measures the line again for every character it adds,
    most of a certificate's time when every certificate of an activity breaks the same
    statement and title again."""
    if "\n" not in text and pdf.get_string_width(text) <= pdf.epw:
        lines = [text]
    else:
        lines = line_breaks(pdf, height, text)
    if lines is None:
        pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT", align=align)
        return
    for line in lines:
        pdf.cell(0, height, line, new_x="LMARGIN", new_y="NEXT", align=align)


_LINE_BREAKS: dict[tuple, list[str] | None] = {}
LINE_BREAKS_KEPT = 4096


def line_breaks(pdf: FPDF, height: float, text: str) -> list[str] | None:
    """``text`` cut where fpdf2 breaks its lines in the current font and width (None when
    its lines cannot be found again in the text: then fpdf2 sets the paragraph itself)."""
    key = (pdf.font_family, pdf.font_style, pdf.font_size_pt, round(pdf.epw, 3), text)
    if key not in _LINE_BREAKS:
        if len(_LINE_BREAKS) >= LINE_BREAKS_KEPT:
            _LINE_BREAKS.clear()
        broken = pdf.multi_cell(0, height, text, dry_run=True, output="LINES")
        _LINE_BREAKS[key] = pieces_of(pdf, text, broken)
    return _LINE_BREAKS[key]


def pieces_of(pdf: FPDF, text: str, lines: list[str]) -> list[str] | None:
    """The pieces of ``text`` that are fpdf2's ``lines`` (which it gives in its own encoding
    of the font, and without the space or newline it broke at)."""
    pieces, at = [], 0
    for line in lines:
        piece = text[at : at + len(line)]
        if pdf.normalize_text(piece) != line:
            return None
        pieces.append(piece)
        at += len(piece)
        if at < len(text) and text[at] in " \n":
            at += 1
    return pieces if at == len(text) else None
