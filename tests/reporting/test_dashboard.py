"""The admin dashboard: figures for the chosen range and server-drawn charts."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from reporting.charts import Series, bar_chart, line_chart, nice_ceiling
from reporting.dashboard import choose_period
from reporting.periods import Period
from tests.reporting.history import case

NOW = datetime(2024, 6, 12, 12, 0, tzinfo=UTC)


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("ops", "ops@example.com", "pw"))
    return client


def opened_ago(days: float, **kwargs):
    """A case opened `days` before the real now (the dashboard reads the clock)."""
    return case(opened=timedelta(days=days), now=datetime.now(tz=UTC), **kwargs)


@pytest.mark.django_db
def test_empty_dashboard_says_no_data_yet(staff_client):
    body = staff_client.get(reverse("reporting:dashboard")).content.decode()
    assert "No data yet" in body
    assert 'class="chart"' not in body


@pytest.mark.django_db
def test_dashboard_shows_figures_and_three_charts(staff_client):
    opened_ago(20, escalated=timedelta(days=19), resolved=timedelta(days=18, hours=22),
               closed=timedelta(days=17), by="U_ANN", commander="U_BOB")
    opened_ago(3, by="U_ANN")
    opened_ago(2, escalated=timedelta(days=1), commander="U_CAT")
    body = staff_client.get(reverse("reporting:dashboard"), {"range": "30d"}).content.decode()
    assert "Showing " in body
    for name in ("weekly-volume", "escalation-rate", "mttr-trend"):
        assert f'data-chart="{name}"' in body
    assert "Escalation rate (share of investigations opened in the range that were escalated)" in body
    assert re.search(r'<div class="value">67%</div>', body)  # 2 of 3 escalated
    assert "<td>U_ANN</td><td>2</td><td>0</td><td>0</td><td>0</td><td>—</td>" in body
    assert "<td>U_BOB</td><td>0</td><td>1</td><td>1</td><td>0</td><td>2h</td>" in body
    weeks = len(re.findall(r'data-series="investigations opened"', body))
    assert weeks in (5, 6)  # 30 days span five or six Monday-weeks
    assert len(re.findall(r'data-series="incidents declared"', body)) == weeks


@pytest.mark.django_db
def test_dashboard_dates_and_bad_input(staff_client):
    url = reverse("reporting:dashboard")
    body = staff_client.get(url, {"since": "2024-01-01", "until": "2024-01-31"}).content.decode()
    assert "Showing 2024-01-01 to 2024-02-01" in body
    body = staff_client.get(url, {"since": "January"}).content.decode()
    assert "“January” is not a date" in body
    body = staff_client.get(url, {"range": "forever"}).content.decode()
    assert "is not a range I understand" in body


def test_choose_period():
    assert choose_period({}, NOW).period == Period(start=NOW - timedelta(days=90), end=NOW)
    assert choose_period({"range": "7d"}, NOW).period == Period.last(days=7, now=NOW)
    assert choose_period({"range": "all"}, NOW).period == Period()
    choice = choose_period({"since": "2024-05-01"}, NOW)
    assert choice.period == Period(start=datetime(2024, 5, 1, tzinfo=UTC))
    assert (choice.since, choice.until, choice.preset) == (date(2024, 5, 1), None, "")


def test_nice_ceiling():
    assert [nice_ceiling(v) for v in (0, 0.3, 1, 3, 7, 11, 24, 260)] == [
        1, 0.5, 1, 5, 10, 20, 25, 500,
    ]


def test_bar_chart_draws_one_bar_per_value_scaled_to_the_top():
    svg = str(bar_chart(name="v", title="Volume <weekly>", labels=["a", "b"],
                        series=[Series("opened", [10, 5], "#000")]))
    assert svg.startswith('<svg class="chart" data-chart="v" role="img"')
    assert "Volume &lt;weekly&gt;" in svg
    heights = [float(h) for h in re.findall(r'class="bar"[^>]*height="([\d.]+)"', svg)]
    assert heights == [178.0, 89.0]  # the plot is 178 px tall; 10 is the top


def test_line_chart_breaks_at_missing_values():
    svg = str(line_chart(name="r", title="Rate", labels=list("abcde"),
                         series=[Series("rate", [0.5, 0.25, None, 1.0, 0.0], "#000")], top=1.0))
    assert svg.count("<circle") == 4
    assert svg.count("<polyline") == 2  # a–b and d–e, nothing through c
