"""Learner completions as ACCMELearnerReports XML (domain.md section 5), built on MedBiquitous
Activity Report v2 and shaped, where that schema is silent, as ACCME's draft learner-report
schema (v0.4) has it: one ActivityReport per completion, with the learner as a Member (name,
identifiers, birth date), the activity and its module (the ACCME Activity ID as moduleID,
Completed, the completion date, one credit certificate for the AMA credits and one per board
credit type), and LearnerRecordAction in XtensibleInfo. The ActivityReports part validates
against the shipped XSDs (pars.formats.schemas.ACTIVITY_REPORT).

Where the draft and the XSD disagree, the XSD rules: the draft puts the learner's identifiers
in the credit certificate with bare domains ("NPI", "ABIM", "ME"), but the XSD's certificate
holds only CreditReceived and CreditID and a UniqueID domain must read idd:<name.with.dot>:<kind>;
so they stay under Member. The reader (``read``) takes both placements and both domain forms.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from lxml import etree

from pars.formats.mems_xml import ACCME, HX, PRIVATE, add
from pars.formats.safe_xml import elements
from pars.vocab import US_STATES, MocBoard, RemsType

if TYPE_CHECKING:  # records are read by attribute; nothing here touches the database
    from pars.models import Activity, LearnerCompletion, Provider

AR = "http://ns.medbiq.org/activityreport/v2/"
MEMBER = "http://ns.medbiq.org/member/v2/"
NAME = "http://ns.medbiq.org/name/v2/"
NSMAP = {"m": MEMBER, "n": NAME, "hx": HX, "accme": ACCME}
CERTIFICATION = "AMA PRA Category 1"
BIRTH_YEAR = 2000  # only the month and day are held; a leap year, so 02/29 is a date too
NPI_DOMAIN = "idd:cms.gov:npi"
# The draft's label for the Opioid REMS regulation, and the FDA page it points to.
OPIOID_REMS = (
    "Opioid REMS",
    "https://www.fda.gov/drugs/information-drug-class/opioid-analgesic-risk-evaluation-and-mitigation-strategy-rems",
)


def board_domain(board: str) -> str:
    return f"idd:{board.lower()}.org:id"


def license_domain(state: str) -> str:
    return f"idd:{state.lower()}.gov:license"


def member(parent, completion: LearnerCompletion) -> None:
    """NPI, board ID and state license as UniqueIDs, then the name, then the birth date."""
    person = add(parent, AR, "Member")
    if completion.npi:
        add(person, MEMBER, "UniqueID", completion.npi, domain=NPI_DOMAIN)
    if completion.board and completion.board_id:
        add(person, MEMBER, "UniqueID", completion.board_id, domain=board_domain(completion.board))
    if completion.license_number and completion.state:
        add(
            person,
            MEMBER,
            "UniqueID",
            completion.license_number,
            domain=license_domain(completion.state),
        )
    name = add(person, MEMBER, "Name")
    add(name, NAME, "GivenName", completion.first_name)
    add(name, NAME, "FamilyName", completion.last_name)
    month, day = completion.birth_month_day.split("/")
    personal = add(person, MEMBER, "PersonalInfo")
    add(personal, MEMBER, "BirthDate", f"{BIRTH_YEAR}-{month}-{day}")


def learner_domain(issuer: str) -> str:
    """The domain of this system's learner IDs: the XSD wants a dotted name in the middle,
    and no source gives one for a provider's own learner numbers (see docs/formats.md)."""
    return f"idd:{issuer}.accme-provider:learner"


def participant(parent, completion: LearnerCompletion, issuer: str) -> None:
    """A REMS learner's details as the XSD's Participant (Profession is the one it requires;
    without it there is no Participant, and the export says so at the top)."""
    found = add(add(parent, AR, "Participants"), AR, "Participant")
    learner = completion.learner_id or f"c{completion.id}"
    add(found, AR, "LocalIdentifier", str(learner), domain=learner_domain(issuer))
    if completion.rems_practice_state:
        add(found, AR, "StateOfPrimaryPractice", US_STATES[completion.rems_practice_state])
    if completion.rems_dea_registration:
        add(found, AR, "DEARegistration", completion.rems_dea_registration)
    add(found, AR, "Profession", completion.rems_profession)
    if completion.rems_practice_area:
        add(found, AR, "PracticeArea", completion.rems_practice_area)
    if completion.rems_surgical is not None:
        add(found, AR, "SurgicalProcedures", str(completion.rems_surgical).lower())
    if completion.rems_time_in_practice:
        add(found, AR, "TimeInPractice", completion.rems_time_in_practice)


def certificate(module, body: str | None, certification: str, points: float | None, key: str):
    found = add(module, AR, "CreditCertificate")
    received = add(found, AR, "CreditReceived")
    if body:
        add(received, HX, "accreditingBody", body)
    add(received, HX, "activityCertification", certification)
    add(received, HX, "creditUnit", "Point")  # the draft's only unit
    if points is not None:
        add(received, HX, "numberOfCredits", f"{points:g}")
    add(found, AR, "CreditID", key)


def report(parent, completion: LearnerCompletion, activity: Activity, provider: Provider) -> None:
    entry = add(parent, AR, "ActivityReport")
    add(entry, AR, "ReportingOrganization", provider.name)
    member(entry, completion)
    issuer = provider.accme_provider_id or "provider"
    if activity.rems and completion.rems_profession:
        participant(entry, completion, issuer)
    described = add(entry, AR, "Activity")
    add(described, AR, "ProviderOrganization", provider.accme_provider_id or provider.name)
    add(described, AR, "ActivityName", activity.title or activity.accme_activity_id)
    add(
        described,
        AR,
        "ActivityInstanceID",
        activity.accme_activity_id,
        domain="idd:accme.org:activity",
    )
    add(described, AR, "Status", "Completed")
    if activity.rems and activity.rems_type == RemsType.OPIOID_ANALGESIC:
        label, address = OPIOID_REMS
        regulatory = add(described, AR, "RegulatoryInformation")
        add(regulatory, AR, "CompliantToRegulation", address, label=label)
    module = add(described, AR, "Module")
    add(
        module,
        AR,
        "ModuleName",
        activity.title or activity.accme_activity_id,
        moduleID=activity.accme_activity_id,
    )
    add(module, AR, "Status", "Completed")
    add(module, AR, "CompletedDateTime", f"{completion.completion_date:%Y-%m-%d}T00:00:00")
    certificate(
        module, None, CERTIFICATION, completion.cme_credits, f"ccid:{issuer}:{completion.id}"
    )
    for number, credit in enumerate(completion.board_credits, start=1):
        key = f"ccid:{issuer}:{completion.id}.{number}"
        certificate(module, completion.board, credit.credit_type, credit.points, key)
    info = add(entry, AR, "XtensibleInfo")
    add(info, ACCME, "LearnerRecordAction", "add")
    # What the draft has no element for goes in this system's private element (read back by
    # ``read``, ignored by others): a state of licensure without a licence number to ride on,
    # and the learner's permission to report.
    state = completion.state if completion.state and not completion.license_number else None
    if state or completion.report_permission is not None:
        private = add(info, ACCME, PRIVATE)
        if state:
            add(private, ACCME, "StateOfLicensure", state)
        if completion.report_permission is not None:
            add(private, ACCME, "ReportPermission", str(completion.report_permission).lower())


def document(rows: Iterable[tuple[LearnerCompletion, Activity]], provider: Provider) -> bytes:
    """ACCMELearnerReports holding one MedBiquitous ActivityReports for the completions of
    activities PARS knows (with an ACCME Activity ID); the others are named in a comment at
    the top, as not yet reportable."""
    rows = list(rows)
    root = etree.Element("ACCMELearnerReports", nsmap=NSMAP)
    waiting: dict[int, list] = {}
    for _, activity in rows:
        if not activity.accme_activity_id:
            waiting.setdefault(activity.id, [activity, 0])[1] += 1
    for activity, count in waiting.values():
        root.append(
            etree.Comment(
                f" Not yet reportable: activity {activity.id} ({(activity.title or '')[:80]!r}) "
                f"has no ACCME Activity ID; its {count} completion(s) are left out. "
            )
        )
    if not provider.accme_provider_id:
        root.append(etree.Comment(" Set the ACCME Provider ID under Users before sending. "))
    unknown = sum(1 for c, a in rows if a.accme_activity_id and a.rems and not c.rems_profession)
    if unknown:
        root.append(
            etree.Comment(
                f" {unknown} completion(s) of REMS activities have no participant details "
                "(PARS asks at least the profession of every REMS learner). "
            )
        )
    refused = sum(1 for c, a in rows if a.accme_activity_id and c.report_permission is False)
    if refused:
        root.append(
            etree.Comment(
                f" {refused} completion(s) left out: the learner did not give permission to "
                "report them. "
            )
        )
    reportable = [
        (c, a) for c, a in rows if a.accme_activity_id and c.report_permission is not False
    ]
    if not reportable:  # ActivityReports needs at least one report: an empty export is the wrapper
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    days = [c.completion_date for c, _ in reportable]
    reports = etree.SubElement(root, f"{{{AR}}}ActivityReports", nsmap={None: AR})
    add(reports, AR, "DateTimeCreated", datetime.now(UTC).isoformat(timespec="seconds"))
    add(reports, AR, "ReportingStartDate", min(days).isoformat())
    add(reports, AR, "ReportingEndDate", max(days).isoformat())
    for completion, activity in reportable:
        report(reports, completion, activity, provider)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# Reading: each ActivityReport becomes the learner template's cells, so the template's checker
# applies the learner form's rules to both; a completion with several board credit types gives
# one row per type, which that checker joins into one completion.

BOARDS = {b.value.upper(): b.value for b in MocBoard}
UNREAD = "_unread"  # beside the template's cells: what the report held that nothing stores
PERMISSION = "_report_permission"  # beside them too: the learner's permission, if the file says
REMS = "_rems"  # and a REMS learner's Participant: element name -> its text
PARTICIPANT = (  # the Participant's elements this system stores, in the XSD's order
    "StateOfPrimaryPractice",
    "DEARegistration",
    "Profession",
    "PracticeArea",
    "SurgicalProcedures",
    "TimeInPractice",
)
ELEMENTS = {  # the learner template's column -> the element it comes from, for messages
    "Record Action": "XtensibleInfo/LearnerRecordAction",
    "ACCME Activity ID": "Module/ModuleName/@moduleID",
    "Completion Date": "Module/CompletedDateTime",
    "First Name": "Member/Name/GivenName",
    "Last Name": "Member/Name/FamilyName",
    "Date of Birth": "Member/PersonalInfo/BirthDate",
    "Licensing State": "UniqueID (licence) @domain",
    "Licensing ID or NPI": "UniqueID (NPI or licence)",
    "Number of CME Credits": "CreditCertificate (AMA PRA Category 1)/numberOfCredits",
    "Certifying Board": "UniqueID (board) @domain",
    "Certifying Board ID": "UniqueID (board)",
    "Credit Type": "CreditCertificate/activityCertification",
    "Credits Awarded for Credit Type": "CreditCertificate/numberOfCredits",
}


def local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def first(element, *path: str) -> str:
    """The text of the first descendant along local names ``path``, or ""."""
    found = [element]
    for name in path:
        found = [c for e in found for c in e if local(c) == name]
    return (found[0].text or "").strip() if found else ""


def first_anywhere(element, name: str) -> str:
    found = all_named(element, name)
    return (found[0].text or "").strip() if found else ""


def all_named(element, name: str) -> list:
    return [e for e in element.iter() if local(e) == name]


def identity(element) -> dict[str, str]:
    """NPI, licence (and its state) and board ID from UniqueIDs anywhere in the report, in
    this system's idd: form or the draft's bare domains ("NPI", "ABIM", "ME")."""
    found = {"npi": "", "license": "", "state": "", "board": "", "board_id": "", "unread": []}
    for unique in all_named(element, "UniqueID"):
        domain, value = (unique.get("domain") or "").strip(), (unique.text or "").strip()
        name = (
            domain.split(":")[1].split(".")[0].upper() if domain.count(":") >= 2 else domain.upper()
        )
        kind = domain.rsplit(":", 1)[-1].lower() if domain.count(":") >= 2 else ""
        if name in ("NPI", "CMS") or kind == "npi":
            found["npi"] = value
        elif name in BOARDS:
            found["board"], found["board_id"] = BOARDS[name], value
        elif name in US_STATES or kind == "license":
            found["state"], found["license"] = name, value
        else:
            found["unread"].append(domain or "(no domain)")
    return found


def certificates(element) -> tuple[str, list[tuple[str, str]]]:
    """The AMA credits, and (credit type, points) of each board certificate."""
    cme, board = "", []
    for found in all_named(element, "CreditReceived"):
        certification = first(found, "activityCertification")
        points = first(found, "numberOfCredits")
        if certification.upper().startswith("AMA PRA"):
            cme = points
        elif certification:
            board.append((certification, points))
    return cme, board


def birth(text: str) -> str:
    """MM/DD from the draft's YYYY-MM-DD (only month and day are read); other text as it is,
    for the checker to refuse."""
    parts = text.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{parts[1]}/{parts[2]}"
    return text


def cells_of(element) -> list[dict[str, str]]:
    """The learner template's cells for one ActivityReport: one dict per board credit type
    (at least one)."""
    who = identity(element)
    cme, board = certificates(element)
    module = next(iter(all_named(element, "ModuleName")), None)
    activity_id = (module.get("moduleID") or "").strip() if module is not None else ""
    if not activity_id:
        activity_id = first(element, "Activity", "ActivityInstanceID")
    base = {
        "Record Action": first(element, "XtensibleInfo", "LearnerRecordAction").capitalize(),
        "ACCME Activity ID": activity_id,
        "Completion Date": first(element, "Activity", "Module", "CompletedDateTime")[:10],
        "First Name": first(element, "Member", "Name", "GivenName"),
        "Last Name": first(element, "Member", "Name", "FamilyName"),
        "Date of Birth": birth(first(element, "Member", "PersonalInfo", "BirthDate")),
        "Licensing State": who["state"] or first_anywhere(element, "StateOfLicensure"),
        "Licensing ID or NPI": who["npi"] or who["license"],
        "Number of CME Credits": cme,
        "Certifying Board": who["board"],
        "Certifying Board ID": who["board_id"],
        "Total Board Credits": "",
        "Credit Type ": "",
        "Credits Awarded for Credit Type": "",
        "Additional Credit Type": "",
        UNREAD: [
            f"UniqueID with the domain {d!r} is not one this system reads" for d in who["unread"]
        ],
        PERMISSION: first_anywhere(element, "ReportPermission"),
        REMS: {
            name: first(element, "Participants", "Participant", name)
            for name in PARTICIPANT
            if first(element, "Participants", "Participant", name)
        },
    }
    base[UNREAD] += unread_participant(element)
    return [
        base | {"Credit Type ": kind, "Credits Awarded for Credit Type": points}
        for kind, points in board
    ] or [base]


def unread_participant(element) -> list[str]:
    """What a Participant holds that nothing stores: another system's learner ID (learners
    are matched by name, birth date and identifiers), and elements this reader does not know."""
    unread = []
    for found in all_named(element, "Participant"):
        for child in found:
            name = local(child)
            domain = child.get("domain") or ""
            if name == "LocalIdentifier" and not domain.endswith(".accme-provider:learner"):
                unread.append(f"Participant/LocalIdentifier {(child.text or '').strip()!r}")
            elif name and name not in PARTICIPANT and name != "LocalIdentifier":
                unread.append(f"Participant/{name}")
    return unread


def looks_like_learner_reports(data: bytes) -> bool:
    head = data[:2048]
    return b"ACCMELearnerReports" in head or b"ActivityReports" in head


def read(data: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    """(report number, the learner template's cells) for each ActivityReport, streamed."""
    missing = "No ActivityReport element was found: is this a learner report file?"
    for number, element in elements(data, "{*}ActivityReport", "report", missing):
        for cells in cells_of(element):
            yield number, cells
