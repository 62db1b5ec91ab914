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


def write(pdf: FPDF, height: float, text: str, **options) -> None:
    """A paragraph across the page, the cursor back at the left margin below it. A text that
    fits on one line is set as one cell: fpdf2's line breaking measures the line again for
    every character, most of a certificate's time when every line goes through it."""
    if "\n" not in text and pdf.get_string_width(text) <= pdf.epw:
        pdf.cell(0, height, text, new_x="LMARGIN", new_y="NEXT", **options)
    else:
        pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT", **options)
