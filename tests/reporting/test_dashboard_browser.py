"""The dashboard in a real headless browser: charts drawn, screenshot kept.

Drives Debian's chromium through its chromedriver with Selenium; nothing is
downloaded (Selenium Manager is kept offline and given both paths). The
screenshot is written to artifacts/dashboard.png.
"""

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.test import Client

from tests import services
from tests.reporting.history import case

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOT = ROOT / "artifacts" / "dashboard.png"
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--window-size=1400,2000",
)


@pytest.fixture
def browser(tmp_path, monkeypatch):
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        reason = (
            f"needs Debian's chromium and chromium-driver ({', '.join(missing)} missing): "
            "apt-get install chromium chromium-driver"
        )
        if services.REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must never download
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


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
