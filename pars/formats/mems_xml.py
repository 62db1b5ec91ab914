"""Activities as MEMS XML (domain.md section 5): ACCMEActivities holding one MedicalEducationMetrics
per activity, whose MEMS part validates against the MedBiquitous XSDs (pars.formats.schemas).

Standard MEMS carries the dates, identifiers, title, description, credits, joint providers,
location, providership, format, commercial support amounts and learner totals; everything
else PARS needs (delivery, outcomes, in-kind sources, commendation, MOC, listing details, the
record action) travels in XtensibleInfo with the names, shapes and spellings of ACCME's draft
activity schema, and what the draft lacks in one private element (``private``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from lxml import etree

from pars.formats import spellings
from pars.vocab import CONTROL_CHARACTERS, REPLACEMENT

if TYPE_CHECKING:  # records are read by attribute; nothing here touches the database
    from pars.models import Activity


MEMS = "http://ns.medbiq.org/metrics/v1/"
LOM = "http://ltsc.ieee.org/xsd/LOM"
HX = "http://ns.medbiq.org/lom/extend/v1/"
ADDRESS = "http://ns.medbiq.org/address/v1/"
# XtensibleInfo takes elements of any namespace but MEMS's (xsd:any ##other), and no source gives
# ACCME's: the draft's elements are written in this one, documented in docs/formats.md. Readers
# take them by local name in any namespace or none (pars.formats.mems_read).
ACCME = "urn:pars-reporting:accme-extensions:v1"
PRIVATE = "ReportingSystemDetails"  # this system's element for what the draft does not carry
OCCURRENCE = (
    ("StartDate", "start_date"),
    ("EndDate", "end_date"),
    ("City", "city"),
    ("StateOrProvince", "state"),
    ("PostalCode", "postal_code"),
    ("Country", "country"),
)
NSMAP = {None: MEMS, "lom": LOM, "hx": HX, "a": ADDRESS, "accme": ACCME}
CERTIFICATION = "AMA PRA Category 1"
IDENTIFIERS = (
    ("Provider Activity ID", "internal_id"),
    ("ACCME Activity ID", "accme_activity_id"),
    ("URL", "url"),
)


def q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def add(parent, namespace: str, name: str, text=None, **attributes) -> etree._Element:
    """A child element. lxml refuses a character XML cannot carry; only then is the value
    cleaned (``xml_text``), so the usual path costs nothing more."""
    try:
        element = etree.SubElement(parent, q(namespace, name), **attributes)
    except ValueError:
        cleaned = {key: xml_text(value) for key, value in attributes.items()}
        element = etree.SubElement(parent, q(namespace, name), **cleaned)
    if text is not None:
        try:
            element.text = str(text)
        except ValueError:
            element.text = xml_text(text)
    return element


def xml_text(value) -> str:
    """The value as XML 1.0 can carry it: a character it cannot (pars.vocab
    CONTROL_CHARACTERS, which lxml refuses) is written as U+FFFD, so an export never fails
    for one stored value."""
    return CONTROL_CHARACTERS.sub(REPLACEMENT, str(value))


def language_string(parent, namespace: str, name: str, text: str) -> None:
    add(add(parent, namespace, name), LOM, "string", text, language="en")


def yes_no(value: bool | None) -> str | None:
    return None if value is None else ("Yes" if value else "No")


def stamp(day) -> str:
    return f"{day:%Y-%m-%d}T00:00:00"


def general(lom, activity: Activity) -> None:
    section = add(lom, LOM, "general")
    for catalog, attribute in IDENTIFIERS:
        if value := getattr(activity, attribute):
            identifier = add(section, LOM, "identifier")
            add(identifier, LOM, "catalog", catalog)
            add(identifier, LOM, "entry", value)
    if activity.title:
        language_string(section, LOM, "title", activity.title)
    if activity.description:
        language_string(section, LOM, "description", activity.description)


def location(education, activity: Activity) -> None:
    if not activity.country:
        return
    place = add(education, HX, "activityLocation")
    for name, value in (
        ("City", activity.city),
        ("StateOrProvince", activity.state),
        ("PostalCode", activity.postal_code),
    ):
        if value:
            add(place, ADDRESS, name, value)
    add(add(place, ADDRESS, "Country"), ADDRESS, "CountryCode", activity.country)


def healthcare(lom, activity: Activity) -> None:
    education = add(add(lom, HX, "healthcareMetadata"), HX, "healthcareEducation")
    credits = add(education, HX, "credits")
    add(credits, HX, "activityCertification", CERTIFICATION)
    for joint in activity.joint_providers:
        add(credits, HX, "nonAccreditedProvider", joint.name)
    if activity.ama_credits is not None:
        add(credits, HX, "numberOfCredits", f"{activity.ama_credits:g}")
    location(education, activity)
    if activity.start_date:
        add(education, HX, "startDateTime", stamp(activity.start_date))
    if activity.end_date:
        add(education, HX, "endDateTime", stamp(activity.end_date))
    if activity.providership:
        add(education, HX, "activitySponsorship", activity.providership.lower())
    if activity.format:
        language_string(education, HX, "activityFormat", activity.format)
    if activity.commercial_support is not None:
        add(education, HX, "commercialSupport", "yes" if activity.commercial_support else "no")


# The MEMS XSD's own legacy elements (ActivityDescription, after the support amounts), in its
# order, for the designed-to-change / changes-evaluated flags of a legacy record.
LEGACY_ELEMENTS = {
    "designed_competence": "DesignedToChangeCompetence",
    "designed_performance": "DesignedToChangePerformance",
    "designed_patient_outcomes": "DesignedToChangePatientOutcomes",
    "evaluated_competence": "ChangesInCompetenceMeasured",
    "evaluated_performance": "ChangesInPerformanceMeasured",
    "evaluated_patient_outcomes": "ChangesInPatientOutcomesMeasured",
}


def description(record, activity: Activity) -> None:
    described = add(record, MEMS, "ActivityDescription")
    lom = add(described, LOM, "lom")
    general(lom, activity)
    healthcare(lom, activity)
    for source in activity.support_sources:
        if source.kind == "Monetary":
            add(
                described,
                MEMS,
                "CommercialSupportAmount",
                source.amount or 0,
                currency="USD",
                supportSource=source.source,
            )
    for field, name in LEGACY_ELEMENTS.items():
        if activity.legacy_record and getattr(activity, field) is not None:
            add(described, MEMS, name, boolean(getattr(activity, field)))


def participation(record, activity: Activity) -> None:
    metrics = add(record, MEMS, "ParticipationMetrics")
    for category, count in (
        ("physician", activity.physician_learners),
        ("non-physician", activity.other_learners),
    ):
        if count is not None:
            add(metrics, MEMS, "ParticipantsByCategory", count, category=category)


def listed(parent, group: str, item: str, values: Iterable) -> None:
    values = list(values)
    if values:
        holder = add(parent, ACCME, group)
        for value in values:
            add(holder, ACCME, item, value)


def boolean(value: bool | None) -> str | None:
    return None if value is None else str(bool(value)).lower()


def extensions(record, activity: Activity, provider_id: str | None) -> None:
    """The ACCME elements, named, shaped and ordered as ACCME's draft activity schema (v0.1.2)
    has them; then this system's own details (``private``)."""
    info = add(record, MEMS, "XtensibleInfo")
    if provider_id:
        add(info, ACCME, "ProviderID", provider_id)
    listed(info, "CommendationTags", "CommendationTag", (t.tag for t in activity.commendation_tags))
    in_kind = [s.source for s in activity.support_sources if s.kind == "In-kind"]
    if in_kind:
        holder = add(info, ACCME, "InKindSupports")
        for source in in_kind:
            add(add(holder, ACCME, "InKindSupport"), ACCME, "source", source)
    listed(info, "DeliveryMethods", "DeliveryMethod", (d.method for d in activity.delivery_methods))
    for row in activity.outcomes:  # the draft's array of {MeasuredOutcome, MeasurementType[]}
        outcome = add(info, ACCME, "MeasuredOutcomes")
        add(outcome, ACCME, "MeasuredOutcome", spellings.written(row.outcome))
        for measured, name in ((row.objective, "Objective"), (row.subjective, "Subjective")):
            if measured:
                add(outcome, ACCME, "MeasurementType", name)
    moc_registrations(info, activity)
    for name, value in (
        ("ForPublicList", boolean(activity.in_cme_passport)),
        ("FeeForParticipation", spellings.written(activity.fee)),
        ("ActivityRegistration", spellings.written(activity.registration)),
        ("IsMeritBasedIncentivePaymentSystem", boolean(activity.mips)),
    ):
        if value is not None:
            add(info, ACCME, name, value)
    if activity.rems and activity.rems_type:
        add(add(info, ACCME, "REMS"), ACCME, "REMSType", activity.rems_type)
    add(info, ACCME, "activityRecordAction", "Update" if activity.accme_activity_id else "Add")
    add(info, ACCME, "closeActivityRecord", boolean(activity.closed_at is not None))
    private(info, activity)


def private(info, activity: Activity) -> None:
    """What the draft has no element for but an exact round trip needs, under one element of
    this system's that other readers may ignore: the record's own key, the program answers
    (MOC and REMS yes or no, the attestations), commendation, repeats and the waiting
    occurrences, and each board's practice areas."""
    holder = add(info, ACCME, PRIVATE)
    if activity.record_key:
        add(holder, ACCME, "RecordKey", activity.record_key)
    for name, value in (
        ("MOC", activity.moc),
        ("REMS", activity.rems),
        ("MOCAttested", activity.moc_attested),
        ("MIPSAttested", activity.mips_attested),
        ("Commendation", activity.commendation),
        ("Repeats", activity.repeats),
        ("LegacyRecord", activity.legacy_record or None),
    ):
        if value is not None:
            add(holder, ACCME, name, boolean(value))
    if activity.reporting_year is not None:  # MEMS v1's ReportDescription has no year
        add(holder, ACCME, "ReportingYear", activity.reporting_year)
    if activity.hours_of_instruction is not None:
        add(holder, ACCME, "HoursOfInstruction", f"{activity.hours_of_instruction:g}")
    for instance in sorted(activity.repeat_instances, key=lambda r: r.position):
        occurrence = add(holder, ACCME, "RepeatInstance")
        for name, attribute in OCCURRENCE:
            value = getattr(instance, attribute)
            if value is not None:
                add(occurrence, ACCME, name, value.isoformat() if name.endswith("Date") else value)
    for registration in activity.moc_registrations:
        if registration.practice_areas:
            board = add(holder, ACCME, "MOCPracticeAreas", board=registration.board)
            for area in registration.practice_areas:
                add(board, ACCME, "PracticeArea", area.practice_area)


def moc_registrations(info, activity: Activity) -> None:
    if not activity.moc_registrations:
        return
    holder = add(info, ACCME, "MOCRegistrations")
    for registration in activity.moc_registrations:
        board = add(holder, ACCME, "MOCRegistration")
        add(board, ACCME, "boardName", spellings.written(registration.board))
        if registration.points is not None:
            add(board, ACCME, "mocPoints", f"{registration.points:g}")
        for credit in registration.credit_types:
            add(board, ACCME, "MOCCreditType", credit.credit_type)
        if registration.claim_date:
            add(board, ACCME, "CreditClaimDate", registration.claim_date.isoformat())


def record(activity: Activity, provider_id: str | None = None) -> etree._Element:
    """One activity as a MedicalEducationMetrics element; ``provider_id`` is the provider's
    7-digit ACCME Provider ID."""
    element = etree.Element(q(MEMS, "MedicalEducationMetrics"), nsmap=NSMAP)
    reporting = add(element, MEMS, "ReportDescription")
    start, end = activity.start_date or activity.end_date, activity.end_date or activity.start_date
    add(reporting, MEMS, "ReportingStartDate", start.isoformat() if start else "1900-01-01")
    add(reporting, MEMS, "ReportingEndDate", end.isoformat() if end else "1900-01-01")
    description(element, activity)
    participation(element, activity)
    extensions(element, activity, provider_id)
    return element


def document(activities: Iterable[Activity], provider_id: str | None = None) -> bytes:
    # The wrapper is ACCME's and in no namespace; each record declares MEMS as its default.
    root = etree.Element("ACCMEActivities", nsmap={k: v for k, v in NSMAP.items() if k})
    for activity in activities:
        root.append(record(activity, provider_id))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
