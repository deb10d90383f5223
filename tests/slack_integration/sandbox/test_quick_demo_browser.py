"""The original README's Quick Demo, walked in a real browser against a live sandbox.

`manage.py case_sandbox` runs as its own process on a free port; headless
chromium (the shared `browser` fixture) types the commands and clicks
Collect Evidence as a person would, so every step crosses the signed
`/slack/events` path. Each step is checked on the page and in the sandbox's
database, and leaves a screenshot in artifacts/sandbox/. A failing step is
reported by name and the walk goes on, so one missing command does not hide
the state of the others.
"""

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from slack_integration.sandbox.workspace import ALERTS_CHANNEL_ID, ALICE, GENERAL_CHANNEL_ID
from tests.slack_integration.sandbox.live import ROOT, launch_sandbox

SHOTS = ROOT / "artifacts" / "sandbox"
TITLE = "API response times increasing"
WAIT = 20


@pytest.fixture
def sandbox_page(browser, tmp_path):
    for old in SHOTS.glob("*.png"):
        old.unlink()  # only this walk's screenshots
    live, base = launch_sandbox(tmp_path)
    browser.set_window_size(1280, 900)
    browser.get(f"{base}/sandbox/")
    yield browser, tmp_path / "sandbox.sqlite3"
    live.stop()
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "server.log").write_text(live.output)


class Demo:
    """The walk's helpers: act on the page, wait, look in the database."""

    def __init__(self, driver: WebDriver, database: Path) -> None:
        self.driver = driver
        self.database = database
        self.failures: list[str] = []
        self.shot = 0

    # --- database ------------------------------------------------------------
    def row(self, sql: str, *params: Any) -> tuple | None:
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True, timeout=10) as db:
            return db.execute(sql, params).fetchone()

    def case(self) -> dict[str, Any] | None:
        found = self.row("select id, name, status, channel_id from investigations_investigation "
                         "where title = ?", TITLE)
        return dict(zip(("id", "name", "status", "channel_id"), found, strict=True)) if found else None

    def incident(self, case_id: int) -> tuple | None:
        return self.row("select commander, resolved_at from investigations_incident "
                        "where investigation_id = ?", case_id)

    # --- page -------------------------------------------------------------------
    def wait(self, what: str, predicate: Callable[[WebDriver], Any]) -> Any:
        # The page redraws a list when its content changes: retry stale reads.
        waiting = WebDriverWait(self.driver, WAIT, poll_frequency=0.2,
                                ignored_exceptions=(StaleElementReferenceException,))
        try:
            return waiting.until(predicate)
        except TimeoutException:
            raise AssertionError(f"waited {WAIT}s for {what}") from None

    def click(self, what: str, css: str) -> None:
        self.wait(what, lambda d: d.find_element(By.CSS_SELECTOR, css).click() or True)

    def open_channel(self, channel_id: str) -> None:
        self.click(f"channel {channel_id} in the sidebar", f'.sidebar a[data-channel="{channel_id}"]')
        self.wait("the channel to open", lambda d: d.find_element(
            By.CSS_SELECTOR, f'.sidebar li.current a[data-channel="{channel_id}"]'))

    def run(self, command: str) -> None:
        box = self.driver.find_element(By.ID, "text")
        box.send_keys(command, Keys.ENTER)
        self.wait(f"{command!r} to be sent", lambda d: command in d.find_element(By.ID, "status").text)

    def messages(self, css: str = ".message") -> list[str]:
        """The shown messages' text, read in one go (the list may be redrawn meanwhile)."""
        return self.driver.execute_script(
            "return [...document.querySelectorAll(arguments[0])].map(m => m.innerText)",
            f"#messages {css}")

    def replies(self) -> str:
        """What Case last told the person privately, to explain a failed step."""
        return " | ".join(self.messages(".message.ephemeral")[-2:]) or "(no reply)"

    def screenshot(self, name: str) -> None:
        self.shot += 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(SHOTS / f"{self.shot:02d}-{name}.png"))

    def step(self, name: str, action: Callable[[], None]) -> bool:
        try:
            action()
        except AssertionError as error:
            self.screenshot(f"{name}-FAILED")
            self.failures.append(f"{name}: {error} (Case replied: {self.replies()})")
            return False
        self.screenshot(name)
        return True


def test_the_quick_demo_in_a_browser(sandbox_page):
    driver, database = sandbox_page
    demo = Demo(driver, database)
    demo.wait("the page to load the workspace", lambda d: d.find_element(
        By.CSS_SELECTOR, f'.sidebar li.current a[data-channel="{GENERAL_CHANNEL_ID}"]'))
    assert driver.find_element(By.ID, "person").get_attribute("value") == ALICE
    archived = driver.find_elements(By.CSS_SELECTOR, ".sidebar li.archived a")
    assert [a.text.replace("\n", " ") for a in archived] == ["# deploys-2023ARCHIVED"]
    demo.screenshot("workspace")

    # 1. Something happens: open an investigation from #general.
    def open_investigation() -> None:
        demo.run(f"/case open {TITLE}")
        case = demo.wait("the investigation's channel", lambda d: (demo.case() or {}).get("channel_id")
                         and demo.case())
        assert case["status"] == "investigating", case
        demo.wait("the confirmation, only to Alice", lambda d: any(
            case["name"] in text for text in demo.messages(".message.ephemeral")))
        demo.open_channel("C0ISSUES01")
        demo.wait("the announcement in #issues", lambda d: any(
            case["name"] in text for text in demo.messages()))
        demo.open_channel(case["channel_id"])
        demo.wait("the welcome in the new channel", lambda d: any(
            TITLE in text for text in demo.messages()))

    if not demo.step("open", open_investigation):
        pytest.fail("; ".join(demo.failures))  # nothing else can be walked without a case
    case = demo.case()

    # 2. Collect evidence: Collect Evidence on the alert in #alerts.
    def collect_evidence() -> None:
        demo.open_channel(ALERTS_CHANNEL_ID)
        alert_ts = demo.wait("the alert", lambda d: d.find_element(
            By.CSS_SELECTOR, "#messages .message").get_attribute("data-ts"))
        demo.click("Collect Evidence on the alert",
                   f'#messages .message[data-ts="{alert_ts}"] button.collect')
        demo.wait("the Collect Evidence modal", lambda d: d.find_element(By.ID, "modal").get_attribute("open") is not None)
        select = driver.find_element(By.CSS_SELECTOR, "#modal .bk-external")
        if not select.get_attribute("data-value"):
            select.find_element(By.CSS_SELECTOR, ".bk-query").send_keys("api")
            demo.wait("the investigation among the options", lambda d: next(
                (o for o in d.find_elements(By.CSS_SELECTOR, "#modal li[role=option]")
                 if case["name"] in o.text), None)).click()
        demo.screenshot("collect-evidence-modal")
        driver.find_element(By.ID, "modal-submit").click()
        # Case may close the modal, or update it to a confirmation with only a close button.
        demo.wait("the modal to close or confirm", lambda d: d.find_element(
            By.ID, "modal").get_attribute("open") is None or not d.find_element(
            By.ID, "modal-submit").is_displayed())
        if driver.find_element(By.ID, "modal").get_attribute("open") is not None:
            demo.screenshot("collect-evidence-confirmed")
            driver.find_element(By.ID, "modal-close").click()
        evidence = demo.row("select source_channel_id, permalink from investigations_evidence "
                            "where investigation_id = ? and message_ts = ?", case["id"], alert_ts)
        assert evidence is not None, "no Evidence row for the alert"
        assert evidence[0] == ALERTS_CHANNEL_ID
        demo.open_channel(case["channel_id"])
        demo.wait("the alert's permalink in the case channel", lambda d: d.find_elements(
            By.CSS_SELECTOR, f'#messages a.permalink[data-channel="{ALERTS_CHANNEL_ID}"]'))

    demo.step("collect-evidence", collect_evidence)

    # 3. If it's serious, escalate: /case incident in the case's channel.
    def escalate() -> None:
        demo.open_channel(case["channel_id"])
        shown = len(demo.messages(".message:not(.ephemeral)"))
        demo.run("/case incident")
        demo.wait("the case to be escalated", lambda d: (demo.case() or {}).get("status") == "escalated")
        assert demo.incident(case["id"])[0] == ALICE, "Alice should be incident commander"
        demo.wait("a notice everyone in the channel sees", lambda d: len(
            demo.messages(".message:not(.ephemeral)")) > shown)

    demo.step("incident", escalate)

    # 4. When service is restored: /case resolve; the case stays open.
    def resolve() -> None:
        shown = len(demo.messages(".message:not(.ephemeral)"))
        demo.run("/case resolve")
        demo.wait("the incident to be resolved", lambda d: (demo.incident(case["id"]) or (None, None))[1])
        assert demo.case()["status"] != "closed", "resolving must leave the investigation open"
        demo.wait("a notice everyone in the channel sees", lambda d: len(
            demo.messages(".message:not(.ephemeral)")) > shown)

    demo.step("resolve", resolve)

    # 5. After the post-mortem: /case close archives the channel.
    def close() -> None:
        demo.run("/case close")
        demo.wait("the case to be closed", lambda d: demo.case()["status"] == "closed")
        demo.wait("the channel marked archived", lambda d: d.find_elements(
            By.CSS_SELECTOR, f'.sidebar li.archived a[data-channel="{case["channel_id"]}"]'))
        assert driver.find_element(By.ID, "text").get_attribute("disabled") is not None
        assert any("close" in text.lower() for text in demo.messages(".message:not(.ephemeral)"))

    demo.step("close", close)

    # The issues channel tells the whole story, announcement and thread.
    def issues_channel() -> None:
        demo.open_channel("C0ISSUES01")
        demo.wait("the case in #issues", lambda d: any(case["name"] in text for text in demo.messages()))

    demo.step("issues-channel", issues_channel)
    assert not demo.failures, "Quick Demo steps failed: " + "; ".join(demo.failures)
