"""The files' names, shapes and spellings against ACCME's draft schemas (activity v0.1.2,
learner reports v0.4, copied under tests/data/accme-draft/), where the MedBiquitous XSDs are
silent. ABPMR is left out of the board comparison: the draft predates ACCME's 2025 update."""

import json
import re
from datetime import timedelta

from lxml import etree

from pars.formats import mems_xml, spellings
from pars.models import MocCreditType, MocPracticeArea, MocRegistration, Provider
from pars.vocab import (
    DRAFT_SPELLINGS,
    Fee,
    MeasurementType,
    MocBoard,
    Outcome,
    Registration,
    RemsType,
)
from tests.factories import DATA, TODAY, full_activity

DRAFT = DATA / "accme-draft"
ACTIVITY = json.loads((DRAFT / "accme-pars-activity.schema_v0_1_2.json").read_text())
LEARNER = json.loads((DRAFT / "accme-pars-learner-reports.schema_v0_4.json").read_text())
RECORD = ACTIVITY["properties"]["ACCMEActivities"]["properties"]["MedicalEducationMetrics"]["items"]
XTENSIBLE = RECORD["properties"]["XtensibleInfo"]["properties"]


def enum(schema: dict) -> set[str]:
    return set(schema.get("enum") or schema.get("items", {}).get("enum"))


def draft_spelled(values) -> set[str]:
    return {spellings.written(v.value) for v in values}


def test_enumerations_are_spelled_as_the_draft_spells_them():
    assert draft_spelled(Fee) == enum(XTENSIBLE["FeeForParticipation"])
    assert draft_spelled(Registration) == enum(XTENSIBLE["ActivityRegistration"])
    outcomes = XTENSIBLE["MeasuredOutcomes"]["items"]["properties"]
    assert draft_spelled(Outcome) == enum(outcomes["MeasuredOutcome"])
    assert draft_spelled(MeasurementType) == enum(outcomes["MeasurementType"])
    boards = XTENSIBLE["MOCRegistrations"]["properties"]["MOCRegistration"]["items"]
    assert draft_spelled(set(MocBoard) - {MocBoard.ABPMR}) == enum(
        boards["properties"]["boardName"]
    )
    assert draft_spelled(RemsType) == enum(XTENSIBLE["REMS"]["properties"]["REMSType"])
    assert "No, it\u2019s free" in DRAFT_SPELLINGS.values()  # the curly apostrophe


def test_every_spelling_reads_back_to_one_value():
    for field, values in spellings.CHOICES.items():
        for value in values:
            written = spellings.written(value.value)
            assert spellings.choice(field, written)[0] == value.value
            assert spellings.choice(field, written.replace("\u2019", "'").upper())[0] == value


def named(root, name: str) -> list:
    return [e for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname == name]


def names(element) -> list[str]:
    return [etree.QName(child).localname for child in element if isinstance(child.tag, str)]


def test_the_xtensible_info_uses_the_drafts_names_and_shapes(
    client, editor, make_activity, session
):
    session.get(Provider, editor.provider_id).accme_provider_id = "0001234"
    session.commit()
    full_activity(
        make_activity,
        editor.provider_id,
        rems=True,
        rems_type="Opioid Analgesic",
        moc_registrations=[
            MocRegistration(
                board="ABIM",
                points=2,
                claim_date=TODAY + timedelta(days=30),
                credit_types=[MocCreditType(credit_type="Medical Knowledge")],
                practice_areas=[MocPracticeArea(practice_area="Oncology")],
            )
        ],
    )
    record = etree.fromstring(client.get("/exports/activities.xml").data)[0]
    info = record.find(f"{{{mems_xml.MEMS}}}XtensibleInfo")
    written = names(info)
    assert set(written) - {mems_xml.PRIVATE} <= set(XTENSIBLE)
    assert written[-1] == mems_xml.PRIVATE  # this system's details last, in one element
    draft_order = [name for name in XTENSIBLE if name in written]
    assert [name for name in written if name != mems_xml.PRIVATE] == draft_order
    assert info.findtext(f"{{{mems_xml.ACCME}}}ProviderID") == "0001234"
    registration = info.find(f".//{{{mems_xml.ACCME}}}MOCRegistration")
    board_props = XTENSIBLE["MOCRegistrations"]["properties"]["MOCRegistration"]["items"]
    assert set(names(registration)) <= set(board_props["properties"])
    assert set(board_props["required"]) <= set(names(registration))
    outcome = info.find(f"{{{mems_xml.ACCME}}}MeasuredOutcomes")
    assert set(names(outcome)) <= set(XTENSIBLE["MeasuredOutcomes"]["items"]["properties"])
    in_kind = info.find(f".//{{{mems_xml.ACCME}}}InKindSupport")
    assert names(in_kind) == ["source"]
    rems = info.find(f"{{{mems_xml.ACCME}}}REMS")
    assert set(names(rems)) <= set(XTENSIBLE["REMS"]["properties"])
    for flag in ("ForPublicList", "IsMeritBasedIncentivePaymentSystem", "closeActivityRecord"):
        assert XTENSIBLE[flag]["type"] == "boolean"
        assert info.findtext(f"{{{mems_xml.ACCME}}}{flag}") in ("true", "false")
    assert info.findtext(f"{{{mems_xml.ACCME}}}activityRecordAction") in enum(
        XTENSIBLE["activityRecordAction"]
    )
    lom = {"lom": mems_xml.LOM}
    entries = record.xpath(
        ".//lom:identifier[lom:catalog='ACCME Activity ID']/lom:entry/text()", namespaces=lom
    )
    accme_id = entries[0]
    assert re.fullmatch(r"[0-9]{9}", accme_id)


def test_the_learner_report_uses_the_drafts_values(client, editor, make_activity, session):
    from tests.uploads.test_learner_reports_import import add_learners, the_activity

    session.get(Provider, editor.provider_id).accme_provider_id = "0001234"
    session.commit()
    add_learners(client, the_activity(make_activity, editor.provider_id))
    root = etree.fromstring(client.get("/exports/learners.xml").data)
    report = LEARNER["properties"]["ACCMELearnerReports"]["properties"]["ActivityReports"]
    item = report["properties"]["ActivityReport"]["items"]["properties"]
    module = item["Activity"]["properties"]["Module"]["properties"]
    certificate = module["CreditCertificate"]["items"]["properties"]
    birth = re.compile(
        item["Member"]["properties"]["PersonalInfo"]["properties"]["BirthDate"]["pattern"]
    )
    credit_id = re.compile(certificate["CreditID"]["pattern"])
    assert {e.text for e in named(root, "LearnerRecordAction")} <= enum(
        item["XtensibleInfo"]["properties"]["LearnerRecordAction"]
    )
    assert {e.text for e in named(root, "creditUnit")} == enum(
        certificate["CreditReceived"]["properties"]["creditUnit"]
    )
    assert {e.text for e in named(root, "Status")} <= enum(module["Status"])
    assert all(birth.fullmatch(e.text) for e in named(root, "BirthDate"))
    assert all(credit_id.fullmatch(e.text) for e in named(root, "CreditID"))
    assert {e.text for e in named(root, "ProviderOrganization")} == {"0001234"}
    assert {e.get("moduleID") for e in named(root, "ModuleName")} == {"202612345"}
