"""Every enumeration of the PARS domain: the one place forms, files and rules read choices from.

Values are the display strings PARS uses (domain.md); where a file format spells a value
differently, the mapping lives beside the enum (``*_CODES``). Values marked [inferred] in the
domain brief are plain data here so they are easy to change.
"""

import re
from datetime import date
from enum import StrEnum
from pathlib import Path

import pycountry


class Status(StrEnum):
    DRAFT = "Draft"
    ACTIVE = "Active"
    READY_TO_CLOSE = "Ready to Close"
    CLOSED = "Closed"


# Characters no stored text may hold: C0 controls other than tab, line feed and carriage
# return, DEL, lone surrogates and the two noncharacters U+FFFE/U+FFFF. XML 1.0 cannot carry
# them and Excel refuses them, so one in a title would break every export of the provider.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
LINE_BREAKS = re.compile("[\t\n\r]")  # allowed only in the multi-line fields below
MULTILINE_FIELDS = frozenset({"description", "learners"})  # the text areas of the forms
REPLACEMENT = "\ufffd"  # what a writer puts in place of a character no file may carry

# The longest text each field of the activity record takes: the columns (pars.models), the
# forms and the record checker all read it.
TEXT_LIMITS = {
    "title": 500,
    "city": 100,
    "state": 100,
    "postal_code": 20,
    "url": 2000,
    "internal_id": 50,
    "joint_providers": 200,
    "source": 200,
}

# Learner totals above this are typing mistakes, not audiences.
MAX_LEARNERS = 10_000_000

STATUS_ORDER = (Status.DRAFT, Status.ACTIVE, Status.READY_TO_CLOSE, Status.CLOSED)


class UploadStatus(StrEnum):
    """Where an upload is: checked and waiting (pending), being checked or stored by a job,
    stored, cancelled, or failed (a check that could not finish)."""

    PENDING = "pending"
    CHECKING = "checking"
    STORING = "storing"
    STORED = "stored"
    CANCELLED = "cancelled"
    FAILED = "failed"


UPLOAD_RUNNING = (UploadStatus.CHECKING, UploadStatus.STORING)  # a job is at work on it
UPLOAD_CANCELLABLE = (UploadStatus.PENDING, UploadStatus.FAILED)


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    VIEWER = "viewer"


class ContactRole(StrEnum):
    PRIMARY = "Primary contact"
    BILLING = "Billing contact"
    CEO = "CEO"
    STAFF = "Other staff"


class ActivityFormat(StrEnum):
    LIVE_COURSE = "Live Course"
    RSS = "Regularly Scheduled Series"
    ENDURING = "Enduring Material"
    JOURNAL = "Journal CME/CE"
    MANUSCRIPT_REVIEW = "Manuscript Review"
    TEST_ITEM_WRITING = "Test Item Writing"
    COMMITTEE_LEARNING = "Committee Learning"
    PERFORMANCE_IMPROVEMENT = "Performance/Quality Improvement"
    INTERNET_SEARCHING = "Internet Searching and Learning"
    LEARNING_FROM_TEACHING = "Learning from Teaching"
    OTHER = "Other/Blended Learning"


# Each format's one line on the entry form: the tutorial's words for the first four (domain.md
# section 1, [official]); ours for the other seven, from the brief's definitions.
FORMAT_DESCRIPTIONS: dict[ActivityFormat, str] = {
    ActivityFormat.LIVE_COURSE: "An activity where the learner participates in real-time at a "
    "specific date/time.",
    ActivityFormat.RSS: "An activity that is a series of multiple, ongoing sessions, primarily "
    "planned by and presented to the organization's professional staff.",
    ActivityFormat.ENDURING: "An activity where the content is available for the learner to "
    "complete at a time and place of the learner's choosing.",
    ActivityFormat.JOURNAL: "An activity in which the learner reads one or more articles, or "
    "adapted formats, from a peer-reviewed professional journal.",
    ActivityFormat.MANUSCRIPT_REVIEW: "Learners review manuscripts submitted to a peer-reviewed "
    "journal, as part of the journal's review process.",
    ActivityFormat.TEST_ITEM_WRITING: "Learners write or review questions for a certifying "
    "examination or a self-assessment.",
    ActivityFormat.COMMITTEE_LEARNING: "Learners serve on a committee whose work addresses a "
    "topic of clinical or organizational importance and learn from that work.",
    ActivityFormat.PERFORMANCE_IMPROVEMENT: "Learners assess their own practice with data, "
    "make changes, and measure the results over time.",
    ActivityFormat.INTERNET_SEARCHING: "Learners search for and review online sources to "
    "answer a clinical question that arose in their practice.",
    ActivityFormat.LEARNING_FROM_TEACHING: "Learners prepare for and teach others, and learn "
    "from the preparation.",
    ActivityFormat.OTHER: "An activity that fits none of the formats above, or combines "
    "several of them.",
}


class DeliveryMethod(StrEnum):
    IN_PERSON = "In-Person"
    LIVE_STREAMED = "Live-Streamed"
    ONLINE = "Online"
    PRINT_OTHER = "Print/Other"


# Which delivery methods each format offers; formats not listed have no delivery question.
DELIVERY_BY_FORMAT: dict[ActivityFormat, tuple[DeliveryMethod, ...]] = {
    ActivityFormat.LIVE_COURSE: (DeliveryMethod.IN_PERSON, DeliveryMethod.LIVE_STREAMED),
    ActivityFormat.RSS: (DeliveryMethod.IN_PERSON, DeliveryMethod.LIVE_STREAMED),
    ActivityFormat.ENDURING: (DeliveryMethod.ONLINE, DeliveryMethod.PRINT_OTHER),
}

# Legacy activity type codes that old tab-delimited files carry -> (format, delivery) [inferred].
LEGACY_FORMAT_CODES: dict[str, tuple[ActivityFormat, DeliveryMethod | None]] = {
    "C": (ActivityFormat.LIVE_COURSE, DeliveryMethod.IN_PERSON),
    "IL": (ActivityFormat.LIVE_COURSE, DeliveryMethod.LIVE_STREAMED),
    "RSS": (ActivityFormat.RSS, None),
    "EM": (ActivityFormat.ENDURING, DeliveryMethod.PRINT_OTHER),
    "IEM": (ActivityFormat.ENDURING, DeliveryMethod.ONLINE),
    "JN": (ActivityFormat.JOURNAL, None),
    "MR": (ActivityFormat.MANUSCRIPT_REVIEW, None),
    "TIW": (ActivityFormat.TEST_ITEM_WRITING, None),
    "CML": (ActivityFormat.COMMITTEE_LEARNING, None),
    "PI": (ActivityFormat.PERFORMANCE_IMPROVEMENT, None),
    "ISL": (ActivityFormat.INTERNET_SEARCHING, None),
    "LFT": (ActivityFormat.LEARNING_FROM_TEACHING, None),
}


class Providership(StrEnum):
    DIRECT = "Direct"
    JOINT = "Joint"


class Outcome(StrEnum):
    LEARNER_KNOWLEDGE = "Learner Knowledge"
    LEARNER_COMPETENCE = "Learner Competence"
    LEARNER_PERFORMANCE = "Learner Performance"
    PATIENT_HEALTH = "Patient Health"
    COMMUNITY_HEALTH = "Community/Population Health"


class MeasurementType(StrEnum):
    OBJECTIVE = "Objective"
    SUBJECTIVE = "Subjective"


# Historical activities (domain.md section 3): the new PARS went live in November 2021
# [inferred: the 1st]. An activity from a legacy record that ended before it is judged by the
# legacy model (pars.activities.status), as ACCME judged it when it moved the data across.
NEW_PARS_LIVE = date(2021, 11, 1)
# The legacy designed-to-change / changes-evaluated flags, as the activity's fields, each with
# the words of the legacy templates, and the outcome a "changes evaluated" Yes maps to
# (domain.md section 5 [inferred mapping]; "designed to change" alone maps to none).
LEGACY_FLAGS: dict[str, str] = {
    "designed_competence": "Designed to change competence",
    "designed_performance": "Designed to change performance",
    "designed_patient_outcomes": "Designed to change patient outcomes",
    "evaluated_competence": "Changes in competence evaluated",
    "evaluated_performance": "Changes in performance evaluated",
    "evaluated_patient_outcomes": "Changes in patient outcomes evaluated",
}
LEGACY_OUTCOMES: dict[str, str] = {
    "evaluated_competence": Outcome.LEARNER_COMPETENCE,
    "evaluated_performance": Outcome.LEARNER_PERFORMANCE,
    "evaluated_patient_outcomes": Outcome.PATIENT_HEALTH,
}
# What a legacy record holds beyond the new model (migration 0024).
LEGACY_FIELDS = ("legacy_record", "reporting_year", "hours_of_instruction", *LEGACY_FLAGS)


class Registration(StrEnum):
    OPEN = "Open to all"
    LIMITED = "Limited to certain participants"


class Fee(StrEnum):
    YES = "Yes"
    FREE = "No, it's free"
    VARIABLE = "Variable"


class ParsResult(StrEnum):
    """What PARS answered about a reported learner completion."""

    ACCEPTED = "Accepted"
    REJECTED = "Rejected"


class SupportKind(StrEnum):
    MONETARY = "Monetary"
    IN_KIND = "In-kind"


class RemsType(StrEnum):
    OPIOID_ANALGESIC = "Opioid Analgesic"
    MYCOPHENOLATE = "Mycophenolate"


# A REMS activity's learner, as PARS asks of each participant (the MedBiquitous Activity
# Report v2 XSD's Participant; the same values in ACCME's draft learner-report schema).
class RemsProfession(StrEnum):
    PHYSICIAN = "Physician"
    ADVANCED_PRACTICE_NURSE = "Advanced practice nurse"
    PHYSICIAN_ASSISTANT = "Physician Assistant"
    DENTIST = "Dentist"
    PODIATRIST = "Podiatrist"
    NURSE = "Nurse"
    PHARMACIST = "Pharmacist"
    OPTOMETRIST = "Optometrist"
    PSYCHOLOGIST = "Psychologist"
    VETERINARIAN = "Veterinarian"
    OTHER_HEALTHCARE = "Other healthcare professional"
    OTHER = "Other"


class DeaRegistration(StrEnum):
    INDIVIDUAL = "Individual"
    INSTITUTIONAL = "Institutional"
    NONE = "None"


class RemsPracticeArea(StrEnum):
    ADDICTION = "Addiction"
    ANESTHESIOLOGY = "Anesthesiology"
    CRITICAL_CARE = "Critical Care"
    DENTISTRY = "Dentistry"
    EMERGENCY = "Emergency"
    FAMILY_MEDICINE = "Family Medicine"
    GERIATRIC = "Geriatric"
    HEMATOLOGY = "Hematology"
    HOSPICE_PALLIATIVE = "Hospice and/or Palliative Care"
    INTERNAL_MEDICINE = "Internal Medicine"
    NEUROLOGY = "Neurology"
    OBSTETRICS_GYNECOLOGY = "Obstetrics/Gynecology"
    ONCOLOGY = "Oncology"
    OPHTHALMOLOGY = "Ophthalmology"
    PAIN = "Pain"
    PEDIATRIC = "Pediatric"
    PHYSICAL_MEDICINE = "Physical Medicine and Rehabilitation"
    PSYCHIATRY = "Psychiatry"
    GENERAL_SURGERY = "General Surgery"
    ORTHOPEDIC_SURGERY = "Orthopedic surgery"
    OTHER_SURGICAL = "Other surgical specialty"
    UROLOGY = "Urology"
    OTHER = "Other"
    NOT_APPLICABLE = "N/A"


class TimeInPractice(StrEnum):
    TRAINEE = "Trainee"
    UP_TO_5 = "0-5 years post training"
    FROM_6_TO_10 = "6-10 years"
    FROM_11_TO_15 = "11-15 years"
    FROM_16_TO_20 = "16-20 years"
    OVER_20 = "21+ years"


# Standards for Integrity and Independence in Accredited Continuing Education: who controls
# content, how a relationship with an ineligible company is described, and how a relevant one
# is mitigated before the person takes the role.
class ContentRole(StrEnum):
    PLANNER = "Planner"
    FACULTY = "Faculty/Speaker"
    AUTHOR = "Author"
    REVIEWER = "Reviewer"
    STAFF = "Staff who decide content"


class RelationshipNature(StrEnum):
    RESEARCH = "Research funding"
    CONSULTING = "Consulting fee"
    SPEAKERS_BUREAU = "Speakers' bureau"
    HONORARIA = "Honoraria"
    ADVISORY = "Advisory board"
    OWNERSHIP = "Ownership interest or stock"
    EMPLOYMENT = "Employment"
    ROYALTIES = "Royalties or patent"
    GRANTS = "Grants"
    OTHER = "Other"


class MitigationKind(StrEnum):
    PEER_REVIEW = "Peer review of content"
    RECUSAL = "Recusal from the decision"
    DIVESTMENT = "Divestment or ending the relationship"
    ATTESTATION = "Attestation to evidence-based content"
    LIMITED_ROLE = "Limiting the role"
    OTHER = "Other (with a note)"


# The narrow cases in which an owner or employee of an ineligible company may control content.
EXCLUSION_EXCEPTIONS = (
    "Content not related to the business lines or products of their employer",
    "Limited to the technical use of a product",
    "Not influencing the content (e.g. presenting research they did not design)",
)
DISCLOSURE_MONTHS = 24  # relationships of the 24 months before the disclosure
DISCLOSURE_LINK_DAYS = 30  # how long a disclosure link works


# Learners claiming their own credit (pars.claims): the claim page, its evaluation and the
# certificate.
class ClaimState(StrEnum):
    ISSUED = "Certificate issued"
    PENDING = "Waiting for approval"
    REJECTED = "Rejected"


class QuestionKind(StrEnum):
    LIKERT = "Agree/disagree (1-5)"
    YES_NO = "Yes/no"
    TEXT = "Free text"


# The five points of an agree/disagree question, stored as 1-5.
LIKERT_POINTS = (
    (5, "Strongly agree"),
    (4, "Agree"),
    (3, "Neutral"),
    (2, "Disagree"),
    (1, "Strongly disagree"),
)
# How an answer of either closed kind reads (stored as "1"-"5", "yes", "no").
ANSWER_LABELS = {str(point): text for point, text in LIKERT_POINTS} | {"yes": "Yes", "no": "No"}
# The question bank a provider starts from: questions for every activity, one per measured
# outcome (asked when the activity measures it) and the feedback question MOC asks of every
# activity registered for it. (text, kind, outcome or None, asked of MOC activities only)
DEFAULT_QUESTIONS = (
    ("The activity met its stated learning objectives.", QuestionKind.LIKERT, None, False),
    ("The content was free of commercial bias.", QuestionKind.LIKERT, None, False),
    (
        "The activity increased my knowledge of the subject.",
        QuestionKind.LIKERT,
        Outcome.LEARNER_KNOWLEDGE,
        False,
    ),
    (
        "I am more confident that I can apply what I learned (strategies, skills).",
        QuestionKind.LIKERT,
        Outcome.LEARNER_COMPETENCE,
        False,
    ),
    (
        "I will change how I practice because of this activity.",
        QuestionKind.YES_NO,
        Outcome.LEARNER_PERFORMANCE,
        False,
    ),
    (
        "What I learned will improve my patients' health.",
        QuestionKind.LIKERT,
        Outcome.PATIENT_HEALTH,
        False,
    ),
    (
        "What I learned will improve the health of the community or population I serve.",
        QuestionKind.LIKERT,
        Outcome.COMMUNITY_HEALTH,
        False,
    ),
    (
        "Did the activity give you feedback on your answers or your performance (for MOC)?",
        QuestionKind.YES_NO,
        None,
        True,
    ),
    ("What will you do differently in your practice?", QuestionKind.TEXT, None, False),
)
CLAIM_DAYS_AFTER_END = 30  # a live activity's claim window stays open this long after its end
CERTIFICATE_LINK_HOURS = 24  # how long an emailed certificate or transcript link works
LATE_PASS_DAYS = 14  # how long the link that lets one learner in after the close works
ATTENDANCE_CODE_LENGTH = 6
# Letters and digits no one misreads on a slide (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
AMA_STATEMENT = (
    "{provider} designates this {format} for a maximum of {credits} AMA PRA Category 1 "
    "Credit(s)\u2122. Physicians should claim only the credit commensurate with the extent of "
    "their participation in the activity."
)


class MocBoard(StrEnum):
    ABA = "ABA"
    ABIM = "ABIM"
    ABOHNS = "ABOHNS"
    ABOS = "ABOS"
    ABP = "ABP"
    ABPATH = "ABPath"
    ABS = "ABS"
    ABTS = "ABTS"
    ABPMR = "ABPMR"


MOC_BOARD_NAMES: dict[MocBoard, str] = {
    MocBoard.ABA: "American Board of Anesthesiology",
    MocBoard.ABIM: "American Board of Internal Medicine",
    MocBoard.ABOHNS: "American Board of Otolaryngology - Head and Neck Surgery",
    MocBoard.ABOS: "American Board of Orthopaedic Surgery",
    MocBoard.ABP: "American Board of Pediatrics",
    MocBoard.ABPATH: "American Board of Pathology",
    MocBoard.ABS: "American Board of Surgery",
    MocBoard.ABTS: "American Board of Thoracic Surgery",
    MocBoard.ABPMR: "American Board of Physical Medicine and Rehabilitation",
}

# Boards that accept MOC activities only from a date on (ACCME data update, 2025).
MOC_BOARD_SINCE: dict[MocBoard, date] = {MocBoard.ABPMR: date(2025, 1, 1)}

# Credit types each board accepts. Boards the sources name no types for get the generic
# "MOC Points" [inferred].
MOC_CREDIT_TYPES: dict[MocBoard, tuple[str, ...]] = {
    MocBoard.ABA: ("Lifelong Learning (MOCA 2.0 Part 2)", "Patient Safety"),
    MocBoard.ABIM: ("Medical Knowledge", "Practice Assessment", "Patient Safety"),
    MocBoard.ABOHNS: ("Self-Assessment",),
    MocBoard.ABOS: ("Self-Assessment",),
    MocBoard.ABP: ("Lifelong Learning and Self-Assessment (Part 2)",),
    MocBoard.ABPATH: ("Lifelong Learning", "Self-Assessment"),
    MocBoard.ABS: ("Accredited CME", "Self-Assessment"),
    MocBoard.ABTS: ("Accredited CME", "Self-Assessment"),
    MocBoard.ABPMR: ("MOC Points",),  # no source names its types [inferred]
}

# How ACCME's draft schemas (activity v0.1.2) spell values this system shows differently. Files
# are written in the draft's spelling; readers take every spelling (pars.formats.spellings).
DRAFT_SPELLINGS: dict[StrEnum, str] = {
    Fee.FREE: "No, it’s free",  # a right single quotation mark
    Registration.LIMITED: "Limited",
    Outcome.COMMUNITY_HEALTH: "Community Health",
    MocBoard.ABPATH: "ABPATH",
}

PRACTICE_AREAS: tuple[str, ...] = (
    "Addiction",
    "Anesthesiology",
    "Critical Care",
    "Emergency",
    "Family Medicine",
    "Geriatric",
    "Hematology",
    "Hospice and/or Palliative Care",
    "Internal Medicine",
    "Neurology",
    "Obstetrics/Gynecology",
    "Oncology",
    "Ophthalmology",
    "Pain",
    "Pediatric",
    "Physical Medicine and Rehabilitation",
    "Psychiatry",
    "General Surgery",
    "Orthopedic surgery",
    "Other surgical specialty",
    "Urology",
    "Other",
)

COMMENDATION_GROUPS: dict[str, tuple[str, ...]] = {
    "Promotes Team-Based Education": (
        "Engages Teams",
        "Engages Patients/Public",
        "Engages Students",
    ),
    "Addresses Public Health Priorities": (
        "Advances Data Use",
        "Addresses Population Health",
        "Collaborates Effectively",
    ),
    "Enhances Skills": (
        "Optimizes Communication Skills",
        "Optimizes Technical/Procedural Skills",
        "Creates Individualized Learning Plans",
        "Utilizes Support Strategies",
    ),
    "Demonstrates Educational Leadership": (  # group name [inferred]
        "Engages in Research/Scholarship",
        "Supports CPD for CPD Team",
        "Demonstrates Creativity/Innovation",
    ),
    "Achieves Outcomes": (
        "Improves Performance",
        "Improves Healthcare Quality",
        "Improves Patient/Community Health",
    ),
}
COMMENDATION_TAGS: tuple[str, ...] = tuple(
    tag for tags in COMMENDATION_GROUPS.values() for tag in tags
)

US_STATES: dict[str, str] = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "DC": "District of Columbia",
    "AS": "American Samoa",
    "GU": "Guam",
    "MP": "Northern Mariana Islands",
    "PR": "Puerto Rico",
    "UM": "U.S. Minor Outlying Islands",
    "VI": "U.S. Virgin Islands",
}

UNITED_STATES = "USA"

# ISO 3166-1 alpha-3 code -> English short name, sorted by name, the United States first.
COUNTRIES: dict[str, str] = {UNITED_STATES: "United States"} | dict(
    sorted(((c.alpha_3, c.name) for c in pycountry.countries), key=lambda item: item[1])
)


def _companies() -> tuple[str, ...]:
    path = Path(__file__).parent / "data" / "companies.txt"
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


# Support sources the form suggests as the user types (a datalist); any other name is allowed.
COMPANIES: tuple[str, ...] = _companies()
