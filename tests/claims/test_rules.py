"""The pure rules of a learner's claim."""

from dataclasses import dataclass
from datetime import date

import pytest

from pars.claims import rules
from pars.vocab import QuestionKind


def test_the_window_runs_thirty_days_past_a_live_end_and_to_an_enduring_end():
    start, end = date(2026, 3, 1), date(2026, 3, 2)
    assert rules.default_window("Live Course", start, end) == (start, date(2026, 4, 1))
    assert rules.default_window("Enduring Material", start, end) == (start, end)


@pytest.mark.parametrize(
    "today, stopped, said",
    [
        (date(2026, 2, 28), False, "open on 03/01/2026"),
        (date(2026, 3, 1), False, None),
        (date(2026, 3, 31), False, None),
        (date(2026, 4, 1), False, "closed"),
        (date(2026, 3, 5), True, "closed"),
    ],
)
def test_the_window_says_why_claims_are_not_taken(today, stopped, said):
    refusal = rules.window_refusal(date(2026, 3, 1), date(2026, 3, 31), stopped, today=today)
    assert (refusal is None) if said is None else (said in refusal)


def test_codes_are_compared_without_case_spaces_or_look_alikes():
    assert rules.normal_code(" ab-c 0 1 ") == rules.normal_code("ABCOI")
    assert len(rules.new_attendance_code()) == 6 and len(rules.new_slug()) == 8
    assert rules.attendance_code_error("AB") and rules.attendance_code_error("ÄBCD")
    assert rules.attendance_code_error("HEART26") is None
    code = rules.new_certificate_code()
    assert len(code) == 14 and code.count("-") == 2


def test_credits_up_to_the_maximum():
    assert rules.credits_error(1.5, 1.5) is None
    assert "at most 1.5" in rules.credits_error(1.5, 1.75)
    assert "no credit" in rules.credits_error(None, 1)


def test_one_identity_whatever_the_case_or_spacing():
    assert rules.identity_key(" Ana  Maria", "DIAZ ", "09/10") == rules.identity_key(
        "ana maria", "diaz", "09/10"
    )


def test_the_completion_is_dated_the_session_or_within_the_dates():
    start, end, today = date(2026, 3, 1), date(2026, 3, 3), date(2026, 3, 20)
    assert rules.completion_day("Live Course", start, end, None, today=today) == end
    assert rules.completion_day("Live Course", start, end, None, today=date(2026, 3, 2)) == date(
        2026, 3, 2
    )
    session = date(2026, 3, 2)
    assert rules.completion_day("Regularly Scheduled Series", start, end, session, today=today) == (
        session
    )


@dataclass
class Row:
    id: int
    text: str
    kind: str
    outcome: str | None = None
    moc_only: bool = False
    retired: bool = False


def test_the_questionnaire_asks_what_the_activity_measures_and_moc_when_registered():
    bank = [
        Row(1, "Met objectives", QuestionKind.LIKERT),
        Row(2, "Knowledge", QuestionKind.LIKERT, "Learner Knowledge"),
        Row(3, "Patient health", QuestionKind.LIKERT, "Patient Health"),
        Row(4, "MOC feedback", QuestionKind.YES_NO, moc_only=True),
        Row(5, "Retired", QuestionKind.LIKERT, retired=True),
    ]
    asked = rules.questionnaire(bank, {"Learner Knowledge"}, moc=False)
    assert [q.id for q in asked] == [1, 2]
    assert [q.id for q in rules.questionnaire(bank, set(), moc=True)] == [1, 4]


def test_answers_are_checked_by_their_kind():
    likert = rules.Question(1, "Q", QuestionKind.LIKERT)
    assert rules.answer_error(likert, "") == "Answer this question."
    assert rules.answer_error(likert, "6") and rules.answer_error(likert, "3") is None
    text = rules.Question(2, "T", QuestionKind.TEXT)
    assert rules.answer_error(text, "") is None and rules.answer_error(text, "x" * 2001)
    yes_no = rules.Question(3, "Y", QuestionKind.YES_NO)
    assert rules.answer_error(yes_no, "maybe") and rules.answer_error(yes_no, "no") is None


def test_the_summary_counts_means_and_lists_free_text():
    answers = [
        ("Q", QuestionKind.LIKERT, "5"),
        ("Q", QuestionKind.LIKERT, "2"),
        ("Y", QuestionKind.YES_NO, "yes"),
        ("T", QuestionKind.TEXT, "More echo"),
        ("T", QuestionKind.TEXT, None),
    ]
    q, y, t = rules.summarize(answers)
    assert (q.answers, q.mean) == (2, 3.5)
    assert y.counts == {"yes": 1} and y.mean is None
    assert (t.answers, t.texts) == (1, ["More echo"])


def test_the_designation_names_the_format_as_the_ama_does():
    said = rules.designation("Lakeside CME", "Enduring Material", 2.0)
    assert said.startswith("Lakeside CME designates this enduring material for a maximum of 2 ")
    assert "AMA PRA Category 1 Credit(s)\u2122" in said
