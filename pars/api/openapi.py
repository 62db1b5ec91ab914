"""/api/v1/openapi.json: an OpenAPI 3.1 document of exactly what the API does, built from the
same field lists the API reads and writes (pars.api.schema)."""

from flask import jsonify
from pydantic import BaseModel

from pars.api import bp
from pars.api.integrity import MitigationBody, PersonBody, RelevanceBody
from pars.api.learners import IDENTITY, LearnerBody, LearnerIdentity, ParsAnswerBody
from pars.api.schema import READ_ONLY, ActivityBody, LearnerCountsBody, ReadBack
from pars.models import MAX_ID
from pars.vocab import LEGACY_FLAGS, ActivityFormat, ClaimState, QuestionKind, Status

ERROR = {"$ref": "#/components/schemas/Error"}
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


REF = "#/components/schemas/{model}"
TEXT = {"type": ["string", "null"]}
CANDIDATE = {  # a learner of the directory that may be the one asked about (pars.api.learners)
    "type": "object",
    "properties": {
        "learner_id": {"type": "integer"},
        **{n: TEXT for n in ("first_name", "last_name", "birth_month_day", "state")},
        "reasons": {"type": "array", "items": {"type": "string"}},
    },
}
ROW_ERROR = {  # a field of a row of an imported file that breaks a rule (pars.api.imports)
    "type": "object",
    "properties": {
        "row": {"type": "integer"},
        "field": {"type": "string"},
        "message": {"type": "string"},
    },
}


def model_schema(model: type[BaseModel]) -> tuple[dict, dict]:
    """A request body's JSON Schema, from the pydantic model that validates it, and the
    components its items refer to."""
    schema = model.model_json_schema(ref_template=REF)
    return schema, schema.pop("$defs", {})


def item_schemas() -> dict:
    """The shapes of list elements, as components the fields' items refer to."""
    return model_schema(ActivityBody)[1]


def activity_schema() -> dict:
    schema, _ = model_schema(ActivityBody)
    properties = schema["properties"]
    for name in ("start_date", "end_date"):
        properties[name]["anyOf"][0]["format"] = "date"
    properties["format"]["anyOf"][0]["enum"] = [f.value for f in ActivityFormat]
    return schema


def read_back() -> dict:
    """What a body may carry back from a read besides the writable fields (the version)."""
    properties = model_schema(ReadBack)[0]["properties"]
    return {name: properties[name] for name in READ_ONLY}


def responses(ok: dict, *codes: int) -> dict:
    found = {
        str(code): {"description": "Problem", "content": {"application/json": {"schema": ERROR}}}
        for code in (401, *codes)
    }
    return ok | found


def json_answer(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def body(model: type[BaseModel]) -> dict:
    schema, _ = model_schema(model)
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def list_of(item: dict) -> dict:
    return {"type": "object", "properties": {"items": {"type": "array", "items": item}}}


def claim_paths(activity_id: dict) -> dict:
    """An activity's claim links, its learners' claims and its evaluation summary."""
    date = {"type": "string", "format": "date"}
    link = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "url": {"type": "string"},
            "session_date": {"type": ["string", "null"], "format": "date"},
            "attendance_code": TEXT,
            "opens_on": date,
            "closes_on": date,
            "stopped": {"type": "boolean"},
        },
    }
    claim = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "first_name": {"type": "string"},
            "last_name": {"type": "string"},
            "claimed_at": {"type": "string"},
            "completion_date": date,
            "credits": {"type": "number"},
            "state": {"type": "string", "enum": [s.value for s in ClaimState]},
            "reportable": {"type": "boolean"},
            "completion_id": {"type": ["integer", "null"]},
            "match_result": TEXT,
            "evaluation_done": {"type": "boolean"},
            "certificate_code": TEXT,
        },
    }
    summary = {
        "type": "object",
        "properties": {
            "question": {"type": "string"},
            "kind": {"type": "string", "enum": [k.value for k in QuestionKind]},
            "answers": {"type": "integer"},
            "mean": {"type": ["number", "null"]},
            "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
            "texts": {"type": "array", "items": {"type": "string"}},
        },
    }
    return {
        "/activities/{activity_id}/claim-links": {
            "parameters": [activity_id],
            "get": {
                "summary": "The activity's claim links, with their attendance codes and windows",
                "responses": responses({"200": json_answer("Claim links", list_of(link))}, 404),
            },
            "post": {
                "summary": "Open claims: make the claim links (a series: one per session date)",
                "responses": responses(
                    {"201": json_answer("Claim links", list_of(link))}, 403, 404, 409
                ),
            },
        },
        "/activities/{activity_id}/claims": {
            "parameters": [activity_id],
            "get": {
                "summary": "Learners' claims of the activity, with their match result",
                "responses": responses({"200": json_answer("Claims", list_of(claim))}, 404),
            },
        },
        "/activities/{activity_id}/evaluation": {
            "parameters": [activity_id],
            "get": {
                "summary": "The activity's evaluation: counts and means a question, free text",
                "responses": responses({"200": json_answer("Evaluation", list_of(summary))}, 404),
            },
        },
    }


def integrity_paths(activity_id: dict) -> dict:
    """People in control of content, readiness and the disclosure, relevance and mitigation."""
    person = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "email": {"type": "string"},
            "biography": TEXT,
        },
    }

    def items(item: dict) -> dict:
        return {"type": "object", "properties": {"items": {"type": "array", "items": item}}}

    involved = {
        "type": "object",
        "properties": person["properties"]
        | {
            "roles": {"type": "array", "items": {"type": "string"}},
            "disclosed": {"type": "boolean"},
            "has_none": {"type": ["boolean", "null"]},
            "relationships": {"type": "array", "items": {"type": "object"}},
        },
    }
    strings = {"type": "array", "items": {"type": "string"}}
    relationship_id = {"name": "relationship_id", "in": "path", "required": True, "schema": ID}
    return {
        "/people": {
            "get": {
                "summary": "Your people in control of content",
                "responses": responses({"200": json_answer("People", items(person))}),
            }
        },
        "/activities/{activity_id}/people": {
            "parameters": [activity_id],
            "get": {
                "summary": "Who controls the activity's content, and what they disclosed",
                "responses": responses({"200": json_answer("People", items(involved))}, 404),
            },
            "post": {
                "summary": "Add someone in control of content (answers with their disclosure link)",
                "requestBody": body(PersonBody),
                "responses": responses(
                    {
                        "201": json_answer(
                            "The person",
                            {
                                "type": "object",
                                "properties": person["properties"]
                                | {"disclosure_link": {"type": "string"}},
                            },
                        )
                    },
                    400,
                    403,
                    404,
                    409,
                    422,
                ),
            },
        },
        "/activities/{activity_id}/independence": {
            "parameters": [activity_id],
            "get": {
                "summary": "Independence readiness, what blocks it, and the disclosure to learners",
                "responses": responses(
                    {
                        "200": json_answer(
                            "Readiness",
                            {
                                "type": "object",
                                "properties": {
                                    "applies": {"type": "boolean"},
                                    "exempt": TEXT,
                                    "blocking": strings,
                                    "warnings": strings,
                                    "disclosure": {"type": ["object", "null"]},
                                    "text": {"type": "string"},
                                },
                            },
                        )
                    },
                    404,
                ),
            },
        },
        "/activities/{activity_id}/relationships/{relationship_id}/relevance": {
            "parameters": [activity_id, relationship_id],
            "put": {
                "summary": "Decide whether a disclosed relationship is relevant to the content",
                "requestBody": body(RelevanceBody),
                "responses": responses(
                    {"200": json_answer("The decision", {"type": "object"})}, 400, 403, 404, 409
                ),
            },
        },
        "/activities/{activity_id}/relationships/{relationship_id}/mitigations": {
            "parameters": [activity_id, relationship_id],
            "post": {
                "summary": "Record how a relevant relationship was mitigated for one role",
                "requestBody": body(MitigationBody),
                "responses": responses(
                    {"201": json_answer("The mitigation", {"type": "object"})},
                    400,
                    403,
                    404,
                    409,
                    422,
                ),
            },
        },
    }


def document() -> dict:
    activity = {
        "description": "The activity",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Activity"}}},
    }
    activity_id = {"name": "activity_id", "in": "path", "required": True, "schema": ID}
    writable = {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ActivityInput"}}},
    }
    query = [
        {"name": name, "in": "query", "required": False, "schema": schema}
        for name, schema in (
            ("page", {"type": "integer", "minimum": 1, "maximum": 1000000}),
            ("per_page", {"type": "integer", "minimum": 1, "maximum": 100}),
            ("year", {"type": "integer", "minimum": 1990, "maximum": 2100}),
            ("status", {"type": "string", "enum": [s.value for s in Status] + ["not-closed"]}),
            ("format", {"type": "string"}),
            ("q", {"type": "string", "maxLength": 200}),
        )
    ]
    counts, _ = model_schema(LearnerCountsBody)
    identity, _ = model_schema(LearnerIdentity)
    identity["required"] = list(IDENTITY[:3])  # checked after the shape: 422 when missing
    learner_in, _ = model_schema(LearnerBody)
    answer, _ = model_schema(ParsAnswerBody)
    completion = {
        "type": "object",
        "properties": learner_in["properties"]
        | answer["properties"]
        | {"id": {"type": "integer"}, "match_result": TEXT},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "PARS Reporting API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/activities": {
                "get": {
                    "summary": "List activities",
                    "parameters": query,
                    "responses": responses(
                        {
                            "200": {
                                "description": "A page of activities",
                                "content": {
                                    "application/json": {
                                        "schema": {"$ref": "#/components/schemas/Page"}
                                    }
                                },
                            }
                        },
                        400,
                    ),
                },
                "post": {
                    "summary": "Create an activity",
                    "requestBody": writable,
                    "responses": responses({"201": activity}, 400, 403, 409, 422),
                },
            },
            "/activities/{activity_id}": {
                "parameters": [activity_id],
                "get": {
                    "summary": "Get an activity",
                    "responses": responses({"200": activity}, 404),
                },
                "patch": {
                    "summary": "Change fields (give the version read)",
                    "requestBody": writable,
                    "responses": responses({"200": activity}, 400, 403, 404, 409, 422),
                },
                "delete": {
                    "summary": "Delete an activity",
                    "responses": responses({"204": {"description": "Deleted"}}, 403, 404, 409),
                },
            },
            "/activities/{activity_id}/learner-counts": {
                "parameters": [activity_id],
                "put": {
                    "summary": "Set both learner totals",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": counts}},
                    },
                    "responses": responses({"200": activity}, 400, 403, 404, 409, 422),
                },
            },
            "/activities/{activity_id}/learners": {
                "parameters": [activity_id],
                "get": {
                    "summary": "The activity's learner completions",
                    "responses": responses(
                        {
                            "200": {
                                "description": "Completions",
                                "content": {
                                    "application/json": {
                                        "schema": {
                                            "type": "object",
                                            "properties": {
                                                "items": {"type": "array", "items": completion}
                                            },
                                        }
                                    }
                                },
                            }
                        },
                        404,
                    ),
                },
                "post": {
                    "summary": "Add a learner completion",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": learner_in}},
                    },
                    "responses": responses(
                        {
                            "201": {
                                "description": "The completion",
                                "content": {"application/json": {"schema": completion}},
                            }
                        },
                        400,
                        403,
                        404,
                        409,
                        422,
                    ),
                },
            },
            "/activities/{activity_id}/learners/{completion_id}": {
                "parameters": [
                    activity_id,
                    {"name": "completion_id", "in": "path", "required": True, "schema": ID},
                ],
                "patch": {
                    "summary": "Record PARS's answer about a reported completion",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": answer}},
                    },
                    "responses": responses(
                        {
                            "200": {
                                "description": "The completion",
                                "content": {"application/json": {"schema": completion}},
                            }
                        },
                        400,
                        403,
                        404,
                        422,
                    ),
                },
                "delete": {
                    "summary": "Delete a completion",
                    "responses": responses({"204": {"description": "Deleted"}}, 403, 404, 409),
                },
            },
            **integrity_paths(activity_id),
            **claim_paths(activity_id),
            "/learners/match": {
                "post": {
                    "summary": "Match a learner against your directory",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": identity}},
                    },
                    "responses": responses(
                        {
                            "200": {
                                "description": "The match",
                                "content": {
                                    "application/json": {
                                        "schema": {
                                            "type": "object",
                                            "properties": {
                                                "result": {
                                                    "type": "string",
                                                    "enum": [
                                                        "Exact match",
                                                        "Probable match",
                                                        "No match",
                                                    ],
                                                },
                                                "candidates": {
                                                    "type": "array",
                                                    "items": CANDIDATE,
                                                },
                                            },
                                        }
                                    }
                                },
                            }
                        },
                        400,
                        422,
                    ),
                },
            },
            "/imports": {
                "post": {
                    "summary": "Check or store a file (any upload format)",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "required": ["file"],
                                    "properties": {
                                        "file": {
                                            "type": "string",
                                            "contentMediaType": "application/octet-stream",
                                        },
                                        "commit": {"type": "string", "enum": ["true", "false"]},
                                        "valid_only": {"type": "string", "enum": ["true", "false"]},
                                    },
                                }
                            }
                        },
                    },
                    "responses": responses(
                        {
                            "200": {
                                "description": "Counts and errors",
                                "content": {
                                    "application/json": {
                                        "schema": {"$ref": "#/components/schemas/Import"}
                                    }
                                },
                            }
                        },
                        400,
                        403,
                        422,
                    ),
                },
            },
            "/activities/{activity_id}/close": {
                "parameters": [activity_id],
                "post": {
                    "summary": "Mark the activity closed",
                    "responses": responses({"200": activity}, 403, 404, 409),
                },
            },
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": item_schemas()
            | {
                "ActivityInput": activity_schema()
                | {"properties": activity_schema()["properties"] | read_back()},
                "Activity": {
                    "type": "object",
                    "required": ["id", "status", "version", "blocking"],
                    "properties": activity_schema()["properties"]
                    | {
                        "id": {"type": "integer"},
                        "status": {"type": "string", "enum": [s.value for s in Status]},
                        "version": {"type": "integer"},
                        "blocking": {"type": "object"},
                        "historical": {
                            "type": "boolean",
                            "description": "From a legacy record and ended before the new "
                            "PARS (11/01/2021): judged by the legacy model.",
                        },
                        "legacy": {
                            "type": ["object", "null"],
                            "description": "What a legacy record holds beyond the new model.",
                            "properties": {
                                "legacy_record": {"type": "boolean"},
                                "reporting_year": {"type": ["integer", "null"]},
                                "hours_of_instruction": {"type": ["number", "null"]},
                                **{name: {"type": ["boolean", "null"]} for name in LEGACY_FLAGS},
                            },
                        },
                    },
                },
                "Page": {
                    "type": "object",
                    "required": ["items", "page", "per_page", "total"],
                    "properties": {
                        "items": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Activity"},
                        },
                        "page": {"type": "integer"},
                        "per_page": {"type": "integer"},
                        "total": {"type": "integer"},
                    },
                },
                "Import": {
                    "type": "object",
                    "required": ["kind", "counts", "errors", "stored"],
                    "properties": {
                        "kind": {"type": "string"},
                        "counts": {"type": "object"},
                        "errors": {"type": "array", "items": ROW_ERROR},
                        "problem": {"type": ["string", "null"]},
                        "notices": {"type": "array", "items": {"type": "string"}},
                        "stored": {"type": "boolean"},
                    },
                },
                "Error": {
                    "type": "object",
                    "required": ["error", "errors"],
                    "properties": {
                        "error": {"type": "string"},
                        "errors": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "path": {"type": "string"},
                                    "message": {"type": "string"},
                                },
                            },
                        },
                        "current": {
                            "$ref": "#/components/schemas/Activity",
                            "description": "On a version conflict: the activity as it is now.",
                        },
                    },
                },
            },
        },
    }


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document of this API (public: it holds no data)."""
    return jsonify(document())
