"""Nothing a file says is dropped without a word: for each reader, every column or element is
given a value it cannot use, and the row must come back refused naming that column or element
(or with a notice that names it)."""

import pytest

from pars.formats import activity_template, legacy_tab, mems_read
from pars.uploads.kinds import activity_records, learner_completions, learner_counts
from tests.factories import DATA, activity_template_row

BAD = "bad\x07value"  # a control character: no column or element of any file may hold one
TOO_LONG = "x" * 5000  # more than any text field holds (XML cannot carry a control character)


def named(row, name: str) -> bool:
    return any(column == name for column, _ in row.errors) or any(
        name in notice for notice in row.notices
    )


def template_record(column: str) -> dict:
    header = activity_template.HEADERS["moc"]
    row = dict(zip(header, activity_template_row(header, **{column: BAD}), strict=True))
    cells = {name: "" if value is None else str(value) for name, value in row.items()}
    values, errors, notices = activity_template.row_values(cells)
    return {"errors": errors} if errors else {"values": values, "notices": notices}


def test_every_activity_template_column(session, editor):
    checker = activity_records.TemplateChecker(session, editor.provider_id, today=None)
    missed = [
        column
        for column in activity_template.HEADERS["moc"]
        if not named(checker.check(3, template_record(column)), column)
    ]
    assert missed == [], missed


def leaves(root) -> list:
    """Every element of a record that holds text, and every attribute, as (element, name)."""
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if len(element) == 0 and (element.text or "").strip():
            found.append((element, None))
        found += [(element, name) for name in element.attrib if name != "language"]
    return found


def exported_record(client, editor, make_activity) -> bytes:
    from tests.factories import full_activity

    full_activity(make_activity, editor.provider_id)
    return client.get("/exports/activities.xml").data


def test_every_mems_element_and_attribute(client, editor, make_activity, session):
    from lxml import etree

    body = exported_record(client, editor, make_activity)
    count = len(leaves(etree.fromstring(body)))
    checker = activity_records.MemsChecker(session, editor.provider_id, today=None)
    missed = []
    for index in range(count):
        root = etree.fromstring(body)
        element, attribute = leaves(root)[index]
        if attribute:
            element.set(attribute, TOO_LONG)
        else:
            element.text = TOO_LONG
        [(number, record)] = list(mems_read.read(etree.tostring(root)))
        row = checker.check(number, record)
        if not (row.errors or row.notices):  # stored as given would be fine; silence is not
            missed.append((etree.QName(element).localname, attribute))
    assert missed == [], str(missed)


def test_every_legacy_tab_field(session, editor):
    line = (DATA / "legacy-template-d.txt").read_bytes().decode().split("\r\n")[0]
    fields = line.split("\t")
    checker = activity_records.TabChecker(session, editor.provider_id, today=None)
    missed = []
    for index in range(1, len(fields)):  # field 1 names the template
        changed = list(fields)
        changed[index] = BAD
        [(number, record)] = list(legacy_tab.read("\t".join(changed).encode()))
        row = checker.check(number, record)
        if not row.errors and all("became the start date" in n for n in row.notices):
            missed.append(index + 1)
    assert missed == [], str(missed)


LEARNER_CELLS = {
    "Record Action": "Add",
    "ACCME Activity ID": "202212345",
    "First Name": "All",
    "Last Name": "Learner",
    "Date of Birth": "09/10",
    "Licensing State": "Maine",
    "Licensing ID or NPI": "1234567",
    "Number of CME Credits": "3",
    "Certifying Board": "ABIM",
    "Certifying Board ID": "999999",
    "Total Board Credits": "2",
    "Credit Type ": "Medical Knowledge",
    "Credits Awarded for Credit Type": "1",
    "Additional Credit Type": "",
}


@pytest.fixture
def moc_course(make_activity, editor):
    from tests.factories import PAST, moc_course_fields

    make_activity(editor.provider_id, accme_activity_id="202212345", **moc_course_fields(PAST))
    return f"{PAST:%m/%d/%Y}"


def test_every_learner_template_column(session, editor, moc_course):
    from tests.factories import TODAY

    missed = []
    for column in learner_completions.learner_xlsx.HEADER:
        cells = LEARNER_CELLS | {"Completion Date": moc_course, column: BAD}
        checker = learner_completions.Checker(session, editor.provider_id, today=TODAY)
        row = checker.check(3, cells)
        if column.strip() not in [c for c, _ in row.errors]:
            missed.append((column, row.errors))
    assert missed == [], missed


def test_every_learner_counts_column(session, editor, make_activity):
    from tests.factories import PAST, TODAY

    activity = make_activity(editor.provider_id, start_date=PAST, end_date=PAST)
    missed = []
    for column in learner_counts.learner_counts_xlsx.MOC_HEADER:
        cells = {
            "Activity ID": str(activity.id),
            "ACCME Activity ID": "",
            "Activity Title": activity.title,
            "Total Physician Learners": "4",
            "Total Other Learners": "0",
            "Close Activity": "",
            "MOC Boards": "",
            "MOC Learners Reported": "0",
        } | {column: BAD}
        row = learner_counts.Checker(session, editor.provider_id, today=TODAY).check(3, cells)
        if column not in [c for c, _ in row.errors] and not row.notices:
            missed.append(column)
    assert missed == [], missed
