"""The dashboard in a real headless browser: charts drawn, screenshot kept.

Drives Debian's chromium through its chromedriver with Selenium (the shared
`browser` fixture in tests/conftest.py). The screenshot is written to
artifacts/dashboard.png.
"""

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.test import Client

from tests.reporting.history import case

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "artifacts" / "dashboard.png"


def _twelve_weeks_of_history() -> None:
    rng = random.Random(6)
    now = datetime.now(tz=UTC)
    people = ["U_ANN", "U_BOB", "U_CAT", "U_DAN"]
    for day in range(84, 0, -1):
        for _ in range(rng.randint(0, 3)):
            opened = timedelta(days=day, hours=rng.uniform(0, 20))
            kwargs = {}
            if rng.random() < 0.3:
                escalated = opened - timedelta(minutes=rng.uniform(5, 90))
                resolved = escalated - timedelta(hours=rng.uniform(0.5, 6))
                kwargs = {"escalated": escalated, "resolved": resolved,
                          "commander": rng.choice(people)}
            case(opened=opened, closed=timedelta(days=day - 1) if day > 1 else None,
                 by=rng.choice(people), now=now, **kwargs)


@pytest.mark.django_db(transaction=True)
def test_dashboard_charts_render_in_a_browser(browser, live_server, django_user_model):
    _twelve_weeks_of_history()
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("ops", "o@example.com", "pw"))
    browser.get(f"{live_server.url}/admin/login/")
    browser.add_cookie({"name": "sessionid", "value": client.cookies["sessionid"].value})

    browser.get(f"{live_server.url}/admin/")
    browser.find_element("link text", "Metrics dashboard").click()
    assert browser.title.startswith("Metrics dashboard")

    charts = browser.execute_script(
        """
        return [...document.querySelectorAll('svg.chart')].map(svg => {
          const box = svg.getBoundingClientRect();
          const drawn = [...svg.querySelectorAll('rect.bar, circle.point, polyline.line')];
          return {name: svg.dataset.chart, width: box.width, height: box.height,
                  marks: drawn.length,
                  visible: drawn.filter(el => {
                    const b = el.getBBox(); return b.width > 0 && b.height > 0;
                  }).length};
        });
        """
    )
    assert [chart["name"] for chart in charts] == ["weekly-volume", "escalation-rate", "mttr-trend"]
    for chart in charts:
        assert chart["width"] > 300, chart
        assert chart["height"] > 100, chart
        assert chart["visible"] > 5, chart  # bars with height, points and lines drawn
    SCREENSHOT.parent.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 10_000
