"""The dashboards' tables as CSV rows (lib/csv_export.py writes them safely)."""

# --- The scorecard's tables: (header, rows) -------------------------------------------------

# Each figure with its n and its 95% interval, as the pages show them (empty: no answers).
SCORE_COLUMNS = {
    "n (gap)": "gap_answered",
    "gap": "gap",
    "gap 95% margin": "gap_margin",
    "n (CSAT)": "csat_answered",
    "CSAT %": "csat_percent",
    "CSAT 95% low": "csat_low",
    "CSAT 95% high": "csat_high",
    "n (NPS)": "nps_answered",
    "NPS": "nps",
    "NPS 95% low": "nps_low",
    "NPS 95% high": "nps_high",
    "n (CES)": "effort_answered",
    "CES": "ces",
    "CES 95% margin": "ces_margin",
    "invitations sent": "invitations_sent",
    "answered": "invitations_answered",
    "still open": "invitations_open",
    "response rate %": "response_rate",
}
SCORE_HEADER = list(SCORE_COLUMNS)


def score_cells(scores) -> list:
    return [getattr(scores, name) for name in SCORE_COLUMNS.values()]


def touchpoint_table(rows):
    header = ["touchpoint", "channel", "side", *SCORE_HEADER, "sentiment", "trend",
              "standards met %", "breaches", "complaints", "complaints not resolved"]  # fmt: skip
    lines = (
        [
            r.touchpoint.name,
            r.touchpoint.get_channel_display(),
            r.touchpoint.audience,
            *score_cells(r.scores),
            r.scores.sentiment,
            r.trend,
            r.compliance.percent if r.compliance else None,
            r.compliance.breaches if r.compliance else None,
            r.complaints.total if r.complaints else 0,
            r.complaints.unresolved if r.complaints else 0,
        ]
        for r in rows
    )
    return header, lines


def comment_table(responses):
    header = ["submitted", "touchpoint", "expected", "experienced", "csat", "nps", "sentiment",
              "comment"]  # fmt: skip
    lines = (
        [r.submitted_at.isoformat(), r.touchpoint.name, r.expectation, r.experience, r.csat,
         r.nps, r.sentiment, r.comment]
        for r in responses
    )  # fmt: skip
    return header, lines


def breach_table(interactions):
    header = ["when", "touchpoint", "handled by", "wait s", "response s", "resolution s",
              "outcome", "external id"]  # fmt: skip
    lines = (
        [i.occurred_at.isoformat(), i.touchpoint.name, i.handled_by.name if i.handled_by else "",
         i.wait_seconds, i.response_seconds, i.resolution_seconds, i.outcome, i.external_id]
        for i in interactions
    )  # fmt: skip
    return header, lines


def follow_up_table(follow_ups):
    header = ["opened", "touchpoint", "reason", "assigned to", "status", "comment"]
    lines = (
        [f.created_at.isoformat(), f.response.touchpoint.name, f.get_reason_display(),
         f.assigned_to.name if f.assigned_to else "", f.get_status_display(), f.response.comment]
        for f in follow_ups
    )  # fmt: skip
    return header, lines


def question_table(results):
    """(touchpoint name, QuestionResult) pairs: a line per option (or yes, or the mean),
    each with its n and 95% interval (empty below the minimum sample)."""
    header = ["touchpoint", "question", "version", "wording", "kind", "answer", "n", "chosen",
              "percent", "95% low", "95% high", "mean", "mean 95% margin"]  # fmt: skip

    def lines():
        for name, result in results:
            question = result.question
            base = [name, question.key, question.version, result.label,
                    question.get_kind_display()]  # fmt: skip
            mean = result.mean
            if question.kind == "rating":
                yield [*base, "mean", result.n, None, None, None, None,
                       mean.mean if mean else None, mean.margin if mean else None]  # fmt: skip
            elif question.kind == "text":
                yield [*base, "answered", result.n, None, None, None, None, None, None]
            for share in result.shares:
                interval = share.interval or (None, None)
                yield [*base, share.label, share.n, share.count, share.percent, *interval,
                       None, None]  # fmt: skip

    return header, lines()
