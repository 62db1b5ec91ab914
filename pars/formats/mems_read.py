"""Reading MEMS activity XML safely: no DOCTYPE or entity declarations (so no external entity,
no billion laughs), no network, no huge trees; records streamed one at a time, each validated
against the MedBiquitous XSDs and turned into plain values (picklable, for the reader process).
"""

from collections.abc import Iterator
from datetime import date
from io import BytesIO

from lxml import etree

from pars.formats import schemas
from pars.formats.mems_xml import ACCME, ADDRESS, HX, LOM, MEMS
from pars.formats.package import FormatError

RECORD = f"{{{MEMS}}}MedicalEducationMetrics"
SAFE = dict(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)
IDENTIFIERS = {
    "Provider Activity ID": "internal_id",
    "ACCME Activity ID": "accme_activity_id",
    "URL": "url",
}


def looks_like_xml(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"


def refuse_declarations(data: bytes) -> None:
    """PARS files never declare a DOCTYPE or entities; a file that does is refused unread."""
    head = data.upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise FormatError(
            "The XML declares a DOCTYPE or entities, which PARS files never do; it was not read."
        )


def text(element, path: str) -> str | None:
    found = element.find(path, NS)
    return found.text.strip() if found is not None and found.text and found.text.strip() else None


def texts(element, path: str) -> list[str]:
    return [e.text.strip() for e in element.findall(path, NS) if e.text and e.text.strip()]


def day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get((value or "").lower())


NS = {"m": MEMS, "lom": LOM, "hx": HX, "a": ADDRESS, "x": ACCME}
EDU = "m:ActivityDescription/lom:lom/hx:healthcareMetadata/hx:healthcareEducation/"
X = "m:XtensibleInfo/x:"


def identity(record) -> dict:
    found = {}
    general = "m:ActivityDescription/lom:lom/lom:general/"
    for identifier in record.findall(general + "lom:identifier", NS):
        name = IDENTIFIERS.get(text(identifier, "lom:catalog") or "")
        if name:
            found[name] = text(identifier, "lom:entry")
    return found | {
        "title": text(record, general + "lom:title/lom:string"),
        "description": text(record, general + "lom:description/lom:string"),
    }


def basics(record) -> dict:
    sponsorship = text(record, EDU + "hx:activitySponsorship")
    credits = text(record, EDU + "hx:credits/hx:numberOfCredits")
    return {
        "format": text(record, EDU + "hx:activityFormat/lom:string"),
        "start_date": day(text(record, EDU + "hx:startDateTime")),
        "end_date": day(text(record, EDU + "hx:endDateTime")),
        "city": text(record, EDU + "hx:activityLocation/a:City"),
        "state": text(record, EDU + "hx:activityLocation/a:StateOrProvince"),
        "postal_code": text(record, EDU + "hx:activityLocation/a:PostalCode"),
        "country": text(record, EDU + "hx:activityLocation/a:Country/a:CountryCode"),
        "ama_credits": credits,
        "providership": sponsorship.title() if sponsorship else None,
        "joint_providers": texts(record, EDU + "hx:credits/hx:nonAccreditedProvider"),
        "commercial_support": yes_no(text(record, EDU + "hx:commercialSupport")),
    }


def support_and_counts(record) -> dict:
    monetary = [
        {"kind": "Monetary", "source": e.get("supportSource") or "", "amount": int(e.text)}
        for e in record.findall("m:ActivityDescription/m:CommercialSupportAmount", NS)
    ]
    in_kind = [
        {"kind": "In-kind", "source": s, "amount": None}
        for s in texts(record, X + "InKindSupports/x:InKindSupport")
    ]
    counts = {
        e.get("category"): int(e.text)
        for e in record.findall("m:ParticipationMetrics/m:ParticipantsByCategory", NS)
    }
    return {
        "support_sources": monetary + in_kind,
        "physician_learners": counts.get("physician"),
        "other_learners": counts.get("non-physician"),
    }


def extras(record) -> dict:
    outcomes = [
        (e.text.strip(), e.get("objective") == "true", e.get("subjective") == "true")
        for e in record.findall(X + "MeasuredOutcomes/x:MeasuredOutcome", NS)
        if e.text
    ]
    boards = [
        {
            "board": e.get("board"),
            "points": e.get("points"),
            "claim_date": e.get("claimDate"),
            "credit_types": texts(e, "x:CreditType"),
            "practice_areas": texts(e, "x:PracticeArea"),
        }
        for e in record.findall(X + "MOCRegistrations/x:MOCRegistration", NS)
    ]
    flags = {
        name: yes_no(text(record, X + tag))
        for name, tag in (
            ("in_cme_passport", "ForPublicList"),
            ("moc", "MOC"),
            ("mips", "IsMeritBasedIncentivePaymentSystem"),
            ("rems", "REMS"),
            ("repeats", "Repeats"),
            ("commendation", "Commendation"),
            ("moc_attested", "MOCAttested"),
            ("mips_attested", "MIPSAttested"),
        )
    }
    return flags | {
        "delivery_methods": texts(record, X + "DeliveryMethods/x:DeliveryMethod"),
        "outcomes": outcomes,
        "moc_registrations": boards,
        "commendation_tags": texts(record, X + "CommendationTags/x:CommendationTag"),
        "fee": text(record, X + "FeeForParticipation"),
        "registration": text(record, X + "ActivityRegistration"),
        "rems_type": text(record, X + "REMSType"),
        "record_action": text(record, X + "activityRecordAction"),
        "close": yes_no(text(record, X + "closeActivityRecord")) or False,
    }


def record_values(record) -> dict:
    """{"errors": [(column, message)]} or {"values": {...}} for one MedicalEducationMetrics."""
    problems = schemas.errors(record, schemas.METRICS)
    if problems:
        return {"errors": [("MEMS schema", message) for message in problems[:5]]}
    values = identity(record) | basics(record) | support_and_counts(record) | extras(record)
    return {"values": values}


def read(data: bytes) -> Iterator[tuple[int, dict]]:
    """(record number, values or schema errors) for each MedicalEducationMetrics."""
    refuse_declarations(data)
    count = 0
    try:
        records = etree.iterparse(BytesIO(data), events=("end",), tag=RECORD, **SAFE)
        for count, (_, record) in enumerate(records, start=1):
            yield count, record_values(record)
            record.clear(keep_tail=True)
    except etree.XMLSyntaxError as error:
        raise FormatError(
            f"The XML is not well-formed (near record {count + 1}): {error.msg}."
        ) from error
    if count == 0:
        raise FormatError(
            f"No MedicalEducationMetrics element in the namespace {MEMS} was found: "
            "is this a MEMS activity file, with that namespace?"
        )
