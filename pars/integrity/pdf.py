"""The one-page disclosure to learners as a PDF (for the slide or the handout), written with
fpdf2. A Unicode font is used where the system has DejaVu Sans (Debian's fonts-dejavu-core);
otherwise the PDF core font, with characters it cannot show replaced."""

from pathlib import Path

from fpdf import FPDF

from pars.integrity.rules import NONE_RELEVANT, Disclosed

UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def write(pdf: FPDF, height: float, text: str) -> None:
    """A paragraph across the page, the cursor back at the left margin below it."""
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")


def disclosure_pdf(
    title: str, dates: str, entries: list[Disclosed], statement: str | None
) -> bytes:
    pdf = FPDF(format="Letter")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    if UNICODE_FONT.exists():
        pdf.add_font("Body", "", str(UNICODE_FONT))
        font, clean = "Body", str
    else:
        font = "Helvetica"
        clean = lambda text: text.encode("latin-1", "replace").decode("latin-1")  # noqa: E731
    pdf.set_font(font, size=16)
    write(pdf, 9, clean("Disclosure of financial relationships"))
    pdf.set_font(font, size=11)
    write(pdf, 6, clean(f"{title}\n{dates}"))
    pdf.ln(4)
    for entry in entries:
        said = "; ".join(f"{c} ({n})" for c, n in entry.relationships) or NONE_RELEVANT
        write(pdf, 6, clean(f"{entry.name}, {', '.join(entry.roles)}: {said}"))
        pdf.ln(1)
    if statement:
        pdf.ln(3)
        write(pdf, 6, clean(statement))
    return bytes(pdf.output())
