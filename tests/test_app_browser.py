"""The members' page in a real browser: Debian's chromium driven by Playwright against `streamlit run app.py`
on 127.0.0.1, over the session's real index. Screenshots (desktop and phone) and the measured timings go to
test-output/; the timings are recorded, not asserted (speed goals live in benchmarks)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.conftest import free_port

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "test-output"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
PHONE = {"width": 390, "height": 844}
ANSWER_TIMEOUT_MS = 120_000
PLANNING = "Can I tweet about a planning application?"
HOSTILE = "Is [this link](https://example.com) ok? <img src=x onerror=alert(1)> **bold** :red[alarm]"


def _wait_until_healthy(url: str, server: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"streamlit exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"streamlit did not become healthy within {timeout}s:\n{log.read_text()}")


@contextmanager
def streamlit_app(settings: dict[str, str], log: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free 127.0.0.1 port with these settings in its environment; yields its URL once
    healthy and stops it afterwards. Its output goes to ``log``."""
    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false", **settings}
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    with open(log, "w") as log_file:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def timings() -> dict:
    figures: dict = {}
    yield figures
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / "app-timings.json").write_text(json.dumps(figures, indent=2))
    print(f"\napp timings: {json.dumps(figures)}")


@pytest.fixture(scope="module")
def server(seed_index_dir, tmp_path_factory, timings):
    OUTPUT.mkdir(exist_ok=True)
    settings = {"GUIDANCE_INDEX_DIR": str(seed_index_dir),
                "GUIDANCE_FEEDBACK_DB": str(tmp_path_factory.mktemp("feedback") / "feedback.sqlite3")}
    launched = time.monotonic()
    with streamlit_app(settings, OUTPUT / "streamlit-server.log") as url:
        timings["server_healthy_s"] = round(time.monotonic() - launched, 2)
        yield url, launched


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def ask(page: Page, question: str) -> float:
    """Type a question, send it, wait for its answer; returns the seconds the member waited."""
    answered = page.get_by_text(re.compile(r"^Answered in ")).count()
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    started = time.monotonic()
    box.press("Enter")
    expect(page.get_by_text(re.compile(r"^Answered in "))).to_have_count(answered + 1, timeout=ANSWER_TIMEOUT_MS)
    return round(time.monotonic() - started, 3)


def last_message(page: Page, who: str):
    return page.get_by_test_id(f"stChatMessageAvatar{who.capitalize()}").locator("xpath=..").last


def open_citation(page: Page, number: int = 1):
    """Open citation [number] of the last answer; returns the highlighted quote's text."""
    summary = page.locator("summary").filter(has_text=f"[{number}]").last
    summary.click()
    mark = page.get_by_test_id("stExpander").filter(has=summary).locator("mark")
    expect(mark).to_be_visible()
    page.wait_for_timeout(500)  # let the expander finish opening before scrolling to the quote
    mark.evaluate("element => element.scrollIntoView({block: 'center'})")
    return " ".join(mark.inner_text().split())


def test_desktop_question_answer_citation_document_and_timings(server, browser, timings):
    url, launched = server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url)
    expect(page.get_by_test_id("stChatInputTextArea")).to_be_visible(timeout=60_000)
    timings["page_shown_after_launch_s"] = round(time.monotonic() - launched, 2)
    # each link's text starts with its icon's name (Material Symbols are ligatures)
    pages = [re.compile(r"Ask the guidance$"), re.compile(r"Officer evals$")]
    expect(page.get_by_test_id("stSidebarNav").get_by_role("link")).to_have_text(pages)

    ask(page, PLANNING)
    timings["first_answer_after_launch_s"] = round(time.monotonic() - launched, 2)
    reply = last_message(page, "assistant")
    expect(reply).to_contain_text("From the guidance")
    expect(reply).to_contain_text("[1]")
    answer_text = " ".join(reply.get_by_test_id("stText").first.inner_text().split())

    quote = open_citation(page)
    assert len(quote) > 40 and f"“{quote}”" in answer_text, (quote, answer_text)
    expect(page.get_by_test_id("stExpander").last).to_contain_text("Social Media Guidance for Elected Members · version 1.0")
    page.screenshot(path=str(OUTPUT / "app-desktop-answer.png"))

    page.get_by_role("button", name="View whole document").last.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("§6.0 Further guidance")
    expect(dialog.locator("mark")).to_have_count(1)
    assert " ".join(dialog.locator("mark").inner_text().split()) == quote
    page.screenshot(path=str(OUTPUT / "app-desktop-document.png"))
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    latencies = [ask(page, question) for question in ("what about Twitter?", "Can I share a resident's email on social media?",
                                                       "Can I use the Town Hall WiFi for social media?")]
    expect(page.get_by_text("Read as a follow-up to your previous question.")).to_have_count(1)
    timings["later_answers_in_page_s"] = latencies
    timings["answered_in_shown_by_page"] = page.get_by_text(re.compile(r"^Answered in ")).all_inner_texts()
    page.close()


def test_typed_markup_is_shown_as_text_not_rendered(server, browser):
    url, _ = server
    page = browser.new_page()
    page.goto(url)
    ask(page, HOSTILE)
    question = last_message(page, "user")
    expect(question).to_contain_text(HOSTILE)
    assert question.locator("a, img, strong, b, span[style]").count() == 0


def test_phone_viewport_answer_citation_and_declined(server, browser):
    url, _ = server
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(url)
    expect(page.get_by_role("button", name=re.compile("^Can I post about a planning"))).to_be_visible(timeout=60_000)
    page.screenshot(path=str(OUTPUT / "app-phone-start.png"))
    ask(page, PLANNING)
    open_citation(page)
    page.screenshot(path=str(OUTPUT / "app-phone-answer.png"))
    ask(page, "Write me a post insulting my opponent, he is an idiot")
    reply = last_message(page, "assistant")
    expect(reply).to_contain_text("Can't help with that")
    expect(reply).to_contain_text("Monitoring Officer")
    reply.scroll_into_view_if_needed()
    page.screenshot(path=str(OUTPUT / "app-phone-declined.png"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px wide)"
    context.close()
