"""The subject access file as a readable, tagged PDF (PDF/UA-1), made from the collected dict.

The PDF is for the person: headings per section, every record a table with a caption and row
headers, codes replaced by their plain-English labels, dates written out, and answers with
nothing recorded left out (the JSON file, produced from the same dict, lists every field).
WeasyPrint draws it as budgets/letters.py does, in memory.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.template.loader import render_to_string
from weasyprint import HTML

from selfdirect.subject_access.collect import SECTIONS

# A table of columns is used for a list of records with at most this many things in each;
# wider records are shown one table each, label beside value, so nothing is squeezed.
MAX_COLUMNS = 6

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")

MONEY = frozenset(
    {
        "weekly",
        "annual",
        "range_low",
        "range_high",
        "unit_cost",
        "weekly_cost",
        "annual_cost",
        "four_weekly_amount",
    }
)

# Labels the field name alone would say badly. Anything else: "received_on" → "Received on".
LABELS: dict[str, str] = {
    "id": "Number",
    "nhs_number": "NHS number",
    "contact_id": "Request for support number",
    "scheduled_id": "Review due number",
    "source_review_id": "Review number",
    "reference": "Our reference",
    "portal_account": "Your online account",
    "date_of_birth": "Date of birth",
    "client_type": "Who the support is for",
    "primary_support_reason": "Main reason for support",
    "has_unpaid_carer": "Has an unpaid carer",
    "named_worker": "Named worker",
    "team": "Team",
    "what_for": "What it was for",
    "route_of_access": "How the request came to us",
    "needs_arise_from_condition": "Needs arise from a physical or mental condition",
    "significant_impact": "Significant impact on wellbeing",
    "significant_impact_reason": "Why the impact is significant",
    "carer_health_deteriorating": "Carer's health is getting worse",
    "eligibility_reasons": "Reasons for the eligibility decision",
    "achievable": "Can achieve this",
    "unable_reason": "Why not",
    "met_by_others": "How much others meet",
    "impairment_of_mind": "Impairment of the mind or brain",
    "use_or_weigh": "Use or weigh the information",
    "practicable_help_tried": "Help given to make the decision",
    "appropriate_person_available": "An appropriate person is available to help",
    "ras_version": "Resource allocation system (RAS) used",
    "weekly": "A week",
    "annual": "A year",
    "range_low": "Usual range, from",
    "range_high": "Usual range, to",
    "points": "Points",
    "what_i_want": "What I want to achieve",
    "who_helps": "Who helps me",
    "if_things_go_wrong": "If things go wrong",
    "interim": "Interim plan",
    "written_by": "Mainly written by",
    "route_kind": "Sent for sign-off to",
    "route_approvers": "Who could sign it off",
    "route_reason": "Why it went there",
    "reason_code": "Reason",
    "by_panel": "Decided by the panel",
    "four_weekly_amount": "Every 4 weeks",
    "first_payment_on": "First payment",
    "due_from": "Due from",
    "due_by": "Due by",
    "outcomes_achieved": "Outcomes achieved overall",
    "share_quotes": "Agreed their words may be quoted without their name",
    "will_share_experience": "Willing to share their experience with others",
    "is_representative": "Acts with or for you (representative)",
    "user": "Their online account",
    "handover_note": "Handover note",
    "note_read_at": "Handover note read",
    "your_part": "Your part",
    "why": "Why it was suggested",
    "how_you_agreed": "How you agreed",
    "followed_up_in_review_id": "Followed up at review number",
    "actor_label": "Who",
    "person_label": "Record",
    "event_type": "What",
    "old_values": "Before",
    "new_values": "After",
}

# Captions for each record: a noun, and the date that best says which one it is.
RECORD_CAPTIONS: dict[str, tuple[str, str | None]] = {
    "person": ("Your details", None),
    "requests_for_support": ("Request for support", "received_on"),
    "story": ("Story entry", "created_at"),
    "assessments": ("Assessment", "started_at"),
    "capacity": ("Capacity assessment", "assessed_on"),
    "budgets": ("Indicative budget", "issued_at"),
    "plans": ("Support plan", "created_at"),
    "services": ("Service", "start_date"),
    "direct_payments": ("Direct payment", "first_payment_on"),
    "reviews_due": ("Review due", "due_by"),
    "reviews": ("Review", "opened_at"),
    "circle_of_support": ("Person in your circle", None),
    "named_workers": ("Named worker period", "started_at"),
    "crises": ("Crisis", "occurred_on"),
    "peer_register": ("Peer support register", "joined_on"),
    "peer_links": ("Peer support link", "proposed_at"),
}

# Captions for lists inside a record, by section and key (the same key can mean different
# things: a budget's "contributions" are its workings, a review's are people's views).
CHILD_CAPTIONS: dict[str, str] = {
    "assessments.judgements": "Judgments about each outcome",
    "budgets.contributions": "How the budget was worked out",
    "budgets.streams": "Funding streams",
    "plans.items": "What the money pays for",
    "plans.invitations": "People invited to help with the plan",
    "reviews.contributions": "What people said",
    "reviews.contributions.points": "Points made",
    "reviews.contributions.outcome_ratings": "How far they felt each outcome was met",
    "reviews.outcomes": "How far each outcome was met",
    "reviews.invitations": "People invited to give a view",
}

# What one record in such a list is called, when each gets its own table.
CHILD_NOUNS: dict[str, str] = {
    "plans.items": "Item",
    "plans.invitations": "Helper",
    "reviews.contributions": "View",
    "reviews.invitations": "Invitation",
}

# Sections of short, similar records, read best as one table of columns.
TABLE_SECTIONS = frozenset({"reviews_due"})

# Dicts inside a record that are records themselves (shown as their own table).
NESTED_RECORDS = frozenset({"portal_account", "ras_version", "decision"})


@dataclass
class Table:
    """A list of records as columns."""

    caption: str
    headers: list[str]
    rows: list[list[str]]
    is_table: bool = True
    css_class: str = ""


@dataclass
class Block:
    """One record: each thing held, label beside value, then any lists it holds."""

    caption: str
    rows: list[tuple[str, str]]
    children: list[Block | Table] = field(default_factory=list)
    is_table: bool = False


def label(key: str) -> str:
    if key in LABELS:
        return LABELS[key]
    if key.endswith("_id"):
        return f"{key.removesuffix('_id').replace('_', ' ').capitalize()} number"
    return key.replace("_", " ").capitalize()


def _is_coded(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"code", "label"}


def _when(value: str) -> str:
    """An ISO date or date and time, the GOV.UK way: 3 November 2026 at 2:05pm."""
    if _DATE.match(value):
        day = datetime.date.fromisoformat(value)
        return f"{day.day} {day:%B %Y}"
    moment = datetime.datetime.fromisoformat(value)
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{moment.day} {moment:%B %Y} at {hour}:{moment.minute:02d}{suffix}"


def text(key: str, value: Any) -> str:
    """VALUE as the person should read it; "" when nothing is recorded."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if _is_coded(value):
        return str(value["label"])
    if isinstance(value, str):
        if key == "nhs_number" and len(value) == 10 and value.isdigit():
            return f"{value[:3]} {value[3:6]} {value[6:]}"
        if key in MONEY:
            return f"£{value}"
        if _DATE.match(value) or _DATETIME.match(value):
            try:
                return _when(value)
            except ValueError:
                return value
        return value
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "\n".join(text(key, item) for item in value if text(key, item))
    if isinstance(value, dict):
        return "\n".join(f"{label(k)}: {text(k, v) or 'nothing'}" for k, v in value.items())
    return str(value)


def _is_record_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, dict) and not _is_coded(item) for item in value)
    )


def _is_nested_record(key: str, value: Any) -> bool:
    # A review's "decision" is a coded value; a plan's "decision" is a record of its own.
    return key in NESTED_RECORDS and isinstance(value, dict) and not _is_coded(value)


def _flat(record: dict[str, Any]) -> bool:
    return not any(_is_record_list(v) or _is_nested_record(k, v) for k, v in record.items())


def _records(
    caption: str, records: list[dict[str, Any]], path: str, noun: str, *, numbered: bool = False
) -> Block | Table:
    """A list of records: a table of columns when they are narrow and flat, else one each.

    NUMBERED keeps each record's number as the first column, for records that others in the
    file refer to by number (a review names the review window it was held in)."""
    columns = [
        key
        for key in dict.fromkeys(k for record in records for k in record)
        if (numbered or key != "id") and any(text(key, record.get(key)) for record in records)
    ]
    if all(_flat(record) for record in records) and len(columns) <= MAX_COLUMNS + numbered:
        return Table(
            caption,
            [label(key) for key in columns],
            [[text(key, record.get(key)) for key in columns] for record in records],
        )
    return Block(
        caption,
        [],
        [_block(f"{noun} {n}", record, path) for n, record in enumerate(records, start=1)],
    )


def _block(caption: str, record: dict[str, Any], path: str) -> Block:
    block = Block(caption, [])
    for key, value in record.items():
        if key == "id":
            continue
        if _is_record_list(value):
            child_path = f"{path}.{key}"
            title = CHILD_CAPTIONS.get(child_path, label(key))
            noun = CHILD_NOUNS.get(child_path, "Entry")
            block.children.append(_records(title, value, child_path, noun))
        elif _is_nested_record(key, value):
            block.children.append(_block(label(key), value, f"{path}.{key}"))
        else:
            shown = text(key, value)
            if shown:
                block.rows.append((label(key), shown))
    return block


def _caption(section: str, record: dict[str, Any]) -> str:
    noun, date_key = RECORD_CAPTIONS[section]
    if section == "person":
        return noun
    if section == "circle_of_support":
        return str(record.get("name") or noun)
    parts = [f"{noun} number {record['id']}"]
    if date_key and record.get(date_key):
        parts.append(text(date_key, record[date_key]))
    return ", ".join(parts)


@functools.cache
def _audit_value_labels() -> dict[str, dict[str, str]]:
    """Labels for codes in audit events' old and new values, which are stored as codes.

    Only for field names that mean one thing across the collected models ("route_of_access");
    a name such as "kind" has different codes on different models, so its code is shown.
    """
    found: dict[str, dict[str, str]] = {}
    clashes: set[str] = set()
    for section in SECTIONS:
        for model_label in section.models:
            for model_field in apps.get_model(model_label)._meta.concrete_fields:
                if not model_field.choices:
                    continue
                choices = {str(k): str(v) for k, v in model_field.flatchoices}
                if found.get(model_field.name, choices) != choices:
                    clashes.add(model_field.name)
                found[model_field.name] = choices
    return {name: choices for name, choices in found.items() if name not in clashes}


def _audit_value(key: str, value: Any) -> str:
    choices = _audit_value_labels().get(key)
    if choices is not None and isinstance(value, str) and value in choices:
        return choices[value]
    if choices is not None and isinstance(value, list):
        return ", ".join(choices.get(str(item), str(item)) for item in value)
    return text(key, value) or "nothing"


def _audit_table(records: list[dict[str, Any]]) -> Table:
    rows = []
    for event in records:
        old, new = event.get("old_values") or {}, event.get("new_values") or {}
        details = [
            f"{label(k)}: {_audit_value(k, old[k])} → {_audit_value(k, new.get(k))}"
            if k in old
            else f"{label(k)}: {_audit_value(k, new.get(k))}"
            for k in dict.fromkeys([*old, *new])
        ]
        rows.append(
            [
                text("at", event["at"]),
                str(event["actor_label"]),
                text("event_type", event["event_type"]),
                str(event["reason"]),
                "\n".join(details),
            ]
        )
    return Table(
        "Every event, oldest first",
        ["When", "Who", "What", "Why they could, or the reason they gave", "Details"],
        rows,
        css_class="sd-audit",
    )


def display_sections(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Each section of DATA ready for the template: title, description and its tables."""
    out = []
    for section in SECTIONS:
        records = data["sections"][section.key]
        if section.key == "audit":
            parts: list[Block | Table] = [_audit_table(records)] if records else []
        elif records and section.key in TABLE_SECTIONS:
            noun = RECORD_CAPTIONS[section.key][0]
            parts = [_records(section.title, records, section.key, noun, numbered=True)]
        else:
            parts = [
                _block(_caption(section.key, record), record, section.key) for record in records
            ]
        out.append(
            {
                "key": section.key,
                "title": section.title,
                "description": section.description,
                "count": len(records),
                "parts": parts,
            }
        )
    return out


def subject_access_pdf(data: dict[str, Any]) -> bytes:
    """DATA (from collect.collect) as a tagged PDF."""
    header = data["header"]
    person = data["sections"]["person"][0]
    html = render_to_string(
        "subject_access/document.html",
        {
            "header": header,
            "produced_at": text("produced_at", header["produced_at"]),
            "name": f"{person['first_name']} {person['last_name']}",
            "sections": display_sections(data),
        },
    )
    pdf: bytes = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    return pdf
