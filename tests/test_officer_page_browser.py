"""The officers' page in a real browser: Debian's chromium driven by Playwright against `streamlit run app.py`
on 127.0.0.1 over the session's real index — reached from the members' sidebar, refused on a wrong password,
and running an uploaded eval set once signed in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.test_app_browser import CHROMIUM, CHROMIUM_ARGS, streamlit_app
from tests.test_officer_page import PASSWORD, SMALL_SET


@pytest.fixture(scope="module")
def officer_server(seed_index_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("officer-server")
    settings = {"GUIDANCE_INDEX_DIR": str(seed_index_dir), "GUIDANCE_FEEDBACK_DB": str(folder / "feedback.sqlite3"),
                "GUIDANCE_EVAL_RUNS_DIR": str(folder / "runs"), "GUIDANCE_OFFICER_PASSWORD": PASSWORD,
                "GUIDANCE_CORRECTIONS_FILE": str(folder / "corrections.yaml")}
    with streamlit_app(settings, folder / "streamlit.log") as url:
        yield url, folder / "runs", tmp_path_factory.mktemp("upload"), folder / "corrections.yaml"


def settled(page) -> None:
    """Wait for the rerun a change starts to finish (on a busy machine it may take seconds)."""
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=30_000)


def main_width(page) -> float:
    """The width of the page's content column once the page has settled: about 1,100 px wide, 736 centred."""
    settled(page)  # a rerun's layout message arrives with its first elements
    return page.get_by_test_id("stMainBlockContainer").bounding_box()["width"]


def test_officers_sign_in_from_the_sidebar_and_run_an_uploaded_set(officer_server):
    """The page stays wide throughout: the members' page's centred layout, once sent on every rerun too, left it
    narrow after every other click."""
    url, runs, uploads, _ = officer_server
    upload = uploads / "officer.jsonl"
    upload.write_text(SMALL_SET)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(url)
        page.get_by_test_id("stSidebarNav").get_by_text("Officer evals").click()
        password = page.get_by_label("Officer password")
        expect(password).to_be_visible(timeout=60_000)

        password.fill("letmein")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("Wrong password.")).to_be_visible()
        expect(page.get_by_role("tab")).to_have_count(0)

        password.fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("tab", name="Run an eval set")).to_be_visible()
        widths = [main_width(page)]
        for source in ("Upload a set", "A set in evals/", "Upload a set"):
            page.get_by_text(source).click()
            widths.append(main_width(page))
        page.locator("input[type=file]").set_input_files(str(upload))
        expect(page.get_by_text("3 questions: 2 to answer, 1 to decline.")).to_be_visible()
        page.get_by_role("button", name="Run the eval set").click()
        expect(page.get_by_text("officer.jsonl: 2 of 3 passed")).to_be_visible(timeout=120_000)
        expect(page.get_by_role("button", name="Download per-question CSV")).to_be_visible()
        widths.append(main_width(page))
        browser.close()
    assert len(list(runs.glob("*/report.html"))) == 1
    assert min(widths) > 1000, widths


def sidebar_names(page) -> list[str]:
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_text("Officer evals")).to_be_visible(timeout=60_000)
    # a link's text is its icon's name, then its title
    return [name.strip().splitlines()[-1] for name in nav.get_by_test_id("stSidebarNavLink").all_inner_texts()]


@pytest.mark.parametrize("reached", ["by its own URL", "from the chat page"])
def test_the_officers_page_is_the_same_however_it_is_reached(officer_server, reached):
    url = officer_server[0]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        if reached == "by its own URL":
            page.goto(f"{url}/Officer_evals")
        else:
            page.goto(url)
            page.get_by_test_id("stSidebarNav").get_by_text("Officer evals").click()
        expect(page.get_by_label("Officer password")).to_be_visible(timeout=60_000)
        assert sidebar_names(page) == ["Ask the guidance", "Officer evals"]
        page.get_by_label("Officer password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("tab", name="Run an eval set")).to_be_visible()
        # the run tab starts on the set officers gate on (the starter set's counts; calibration has 40 questions)
        expect(page.get_by_text("81 questions: 64 to answer, 17 to decline.")).to_be_visible(timeout=30_000)
        assert sidebar_names(page) == ["Ask the guidance", "Officer evals"]
        browser.close()


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the Streamlit selectbox labelled ``label`` by typing it, as a keyboard user would."""
    box = page.get_by_test_id("stSelectbox").filter(has_text=label)
    box.click()
    box.locator("input").fill(option)
    expect(page.get_by_role("option", name=option)).to_have_count(1)
    box.locator("input").press("Enter")
    expect(box.locator("input")).to_have_value(option)
    page.wait_for_timeout(1000)  # the page reruns with the choice


def corrections_tab(browser, url: str):
    """A new page on the officers' Corrections tab, signed in."""
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{url}/Officer_evals")
    page.get_by_label("Officer password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("tab", name="Corrections").click()
    return page


def test_an_officer_corrects_a_question_and_members_get_the_officers_section(officer_server):
    url, corrections = officer_server[0], officer_server[3]
    question = "Who wrote the social media guidance?"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = corrections_tab(browser, url)
        page.get_by_label("Question", exact=True).fill(question)
        choose(page, "Document", "Social Media Guidance for Elected Members")
        choose(page, "Section that answers it", "§8.0 Document Attributes")
        choose(page, "Sentence or row to quote", "Sarah Yates")
        expect(page.locator("mark").filter(has_text="Sarah Yates")).to_be_visible()  # highlighted in the viewer
        page.get_by_label("Your name").fill("Jo Bloggs")
        page.get_by_role("button", name="Save the correction").click()
        expect(page.get_by_text(re.compile(r"^Saved correction"))).to_be_visible(timeout=60_000)
        assert "Sarah Yates" in corrections.read_text(encoding="utf-8")

        page.get_by_test_id("stSidebarNav").get_by_text("Ask the guidance").click()
        box = page.get_by_test_id("stChatInputTextArea")
        box.fill(question)
        box.press("Enter")
        expect(page.get_by_text(re.compile("An officer confirmed this section for a similar question"))).to_be_visible(timeout=120_000)
        expect(page.get_by_text(re.compile("Sarah Yates")).first).to_be_visible()
        browser.close()


def test_a_half_made_correction_survives_a_look_at_the_members_page(officer_server):
    """Streamlit forgets a widget's value once a run does not draw it; app.py hands the officer's drafts back."""
    url = officer_server[0]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = corrections_tab(browser, url)
        choose(page, "Document", "Social Media Guidance for Elected Members")
        choose(page, "Section that answers it", "§8.0 Document Attributes")
        for label, typed in (("Question", "Who looks after the guidance?"), ("Note for other officers (optional)",
                              "Asked at the March briefing"), ("Your name", "Jo Bloggs")):
            box = page.get_by_label(label, exact=True)
            box.fill(typed)
            box.press("Tab")  # Streamlit takes a box's value when it loses focus, in a rerun of its own
            settled(page)

        page.get_by_test_id("stSidebarNav").get_by_text("Ask the guidance").click()
        expect(page.get_by_test_id("stChatInputTextArea")).to_be_visible(timeout=60_000)
        page.get_by_test_id("stSidebarNav").get_by_text("Officer evals").click()
        page.get_by_role("tab", name="Corrections").click()
        expect(page.get_by_label("Question", exact=True)).to_have_value("Who looks after the guidance?")
        expect(page.get_by_label("Note for other officers (optional)")).to_have_value("Asked at the March briefing")
        expect(page.get_by_label("Your name")).to_have_value("Jo Bloggs")
        for label, chosen in (("Document", "Social Media Guidance for Elected Members"),
                              ("Section that answers it", "§8.0 Document Attributes")):
            expect(page.get_by_test_id("stSelectbox").filter(has_text=label).locator("input")).to_have_value(chosen)
        choose(page, "Document", "Member Social Media Guidance (committee report)")  # and the form still works
        section = page.get_by_test_id("stSelectbox").filter(has_text="Section that answers it").locator("input")
        expect(section).to_have_value(re.compile(r"^§1 "))
        expect(page.get_by_test_id("stException")).to_have_count(0)
        browser.close()
