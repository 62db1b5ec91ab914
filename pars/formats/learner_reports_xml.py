"""Learner completions as ACCMELearnerReports XML (domain.md section 5), built on MedBiquitous
Activity Report v2: one ActivityReport per completion, with the learner as a Member (name and
identifiers), the activity and its module (ACCME Activity ID, Completed, the completion date,
the credit certificate), and the PARS extras in XtensibleInfo. The ActivityReports part
validates against the shipped XSDs (pars.formats.schemas.ACTIVITY_REPORT).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from lxml import etree

from pars.formats.mems_xml import ACCME, HX, add

if TYPE_CHECKING:  # records are read by attribute; nothing here touches the database
    from pars.models import Activity, LearnerCompletion

AR = "http://ns.medbiq.org/activityreport/v2/"
MEMBER = "http://ns.medbiq.org/member/v2/"
NAME = "http://ns.medbiq.org/name/v2/"
NSMAP = {"m": MEMBER, "n": NAME, "hx": HX, "accme": ACCME}
CERTIFICATION = "AMA PRA Category 1"


def identifiers(member, completion: LearnerCompletion) -> None:
    """NPI, board ID and state license as UniqueIDs; the domains follow MedBiquitous's
    idd:<authority>:<kind> pattern [inferred]."""
    if completion.npi:
        add(member, MEMBER, "UniqueID", completion.npi, domain="idd:cms.gov:npi")
    if completion.board and completion.board_id:
        add(
            member,
            MEMBER,
            "UniqueID",
            completion.board_id,
            domain=f"idd:{completion.board.lower()}.org:id",
        )
    if completion.license_number and completion.state:
        add(
            member,
            MEMBER,
            "UniqueID",
            completion.license_number,
            domain=f"idd:{completion.state.lower()}.gov:license",
        )


def report(parent, completion: LearnerCompletion, activity: Activity, provider: str) -> None:
    entry = add(parent, AR, "ActivityReport")
    add(entry, AR, "ReportingOrganization", provider)
    member = add(entry, AR, "Member")
    identifiers(member, completion)
    name = add(member, MEMBER, "Name")
    add(name, NAME, "GivenName", completion.first_name)
    add(name, NAME, "FamilyName", completion.last_name)
    described = add(entry, AR, "Activity")
    add(described, AR, "ProviderOrganization", provider)
    add(described, AR, "ActivityName", activity.title or f"Activity {activity.id}")
    add(
        described,
        AR,
        "ActivityInstanceID",
        activity.accme_activity_id or activity.id,
        domain="idd:accme.org:activity",
    )
    add(described, AR, "Status", "Completed")
    module = add(described, AR, "Module")
    add(module, AR, "ModuleName", activity.title or f"Activity {activity.id}")
    add(module, AR, "Status", "Completed")
    add(module, AR, "CompletedDateTime", f"{completion.completion_date:%Y-%m-%d}T00:00:00")
    certificate = add(module, AR, "CreditCertificate")
    received = add(certificate, AR, "CreditReceived")
    add(received, HX, "activityCertification", CERTIFICATION)
    if completion.cme_credits is not None:
        add(received, HX, "numberOfCredits", f"{completion.cme_credits:g}")
    add(certificate, AR, "CreditID", f"urn:pars-reporting:completion:{completion.id}")
    extras(add(entry, AR, "XtensibleInfo"), completion)


def extras(info, completion: LearnerCompletion) -> None:
    add(info, ACCME, "LearnerRecordAction", "add")
    add(info, ACCME, "DateOfBirth", completion.birth_month_day)  # MM/DD: PARS keeps no year
    if completion.state:
        add(info, ACCME, "StateOfLicensure", completion.state)
    if completion.board:
        board = add(info, ACCME, "Board", code=completion.board)
        for credit in completion.board_credits:
            add(board, ACCME, "CreditType", credit.credit_type, points=f"{credit.points:g}")


def document(rows: Iterable[tuple[LearnerCompletion, Activity]], provider: str) -> bytes:
    """ACCMELearnerReports holding one MedBiquitous ActivityReports for the completions."""
    rows = list(rows)
    root = etree.Element("ACCMELearnerReports", nsmap=NSMAP)
    if not rows:  # ActivityReports needs at least one report: an empty export is the wrapper
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    days = [c.completion_date for c, _ in rows]
    reports = etree.SubElement(root, f"{{{AR}}}ActivityReports", nsmap={None: AR})
    add(reports, AR, "DateTimeCreated", f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%S}")
    add(reports, AR, "ReportingStartDate", min(days).isoformat())
    add(reports, AR, "ReportingEndDate", max(days).isoformat())
    for completion, activity in rows:
        report(reports, completion, activity, provider)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
