"""Results of the surveys' own questions per touchpoint over a period, read from the daily
answer rollups (TouchpointDailyAnswer): each option's share of the answers with its
Wilson interval, a rating's mean with its t interval, the share of yes. Like every figure,
none below the minimum sample. A question's versions are reported apart: each answer
keeps the question it was asked."""

from collections import defaultdict
from dataclasses import dataclass, field

from surveys.counting.periods import Period
from surveys.counting.scores import Mean, enough, mean_of, wilson
from surveys.models import (
    ANSWER_FIELDS,
    FALLBACK_LANGUAGE,
    Question,
    QuestionKind,
    TouchpointDailyAnswer,
    in_language,
)


@dataclass(frozen=True)
class Share:
    """How many of n answers chose it (or said yes): a percentage with its interval from
    the minimum sample on."""

    label: str
    count: int
    n: int

    @property
    def percent(self) -> float | None:
        return 100 * self.count / self.n if enough(self.n) else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson(self.count, self.n) if enough(self.n) else None


@dataclass
class QuestionResult:
    question: Question
    n: int = 0  # answers (one per response)
    total: int = 0
    squares: int = 0
    chosen: dict[int, int] = field(default_factory=dict)  # option id: times chosen

    @property
    def label(self) -> str:
        return in_language(self.question.wording, FALLBACK_LANGUAGE)[0]

    @property
    def mean(self) -> Mean | None:
        """A rating's mean points, from the minimum sample on."""
        if self.question.kind != QuestionKind.RATING or not enough(self.n):
            return None
        return mean_of(self.n, self.total, self.squares)

    @property
    def shares(self) -> list[Share]:
        """Each option's share (a multiple choice's add up to more than 100%), or yes's."""
        kind = self.question.kind
        if kind == QuestionKind.YES_NO:
            return [Share("yes", self.total, self.n)]
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            return [
                Share(in_language(option.wording, FALLBACK_LANGUAGE)[0],
                      self.chosen.get(option.pk, 0), self.n)
                for option in self.question.options.all()
            ]  # fmt: skip
        return []


def question_results(
    touchpoint_ids, period: Period, source: str | None = None
) -> dict[int, list[QuestionResult]]:
    """Per touchpoint, the results of every question answered there in the period (from
    one source of answers, or all), in survey, version and question order."""
    rows = TouchpointDailyAnswer.objects.filter(
        touchpoint_id__in=list(touchpoint_ids), day__range=(period.since, period.until)
    )
    if source is not None:
        rows = rows.filter(source=source)
    rows = rows.values_list("touchpoint_id", "question_id", "option_id", *ANSWER_FIELDS)
    summed: dict[tuple[int, int], dict] = defaultdict(
        lambda: {"n": 0, "total": 0, "squares": 0, "chosen": defaultdict(int)}
    )
    for touchpoint, question, option, n, total, squares in rows:
        sums = summed[touchpoint, question]
        if option:
            sums["chosen"][option] += n
        else:
            sums["n"] += n
            sums["total"] += total
            sums["squares"] += squares
    questions = Question.objects.filter(pk__in={q for _, q in summed}).prefetch_related("options")
    by_id = {question.pk: question for question in questions}
    results: dict[int, list[QuestionResult]] = defaultdict(list)
    for (touchpoint, question), sums in summed.items():
        results[touchpoint].append(
            QuestionResult(by_id[question], sums["n"], sums["total"], sums["squares"],
                           dict(sums["chosen"]))
        )  # fmt: skip
    for found in results.values():
        found.sort(key=lambda r: (r.question.survey_id, r.question.version, r.question.position))
    return dict(results)
