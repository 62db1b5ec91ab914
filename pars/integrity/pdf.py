"""The one-page disclosure to learners as a PDF (for the slide or the handout)."""

from pars.core.pdf import document, write
from pars.integrity.rules import NONE_RELEVANT, Disclosed


def disclosure_pdf(
    title: str, dates: str, entries: list[Disclosed], statement: str | None
) -> bytes:
    said = [title, dates, statement or ""]
    said += [f"{e.name} {e.roles} {e.relationships}" for e in entries]
    pdf, font, clean = document(said)
    pdf.add_page()
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
