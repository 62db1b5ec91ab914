"""Learners' claims through the API: an activity's claim links (URL, attendance code, window),
opening them, its claims with their match result, and its evaluation summary."""

from flask import jsonify, url_for

from pars.activities import status as activity_status
from pars.api import Problem, bp
from pars.api.activities import own_activity
from pars.claims import operations
from pars.core.db import get_session
from pars.core.errors import Refused
from pars.models import ActivitySession, Claim, ClaimLink, LearnerCompletion
from pars.vocab import ClaimState


def link_json(link: ClaimLink, session_row: ActivitySession | None) -> dict:
    return {
        "id": link.id,
        "url": url_for("claims.claim", slug=link.slug, _external=True),
        "session_date": session_row.session_date.isoformat() if session_row else None,
        "attendance_code": link.attendance_code,
        "opens_on": link.opens_on.isoformat(),
        "closes_on": link.closes_on.isoformat(),
        "stopped": link.stopped,
    }


def links_json(activity) -> list[dict]:
    session = get_session()
    rows = {row.id: row for row in operations.sessions(session, activity)}
    return [
        link_json(link, rows.get(link.session_id)) for link in operations.links(session, activity)
    ]


def claim_json(claim: Claim, completion: LearnerCompletion | None, evaluated: set[int]) -> dict:
    return {
        "id": claim.id,
        "first_name": claim.first_name,
        "last_name": claim.last_name,
        "claimed_at": claim.claimed_at.isoformat(),
        "completion_date": claim.completion_date.isoformat(),
        "credits": claim.credits,
        "state": claim.state,
        "reportable": claim.reportable,
        "completion_id": claim.completion_id,
        "match_result": completion.match_result if completion else None,
        "evaluation_done": claim.id in evaluated,
        "certificate_code": claim.certificate_code if claim.state == ClaimState.ISSUED else None,
    }


@bp.get("/activities/<int:activity_id>/claim-links")
def list_claim_links(activity_id: int):
    return jsonify(items=links_json(own_activity(activity_id)))


@bp.post("/activities/<int:activity_id>/claim-links")
def open_claim_links(activity_id: int):
    """Open claims: the activity's link (a series: one per session date listed)."""
    activity = own_activity(activity_id)
    if refusal := activity_status.change_refusal(activity, to="take claims"):
        raise Problem(409, refusal)
    try:
        operations.open_links(get_session(), activity)
    except Refused as refusal:
        raise Problem(409, str(refusal)) from None
    get_session().commit()
    response = jsonify(items=links_json(activity))
    response.status_code = 201
    return response


@bp.get("/activities/<int:activity_id>/claims")
def list_claims(activity_id: int):
    session, activity = get_session(), own_activity(activity_id)
    rows = operations.claims_of(session, activity)
    evaluated = operations.answered(session, [claim.id for claim, _ in rows])
    return jsonify(items=[claim_json(c, done, evaluated) for c, done in rows])


@bp.get("/activities/<int:activity_id>/evaluation")
def evaluation_summary(activity_id: int):
    summaries = operations.evaluation_summary(get_session(), own_activity(activity_id))
    return jsonify(
        items=[
            {
                "question": s.question,
                "kind": s.kind,
                "answers": s.answers,
                "mean": s.mean,
                "counts": dict(s.counts),
                "texts": s.texts,
            }
            for s in summaries
        ]
    )
