"""The period filter shows the dates that apply, also when the default period does."""

import datetime as dt

from django.http import QueryDict
from django.utils import timezone

from dashboards.forms import JourneyMapForm, PeriodForm


def test_an_unfiltered_page_shows_the_default_periods_dates():
    html = str(PeriodForm(None))
    today = timezone.localdate()
    assert f'value="{today - dt.timedelta(days=89):%Y-%m-%d}"' in html
    assert f'value="{today:%Y-%m-%d}"' in html


def test_a_filter_without_dates_shows_the_dates_it_reads():
    form = JourneyMapForm(QueryDict("channel=phone"))
    assert form.is_valid()
    assert form["until"].value() == timezone.localdate().isoformat()
    assert form.period().days == 90


def test_an_empty_start_is_ninety_days_before_the_end_given():
    form = PeriodForm(QueryDict("until=2026-03-31"))
    assert form["since"].value() == "2026-01-01" and form.is_valid()


def test_an_impossible_date_is_still_the_fields_error():
    form = PeriodForm(QueryDict("until=2026-02-30"))
    assert not form.is_valid() and "until" in form.errors
