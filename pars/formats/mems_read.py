"""Reading MEMS activity XML safely: no DOCTYPE or entity declarations (so no external entity,
no billion laughs), no network, no huge trees; records streamed one at a time, each validated
against the MedBiquitous XSDs and turned into plain values (picklable, for the reader process).
"""

from collections.abc import Iterator
from datetime import date

from lxml import etree

from pars.formats import naming, schemas, spellings
from pars.formats.mems_xml import (
    ADDRESS,
    CERTIFICATION,
    HX,
    LEGACY_ELEMENTS,
    LOM,
    MEMS,
    OCCURRENCE,
    PRIVATE,
)
from pars.formats.safe_xml import elements

RECORD = f"{{{MEMS}}}MedicalEducationMetrics"
IDENTIFIERS = {
    "Provider Activity ID": "internal_id",
    "ACCME Activity ID": "accme_activity_id",
    "URL": "url",
}


def text(element, path: str) -> str | None:
    found = element.find(path, NS)
    return found.text.strip() if found is not None and found.text and found.text.strip() else None


def texts(element, path: str) -> list[str]:
    return [e.text.strip() for e in element.findall(path, NS) if e.text and e.text.strip()]


def day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


NS = {"m": MEMS, "lom": LOM, "hx": HX, "a": ADDRESS}
EDU = "m:ActivityDescription/lom:lom/hx:healthcareMetadata/hx:healthcareEducation/"
INFO = f"{{{MEMS}}}XtensibleInfo"
# The record's MEMS children this reader takes; any other is named in a notice.
READ_PARTS = {"ReportDescription", "ActivityDescription", "ParticipationMetrics", "XtensibleInfo"}


element_of = naming.namer(
    {
        "internal_id": "lom/general/identifier (Provider Activity ID)",
        "accme_activity_id": "lom/general/identifier (ACCME Activity ID)",
        "url": "lom/general/identifier (URL)",
        "title": "lom/general/title",
        "description": "lom/general/description",
        "format": "healthcareEducation/activityFormat",
        "start_date": "healthcareEducation/startDateTime",
        "end_date": "healthcareEducation/endDateTime",
        "country": "activityLocation/Country/CountryCode",
        "city": "activityLocation/City",
        "state": "activityLocation/StateOrProvince",
        "postal_code": "activityLocation/PostalCode",
        "ama_credits": "credits/numberOfCredits",
        "providership": "healthcareEducation/activitySponsorship",
        "joint_providers": "credits/nonAccreditedProvider",
        "commercial_support": "healthcareEducation/commercialSupport",
        "monetary": "CommercialSupportAmount",
        "in_kind": "XtensibleInfo/InKindSupports",
        "support_kinds": "CommercialSupportAmount",
        "delivery_methods": "XtensibleInfo/DeliveryMethods",
        "outcomes": "XtensibleInfo/MeasuredOutcomes",
        "measures": "XtensibleInfo/MeasuredOutcomes/MeasurementType",
        "in_cme_passport": "XtensibleInfo/ForPublicList",
        "fee": "XtensibleInfo/FeeForParticipation",
        "registration": "XtensibleInfo/ActivityRegistration",
        "mips": "XtensibleInfo/IsMeritBasedIncentivePaymentSystem",
        "rems_type": "XtensibleInfo/REMS/REMSType",
        "commendation_tags": "XtensibleInfo/CommendationTags",
        "moc_registrations": "XtensibleInfo/MOCRegistrations",
        "instances": f"XtensibleInfo/{PRIVATE}/RepeatInstance",
        "record_key": f"XtensibleInfo/{PRIVATE}/RecordKey",
        "reporting_year": f"XtensibleInfo/{PRIVATE}/ReportingYear",
        "hours_of_instruction": f"XtensibleInfo/{PRIVATE}/HoursOfInstruction",
        **{field: f"ActivityDescription/{name}" for field, name in LEGACY_ELEMENTS.items()},
    },
    {
        "joint_providers": {"": "credits/nonAccreditedProvider"},
        "monetary": {"source": "CommercialSupportAmount", "amount": "CommercialSupportAmount"},
        "in_kind": {"source": "XtensibleInfo/InKindSupport"},
        "moc_registrations": {
            "board": "MOCRegistration/boardName",
            "points": "MOCRegistration/mocPoints",
            "claim_date": "MOCRegistration/CreditClaimDate",
            "credit_types": "MOCRegistration/MOCCreditType",
        },
        "instances": {name: f"{PRIVATE}/RepeatInstance/{tag}" for tag, name in OCCURRENCE},
    },
)


def local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def own_text(element) -> str | None:
    return element.text.strip() if element.text and element.text.strip() else None


class Extensions:
    """XtensibleInfo read by local name, whatever namespace (or none) a file gives its ACCME
    elements; every value checked, every element this reader does not take named."""

    def __init__(self, info):
        self.children: dict[str, list] = {}
        for child in info if info is not None else ():
            self.children.setdefault(local(child), []).append(child)
        self.errors: list[tuple[str, str]] = []
        self.notices: list[str] = []
        holders = self.children.get(PRIVATE, [])
        self.own = self.children_of(holders[0]) if holders else {}

    def private(self, name: str) -> list:
        return self.own.get(name, [])

    def private_text(self, name: str) -> str | None:
        found = self.private(name)
        return own_text(found[0]) if found else None

    def flag(self, name: str) -> bool | None:
        """A yes or no this system keeps in its private element (older files: at the top)."""
        if name in self.own:
            return self.boolean(f"{PRIVATE}/{name}", self.private_text(name))
        return self.boolean(name, self.one(name))

    def repeat_instances(self) -> list[dict]:
        found = []
        for element in self.private("RepeatInstance"):
            parts = self.children_of(element)
            row = {
                attribute: own_text(parts[name][0]) if parts.get(name) else None
                for name, attribute in OCCURRENCE
            }
            for name in ("start_date", "end_date"):
                try:
                    row[name] = day(row[name])
                except ValueError:
                    self.errors.append((f"{PRIVATE}/RepeatInstance", "Write dates as YYYY-MM-DD."))
                    row[name] = None
            found.append(row)
        return found

    def all(self, name: str) -> list:
        return self.children.get(name, [])

    def one(self, name: str) -> str | None:
        found = self.all(name)
        if len(found) > 1:
            self.errors.append((f"XtensibleInfo/{name}", "Give this element once."))
        return own_text(found[0]) if found else None

    def items(self, group: str, item: str) -> list:
        return [c for holder in self.all(group) for c in holder if local(c) == item]

    def boolean(self, path: str, value: str | None) -> bool | None:
        name = f"XtensibleInfo/{path}"
        return spellings.reading(self.errors, self.notices, name, spellings.boolean, value)

    def choice(self, path: str, field: str, value: str | None) -> str | None:
        name = f"XtensibleInfo/{path}"
        return spellings.reading(self.errors, self.notices, name, spellings.choice, value, field)

    def children_of(self, element) -> dict[str, list]:
        found: dict[str, list] = {}
        for child in element:
            found.setdefault(local(child), []).append(child)
        return found


def identity(record, errors: list) -> dict:
    found = {}
    general = "m:ActivityDescription/lom:lom/lom:general/"
    for identifier in record.findall(general + "lom:identifier", NS):
        catalog = text(identifier, "lom:catalog") or ""
        name = IDENTIFIERS.get(catalog)
        if name is None:
            known = ", ".join(IDENTIFIERS)
            errors.append(("lom/general/identifier/catalog", f'"{catalog}" is not one of {known}.'))
        elif name in found:
            errors.append(("lom/general/identifier/catalog", f"Give the {catalog} once."))
        else:
            found[name] = text(identifier, "lom:entry")
    return found | {
        "title": text(record, general + "lom:title/lom:string"),
        "description": text(record, general + "lom:description/lom:string"),
    }


def basics(record, errors: list, notices: list) -> dict:
    def read(path: str, function, *args):
        """The element at ``path`` (under healthcareEducation) read by ``function``."""
        name = path.replace("hx:", "").replace("lom:", "").replace("a:", "")
        value = text(record, EDU + path)
        return spellings.reading(errors, notices, name, function, value, *args)

    def picked(field: str, path: str) -> str | None:
        return read(path, spellings.choice, field)

    country = read("hx:activityLocation/a:Country/a:CountryCode", spellings.country)
    certification = text(record, EDU + "hx:credits/hx:activityCertification")
    if certification and spellings.key(certification) != spellings.key(CERTIFICATION):
        errors.append(
            (
                "credits/activityCertification",
                f'"{certification[:80]}": this system reports {CERTIFICATION} credits only, '
                "so numberOfCredits could not be read as them.",
            )
        )
    return {
        "format": picked("format", "hx:activityFormat/lom:string"),
        "start_date": day(text(record, EDU + "hx:startDateTime")),
        "end_date": day(text(record, EDU + "hx:endDateTime")),
        "city": text(record, EDU + "hx:activityLocation/a:City"),
        "state": text(record, EDU + "hx:activityLocation/a:StateOrProvince"),
        "postal_code": text(record, EDU + "hx:activityLocation/a:PostalCode"),
        "country": country,
        "ama_credits": text(record, EDU + "hx:credits/hx:numberOfCredits"),
        "providership": picked("providership", "hx:activitySponsorship"),
        "joint_providers": texts(record, EDU + "hx:credits/hx:nonAccreditedProvider"),
        "commercial_support": spellings.boolean(text(record, EDU + "hx:commercialSupport")),
    }


def legacy(record, found: Extensions, errors: list, notices: list) -> dict:
    """A legacy record's own elements: the XSD's designed-to-change / changes-measured flags,
    and this system's LegacyRecord, ReportingYear and HoursOfInstruction. A record with
    any of the flags is a legacy record; the income and expense amounts PARS removed are
    named in a notice."""
    described = record.find("m:ActivityDescription", NS)
    flags = {}
    for field, name in LEGACY_ELEMENTS.items():
        value = text(described, f"m:{name}")
        flags[field] = spellings.reading(errors, notices, name, spellings.boolean, value)
    gone = [n for n in LEGACY_AMOUNTS if described.find(f"m:{n}", NS) is not None]
    if gone:
        notices.append(
            f"{', '.join(gone)}: PARS removed these from activities in 2021; not stored."
        )
    given = any(text(described, f"m:{name}") for name in LEGACY_ELEMENTS.values())
    is_legacy = given or found.flag("LegacyRecord") is True
    if not is_legacy:
        return {}
    year = found.private_text("ReportingYear")
    if year and not (year.isdigit() and 1900 <= int(year) <= 2100):
        errors.append((f"{PRIVATE}/ReportingYear", "Write the year as YYYY, from 1900 to 2100."))
        year = None
    hours = found.private_text("HoursOfInstruction")
    found_hours = legacy_hours(hours)
    if hours and found_hours is None:
        errors.append(
            (f"{PRIVATE}/HoursOfInstruction", "Write the hours as a number, such as 1.5.")
        )
    return flags | {
        "legacy_record": True,
        "reporting_year": int(year) if year else None,
        "hours_of_instruction": found_hours,
    }


def legacy_hours(text_: str | None) -> float | None:
    try:
        value = float(text_) if text_ else None
    except ValueError:
        return None
    return value if value is not None and 0 <= value <= 10_000 else None


LEGACY_AMOUNTS = ("AdvertisingAndExhibitIncome", "OtherIncome", "Expenses")


def counts(record, errors: list, notices: list) -> dict:
    """Physicians, and every other category (the draft's professions, "other",
    "non-physician") summed as other learners."""
    physicians, others, other_names = None, None, []
    for element in record.findall("m:ParticipationMetrics/m:ParticipantsByCategory", NS):
        category = (element.get("category") or "").strip()
        number = int(element.text)
        if spellings.key(category) in ("physician", "physicians"):
            if physicians is not None:
                errors.append(("ParticipantsByCategory", "Give the physician count once."))
            physicians = number
        else:
            others = (others or 0) + number
            other_names.append(category or "(no category)")
    if set(other_names) - {"non-physician"}:
        names = ", ".join(sorted(set(other_names)))
        notices.append(f"ParticipantsByCategory: {names} were counted as other learners.")
    return {"physician_learners": physicians, "other_learners": others}


def support(record, found: Extensions) -> dict:
    monetary = []
    for e in record.findall("m:ActivityDescription/m:CommercialSupportAmount", NS):
        currency = (e.get("currency") or "USD").strip()
        if currency.upper() != "USD":
            found.errors.append(
                ("CommercialSupportAmount/@currency", f'"{currency[:20]}": PARS takes US dollars.')
            )
        monetary.append(
            {"kind": "Monetary", "source": e.get("supportSource") or "", "amount": int(e.text)}
        )
    in_kind = []
    for item in found.items("InKindSupports", "InKindSupport"):
        # The draft's {source}; older files of this system held the name as the text.
        source = next((own_text(c) for c in item if local(c) == "source"), None) or own_text(item)
        if source:
            in_kind.append({"kind": "In-kind", "source": source, "amount": None})
    return {"support_sources": monetary + in_kind}


def outcomes(found: Extensions) -> list[tuple[str, bool, bool]]:
    """The draft's repeated MeasuredOutcomes {MeasuredOutcome, MeasurementType*}; also one
    MeasuredOutcomes holding several MeasuredOutcome, measured by attribute (older files)."""
    read = []
    for holder in found.all("MeasuredOutcomes"):
        parts = found.children_of(holder)
        types = [own_text(t) or "" for t in parts.get("MeasurementType", [])]
        chosen = {found.choice("MeasurementType", "measurement", t) for t in types}
        for element in parts.get("MeasuredOutcome", []):
            outcome = found.choice("MeasuredOutcome", "outcome", own_text(element))
            if outcome is None:
                continue
            objective = "Objective" in chosen or element.get("objective") == "true"
            subjective = "Subjective" in chosen or element.get("subjective") == "true"
            read.append((outcome, objective, subjective))
    return read


def element_or_attribute(element, parts: dict, name: str, attribute: str) -> str | None:
    return own_text(parts[name][0]) if parts.get(name) else element.get(attribute)


def boards(found: Extensions) -> list[dict]:
    """The draft's MOCRegistration {boardName, mocPoints, MOCCreditType*, CreditClaimDate};
    older files of this system carried board, points and claimDate as attributes."""
    read = []
    areas = {
        e.get("board"): [own_text(a) for a in e if local(a) == "PracticeArea" and own_text(a)]
        for e in found.private("MOCPracticeAreas")
    }
    for element in found.items("MOCRegistrations", "MOCRegistration"):
        parts = found.children_of(element)
        board = found.choice(
            "MOCRegistration/boardName",
            "board",
            element_or_attribute(element, parts, "boardName", "board"),
        )
        types = parts.get("MOCCreditType", []) + parts.get("CreditType", [])
        read.append(
            {
                "board": board,
                "points": element_or_attribute(element, parts, "mocPoints", "points"),
                "claim_date": element_or_attribute(element, parts, "CreditClaimDate", "claimDate"),
                "credit_types": [own_text(t) for t in types if own_text(t)],
                "practice_areas": areas.get(board, [])
                + [own_text(a) for a in parts.get("PracticeArea", []) if own_text(a)],
            }
        )
    return read


def extras(found: Extensions) -> dict:
    rems = found.all("REMS")
    rems_type = None
    rems_flag = None
    for element in rems:
        parts = found.children_of(element)
        if parts.get("REMSType"):  # the draft's object
            rems_type = found.choice("REMS/REMSType", "rems_type", own_text(parts["REMSType"][0]))
            rems_flag = True
        else:  # older files: REMS yes or no, with REMSType beside it
            rems_flag = found.boolean("REMS", own_text(element))
    if rems_type is None and found.all("REMSType"):
        rems_type = found.choice("REMSType", "rems_type", found.one("REMSType"))
    action = found.one("activityRecordAction")
    if action and spellings.key(action) not in ACTIONS:
        found.errors.append(
            ("XtensibleInfo/activityRecordAction", f'"{action}" is not one of Add, Update, Delete.')
        )
    return {
        "in_cme_passport": found.boolean("ForPublicList", found.one("ForPublicList")),
        "mips": found.boolean(
            "IsMeritBasedIncentivePaymentSystem", found.one("IsMeritBasedIncentivePaymentSystem")
        ),
        "moc": found.flag("MOC") if "MOC" in found.own else moc_of(found),
        "rems": found.flag("REMS") if "REMS" in found.own else rems_flag,
        "rems_type": rems_type,
        **{name: found.flag(tag) for name, tag in PRIVATE_FLAGS},
        "delivery_methods": [
            m
            for e in found.items("DeliveryMethods", "DeliveryMethod")
            if (m := found.choice("DeliveryMethod", "delivery_methods", own_text(e)))
        ],
        "outcomes": outcomes(found),
        "moc_registrations": boards(found),
        "commendation_tags": [
            own_text(e) for e in found.items("CommendationTags", "CommendationTag") if own_text(e)
        ],
        "fee": found.choice("FeeForParticipation", "fee", found.one("FeeForParticipation")),
        "registration": found.choice(
            "ActivityRegistration", "registration", found.one("ActivityRegistration")
        ),
        "record_action": ACTIONS.get(spellings.key(action or "")),
        "close": found.boolean("closeActivityRecord", found.one("closeActivityRecord")),
        "provider_accme_id": found.one("ProviderID"),
        "record_key": found.private_text("RecordKey"),
        "repeat_instances": found.repeat_instances(),
    }


ACTIONS = {"add": "Add", "update": "Update", "delete": "Delete"}
PRIVATE_FLAGS = (
    ("repeats", "Repeats"),
    ("commendation", "Commendation"),
    ("moc_attested", "MOCAttested"),
    ("mips_attested", "MIPSAttested"),
)
# Every XtensibleInfo element this reader takes (the draft's, and this system's older ones).
EXTENSIONS_READ = {
    "ProviderID",
    "CommendationTags",
    "InKindSupports",
    "DeliveryMethods",
    "MeasuredOutcomes",
    "MOCRegistrations",
    "ForPublicList",
    "FeeForParticipation",
    "ActivityRegistration",
    "IsMeritBasedIncentivePaymentSystem",
    "REMS",
    "REMSType",
    "MOC",
    "activityRecordAction",
    "closeActivityRecord",
    PRIVATE,
    *(tag for _, tag in PRIVATE_FLAGS),
}


def moc_of(found: Extensions) -> bool | None:
    """Registered for MOC: said by an older file's MOC element, else by its boards (the draft
    has no MOC yes or no: a MOCRegistration says it)."""
    if found.all("MOC"):
        return found.boolean("MOC", found.one("MOC"))
    return True if found.items("MOCRegistrations", "MOCRegistration") else None


def unread_parts(record, found: Extensions) -> list[str]:
    """Elements of the record that nothing here stores, named for the preview."""
    names = [local(c) for c in record if local(c) not in READ_PARTS]
    names += [f"XtensibleInfo/{n}" for n in found.children if n not in EXTENSIONS_READ]
    return [f"{name} is not stored by this system; it was not read." for name in names]


def record_values(record) -> dict:
    """{"errors": [(element, message)]} or {"values": {...}, "notices": [...]} for one
    MedicalEducationMetrics. The MEMS part is held to the XSDs; XtensibleInfo is left out of
    that check (its content is any other namespace's, and files carry ACCME's elements in
    several namespaces or none) and read by name here instead."""
    info = record.find(INFO)
    if info is not None:
        record.remove(info)
    problems = schemas.errors(record, schemas.METRICS)
    if info is not None:
        record.append(info)
    if problems:
        return {"errors": [("MEMS schema", message) for message in problems[:5]]}
    found = Extensions(info)
    errors, notices = [], []
    values = (
        identity(record, errors) | basics(record, errors, notices) | counts(record, errors, notices)
    )
    values |= support(record, found) | extras(found) | legacy(record, found, errors, notices)
    errors += found.errors
    if errors:
        return {"errors": errors}
    return {"values": values, "notices": notices + found.notices + unread_parts(record, found)}


def read(data: bytes) -> Iterator[tuple[int, dict]]:
    """(record number, values or schema errors) for each MedicalEducationMetrics."""
    missing = (
        f"No MedicalEducationMetrics element in the namespace {MEMS} was found: "
        "is this a MEMS activity file, with that namespace?"
    )
    for number, record in elements(data, RECORD, "record", missing):
        yield number, record_values(record)
