"""Certificates of claimed credit, and a learner's transcript, as PDFs (fpdf2)."""

from dataclasses import dataclass
from datetime import date

from fpdf import FPDF

from pars.core.pdf import document, write

AMA_CREDIT = "AMA PRA Category 1 Credit\u2122"
AMA_CREDITS = "AMA PRA Category 1 Credits\u2122"


@dataclass(frozen=True)
class Certificate:
    """What one certificate says."""

    learner: str
    activity: str
    dates: str
    completed: date
    credits: float
    statement: str
    provider: str
    code: str
    verify_url: str


def credit_words(credits: float) -> str:
    return f"{credits:g} {AMA_CREDIT if credits == 1 else AMA_CREDITS}"


def texts(certificate: Certificate) -> list[str]:
    return [certificate.learner, certificate.activity, certificate.provider, certificate.statement]


def certificate_page(pdf: FPDF, font: str, clean, certificate: Certificate) -> None:
    pdf.add_page()
    pdf.set_font(font, size=13)
    write(pdf, 7, clean(certificate.provider), align="C")
    pdf.ln(8)
    pdf.set_font(font, "B", size=22)
    write(pdf, 11, clean("Certificate of Credit"), align="C")
    pdf.ln(6)
    pdf.set_font(font, size=12)
    write(pdf, 7, clean("This certifies that"), align="C")
    pdf.set_font(font, "B", size=18)
    write(pdf, 10, clean(certificate.learner), align="C")
    pdf.set_font(font, size=12)
    write(pdf, 7, clean("participated in the activity"), align="C")
    pdf.set_font(font, "B", size=14)
    write(pdf, 8, clean(certificate.activity), align="C")
    pdf.set_font(font, size=12)
    write(pdf, 7, clean(certificate.dates), align="C")
    pdf.ln(4)
    write(
        pdf,
        7,
        clean(
            f"completed on {certificate.completed:%m/%d/%Y} and was awarded "
            f"{credit_words(certificate.credits)}."
        ),
        align="C",
    )
    pdf.ln(8)
    pdf.set_font(font, size=10)
    write(pdf, 6, clean(certificate.statement))
    pdf.ln(6)
    write(pdf, 6, clean(f"Verification code: {certificate.code}"))
    write(pdf, 6, clean(f"Check it at {certificate.verify_url}"))


def certificate_pdf(certificate: Certificate) -> bytes:
    pdf, font, clean = document(texts(certificate))
    pdf.set_title(clean(f"Certificate: {certificate.activity}"))
    certificate_page(pdf, font, clean, certificate)
    return bytes(pdf.output())


def transcript_pdf(learner: str, provider: str, certificates: list[Certificate]) -> bytes:
    """A list of every certificate, then each certificate on its own page."""
    pdf, font, clean = document([learner, *(t for c in certificates for t in texts(c))])
    pdf.set_title(clean(f"Transcript: {learner}"))
    pdf.add_page()
    pdf.set_font(font, "B", size=18)
    write(pdf, 10, clean(f"Transcript of credit: {learner}"))
    pdf.set_font(font, size=11)
    write(pdf, 6, clean(provider))
    pdf.ln(4)
    total = 0.0
    for certificate in certificates:
        total += certificate.credits
        write(
            pdf,
            6,
            clean(
                f"{certificate.completed:%m/%d/%Y}  {certificate.activity}: "
                f"{credit_words(certificate.credits)} (code {certificate.code})"
            ),
        )
    pdf.ln(3)
    write(pdf, 6, clean(f"In all: {credit_words(total)} in {len(certificates)} certificate(s)."))
    for certificate in certificates:
        certificate_page(pdf, font, clean, certificate)
    return bytes(pdf.output())
