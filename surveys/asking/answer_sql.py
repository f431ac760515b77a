"""The SQL of answering through a personal link: the link's lookup and the answer's write.

Every customer's link runs them, so they are one statement each, prepared once per
connection (lib/prepared.py), not compiled by the ORM on every request. The write is a
single statement: it claims the invitation with a conditional UPDATE, inserts the response
from the claimed row, with its answers to the survey's own questions, and lists it as
uncounted (aggregation.py), all or nothing, and so needs no transaction of its own.
"""

import datetime as dt
import json
from typing import NamedTuple

from django.db import connection

from lib.prepared import ModelColumns, PreparedStatement
from surveys.models import (
    Invitation,
    InvitationStatus,
    QuestionAnswer,
    Response,
    Survey,
    UncountedInvitation,
    UncountedResponse,
    Webhook,
)
from touchpoints.models import Customer, Interaction, Touchpoint

LINK = ModelColumns(
    (Invitation, "i", ("id", "status", "expires_at", "survey_id", "interaction_id")),
    (
        Survey,
        "s",
        (
            "id", "intro", "anonymous", "asks_expectation_experience", "asks_csat",
            "asks_nps", "asks_effort", "asks_comment", "version", "asks_own_questions",
        ),
    ),
    (
        Interaction,
        "x",
        ("id", "occurred_at", "outcome", "handled_by_id", "customer_id", "touchpoint_id"),
    ),
    (Customer, "c", ("id", "language")),
    (Touchpoint, "t", ("id", "name")),
)  # fmt: skip
# The answer's columns, in the order the write statements list them.
ANSWER_COLUMNS = (
    "invitation_id", "touchpoint_id", "submitted_at", "day", "expectation", "experience",
    "csat", "nps", "effort", "comment", "language",
)  # fmt: skip
# An answer to one of the survey's own questions, as the write statement reads it.
OWN_ANSWER_COLUMNS = ("question_id", "option_id", "number", "text")
# A link closed by expiry or cancellation, or used up.
CLOSED = (InvitationStatus.EXPIRED, InvitationStatus.CANCELLED)
NOT_ANSWERABLE = (InvitationStatus.ANSWERED, *CLOSED)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _active_hooks_sql() -> str:
    """The active webhooks as a JSON list of [id, events]: read with the link, since an
    answer tells them, rather than in a round trip of their own."""
    hooks = f"FROM {_table(Webhook)} w WHERE w.is_active"
    return f"(SELECT json_agg(json_build_array(w.id, w.events)) {hooks})"


def _link_sql() -> str:
    return (
        f"SELECT {LINK.select_list()}, {_active_hooks_sql()} FROM {_table(Invitation)} i "
        f"JOIN {_table(Survey)} s ON s.id = i.survey_id "
        f"JOIN {_table(Interaction)} x ON x.id = i.interaction_id "
        f"JOIN {_table(Customer)} c ON c.id = x.customer_id "
        f"JOIN {_table(Touchpoint)} t ON t.id = x.touchpoint_id "
        "WHERE i.token_hash = %(token_hash)s"
    )


def _not_answerable() -> str:
    return ", ".join(f"'{status}'" for status in NOT_ANSWERABLE)


def _claim_sql() -> str:
    return (
        f"UPDATE {_table(Invitation)} SET status = '{InvitationStatus.ANSWERED}', "
        "answered_at = %(answered_at)s WHERE id = %(invitation)s AND expires_at > %(now)s "
        f"AND status NOT IN ({_not_answerable()}) RETURNING id"
    )


def _answer_values(invitation: str) -> str:
    """The answer's values, its invitation's being `invitation` (null when anonymous),
    cast since PostgreSQL cannot tell a parameter's type from INSERT ... SELECT."""
    values = []
    for name in ANSWER_COLUMNS[1:]:
        kind = Response._meta.get_field(name).cast_db_type(connection)
        values.append(f"%({name})s::{kind}")
    return ", ".join([invitation, *values])


def _own_answers_sql() -> str:
    """The answers to the survey's own questions, inserted with the answer: a JSON list
    of objects (one parameter, whatever their count)."""
    kinds = ", ".join(
        f'"{name}" {QuestionAnswer._meta.get_field(name).cast_db_type(connection)}'
        for name in OWN_ANSWER_COLUMNS
    )
    return (
        f"own AS (INSERT INTO {_table(QuestionAnswer)} (response_id, "
        f"{', '.join(OWN_ANSWER_COLUMNS)}) "
        "SELECT answer.id, given.question_id, given.option_id, given.number, "
        "COALESCE(given.text, '') "
        f"FROM answer, json_to_recordset(%(own_answers)s::json) AS given({kinds})), "
    )


def _write_sql(own_answers: bool = False) -> str:
    """Claim, insert and mark in one statement (with the answers to the survey's own
    questions if `own_answers`). It also reports the invitation's status and expiry as
    they were before it (one snapshot), to explain a failed claim."""
    columns = ", ".join(ANSWER_COLUMNS)
    return (
        f"WITH claimed AS ({_claim_sql()}), "
        f"answer AS (INSERT INTO {_table(Response)} ({columns}) "
        f"SELECT {_answer_values('CASE WHEN %(anonymous)s THEN NULL ELSE claimed.id END')} "
        "FROM claimed RETURNING id), "
        f"uncounted AS (INSERT INTO {_table(UncountedResponse)} (response_id) "
        "SELECT id FROM answer), "
        f"{_own_answers_sql() if own_answers else ''}"
        f"answered AS (INSERT INTO {_table(UncountedInvitation)} (invitation_id) "
        "SELECT id FROM claimed) "
        f"SELECT answer.id, i.status, i.expires_at <= %(now)s FROM {_table(Invitation)} i "
        "LEFT JOIN answer ON true WHERE i.id = %(invitation)s"
    )


LINK_BY_TOKEN_HASH = PreparedStatement("touchstone_link_by_token_hash", _link_sql)
WRITE_ANSWER = PreparedStatement("touchstone_write_answer", _write_sql)
WRITE_ANSWER_WITH_OWN = PreparedStatement(
    "touchstone_write_answer_with_own", lambda: _write_sql(own_answers=True)
)


def link_by_token_hash(token_hash: str) -> Invitation | None:
    """The invitation with its survey, interaction, customer and touchpoint loaded (the
    columns the link's pages and the answer read), and the active webhooks as
    `invitation.active_hooks`."""
    with connection.cursor() as cursor:
        LINK_BY_TOKEN_HASH.execute(cursor, {"token_hash": token_hash})
        row = cursor.fetchone()
    if row is None:
        return None
    *columns, hooks = row
    invitation, survey, interaction, customer, touchpoint = LINK.instances(columns)
    invitation.active_hooks = _webhooks(hooks)
    Interaction.customer.field.set_cached_value(interaction, customer)
    Interaction.touchpoint.field.set_cached_value(interaction, touchpoint)
    Invitation.survey.field.set_cached_value(invitation, survey)
    Invitation.interaction.field.set_cached_value(invitation, interaction)
    return invitation


def _webhooks(listed) -> list[Webhook]:
    # json comes parsed; no active hook is NULL.
    pairs = listed or []
    return [Webhook.from_db(connection.alias, ("id", "events"), pair) for pair in pairs]


class Written(NamedTuple):
    response_id: int | None  # None: nothing was claimed, for the reasons below
    status: str | None  # the invitation's before the write
    expired: bool | None  # its link's time was up


def write_answer(
    response: Response, invitation_id: int, now: dt.datetime, own_answers=()
) -> Written:
    """Claim the invitation and store `response` (whose own `invitation` is None when it is
    anonymous) with `own_answers` (OwnAnswer tuples, or unsaved QuestionAnswer rows),
    listed as uncounted for the aggregation to add."""
    # Numbers and text go as they are; times and days as the ORM sends them.
    ops = connection.ops
    params = {name: getattr(response, name) for name in ANSWER_COLUMNS}
    params |= {
        "submitted_at": ops.adapt_datetimefield_value(response.submitted_at),
        "day": ops.adapt_datefield_value(response.day),
        "now": ops.adapt_datetimefield_value(now),
        # Anonymous: the invitation keeps the day of the answer only, as the answer does.
        "answered_at": ops.adapt_datetimefield_value(
            response.submitted_at if response.invitation_id is None else now
        ),
        "invitation": invitation_id,
        "anonymous": response.invitation_id is None,
    }
    statement = WRITE_ANSWER
    if own_answers:
        statement = WRITE_ANSWER_WITH_OWN
        params["own_answers"] = json.dumps(
            [{name: getattr(row, name) for name in OWN_ANSWER_COLUMNS} for row in own_answers]
        )
    with connection.cursor() as cursor:
        statement.execute(cursor, params)
        return Written(*cursor.fetchone())
