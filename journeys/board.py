"""The map board as the page draws it: columns of cards with live scores and the backstage.

One read per level (journey, stages, steps, scores, backstage links), whatever the size
of the map. Scores come from the rollups over the last BOARD_SCORE_DAYS days, and only
for touchpoints the user may read scores of: a department head sees the whole map but
only their own department's numbers.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from journeys.models import Journey, JourneyKind, Stage, Step
from journeys.selectors import journey_with_map
from surveys.counting.own_questions import question_results
from surveys.counting.periods import Period
from surveys.counting.scores import Compliance, Scores
from surveys.counting.selectors import compliance_by_touchpoint, scores_by_touchpoint
from touchpoints.models import Touchpoint, supporters_of


@dataclass
class Card:
    step: Step
    scores: Scores | None = None
    compliance: Compliance | None = None
    enough_data: bool = False
    readable: bool = False  # may this user see the touchpoint's scores?
    own_results: list = field(default_factory=list)  # its survey's own questions (panel)

    @property
    def touchpoint(self) -> Touchpoint:
        return self.step.touchpoint


@dataclass
class Column:
    stage: Stage
    cards: list[Card]
    backstage: list[Touchpoint] = field(default_factory=list)
    edit_form: object = None  # the stage's rename form, for editors


@dataclass
class Board:
    journey: Journey
    columns: list[Column]
    since: dt.date
    show_backstage: bool
    can_have_backstage: bool


def build_board(user, journey_pk: int, show_backstage: bool = False) -> Board:
    journey = journey_with_map(user, journey_pk)
    columns = [
        Column(stage, [Card(step) for step in stage.steps.all()]) for stage in journey.stages.all()
    ]
    since = scores_since()
    _attach_scores(user, [card for column in columns for card in column.cards], since)
    can_have_backstage = journey.kind == JourneyKind.CUSTOMER
    if show_backstage and can_have_backstage:
        _attach_backstage(columns)
    return Board(journey, columns, since, show_backstage and can_have_backstage, can_have_backstage)


def build_card(user, step: Step) -> Card:
    """One card with its live scores and its own questions' results, for the card's panel."""
    card = Card(step)
    since = scores_since()
    _attach_scores(user, [card], since)
    if card.readable:
        period = Period(since, timezone.localdate())
        card.own_results = question_results([card.touchpoint.pk], period).get(
            card.touchpoint.pk, []
        )
    return card


def scores_since() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=settings.TOUCHSTONE_BOARD_DAYS - 1)


def _attach_scores(user, cards: list[Card], since: dt.date) -> None:
    ids = {card.touchpoint.pk for card in cards}
    readable = set(
        Touchpoint.objects.for_user(user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    scores = scores_by_touchpoint(readable, since)
    compliance = compliance_by_touchpoint(readable, since, timezone.localdate())
    for card in cards:
        card.readable = card.touchpoint.pk in readable
        card.scores = scores.get(card.touchpoint.pk)
        card.compliance = compliance.get(card.touchpoint.pk)
        card.enough_data = bool(card.scores and card.scores.enough_gap)


def _attach_backstage(columns: list[Column]) -> None:
    """Under each stage, the employee-side touchpoints that support its customer ones."""
    supporters = supporters_of({card.touchpoint.pk for col in columns for card in col.cards})
    for column in columns:
        seen = {}
        for card in column.cards:
            for supporter in supporters.get(card.touchpoint.pk, []):
                seen.setdefault(supporter.pk, supporter)
        column.backstage = list(seen.values())
