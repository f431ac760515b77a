"""What customers say: the themes found in comments, complaints and short answers."""

from django.db import models

from touchpoints.models import ScopedQuerySet, Touchpoint


class ThemeSource(models.TextChoices):
    COMMENTS = "comments", "Survey comments"
    COMPLAINTS = "complaints", "Complaints"
    ANSWERS = "answers", "Short answers"


class ThemeQuerySet(ScopedQuerySet):
    department_path = "touchpoint__department"


class Theme(models.Model):
    """A recurring topic in one touchpoint's comments or complaints (surveys/said/themes.py),
    refitted by the theme job; between fits, new texts are placed by its word usage."""

    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="themes")
    source = models.CharField(max_length=12, choices=ThemeSource.choices)
    label = models.CharField(max_length=200)
    # Share of the theme's texts using each of its most used words.
    usage = models.JSONField(default=dict)
    fitted_at = models.DateTimeField()

    objects = ThemeQuerySet.as_manager()

    class Meta:
        ordering = ["touchpoint", "source", "pk"]
        indexes = [models.Index(fields=["touchpoint", "source"], name="theme_tp_source")]

    def __str__(self):
        return self.label


class ThemeFit(models.Model):
    """When one touchpoint's themes of one source were last fitted, on how many texts, and
    the newest text placed since: what the job needs to decide between placing new texts
    and refitting."""

    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=12, choices=ThemeSource.choices)
    fitted_at = models.DateTimeField()
    fitted_on = models.PositiveIntegerField()
    placed_since_fit = models.PositiveIntegerField(default=0)
    last_placed_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["touchpoint", "source"], name="theme_fit_unique")
        ]

    def __str__(self):
        return f"Themes of {self.touchpoint_id}/{self.source} fitted {self.fitted_at:%Y-%m-%d}"


class ThemedComplaint(models.Model):
    """A complaint's theme, set by the nightly theme job (surveys/said/theming.py)."""

    complaint = models.OneToOneField(
        "surveys.Complaint", primary_key=True, on_delete=models.CASCADE, related_name="themed"
    )
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="complaints")

    def __str__(self):
        return f"{self.complaint_id}: {self.theme_id}"


class ThemedAnswer(models.Model):
    """A short-text answer's theme (to a question of the survey's own), set by the theme
    job: a table of its own, so the answer's hot write has no index to keep for it."""

    answer = models.OneToOneField(
        "surveys.QuestionAnswer", primary_key=True, on_delete=models.CASCADE, related_name="themed"
    )
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="short_answers")

    def __str__(self):
        return f"{self.answer_id}: {self.theme_id}"


class ThemeDay(models.Model):
    """Per theme and day: comments, their gap sums and sentiment sums, rebuilt by the
    theme job for the touchpoints it touched, so the dashboards read no raw answers."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    comments = models.PositiveIntegerField(default=0)
    n = models.PositiveIntegerField(default=0)
    sum_gap = models.IntegerField(default=0)
    sentiment_scored = models.PositiveIntegerField(default=0)
    sum_sentiment_milli = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["theme", "day"], name="theme_day_unique")]

    def __str__(self):
        return f"{self.theme_id} on {self.day}"
