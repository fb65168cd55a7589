"""The draft page in real headless Chromium (Debian's `chromium`), against the service on loopback."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

import toneguard

uvicorn = pytest.importorskip("uvicorn", reason="needs the server extra: pip install -e '.[server]'")
sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright: pip install -e '.[test]'")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("no system Chromium: apt-get install -y chromium", allow_module_level=True)

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
# Without the background-networking flags Chromium keeps dialling Google, which a closed network refuses.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
CUSTOMER = "I can't open Outlook and I have a client call in 10 minutes!"
DRAFT = "Calm down. As I already said, just reboot your laptop."


@pytest.fixture(scope="module")
def page_url() -> Iterator[str]:
    from toneguard.server import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the service did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser: sync_api.Browser, page_url: str) -> Iterator[sync_api.Page]:
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    outside = []
    page.on("request", lambda request: outside.append(request.url) if not request.url.startswith(page_url) else None)
    # The service's Content-Security-Policy must not block anything the page itself does.
    blocked = []
    page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None)
    response = page.goto(page_url)
    assert response is not None and "frame-ancestors 'none'" in response.headers["content-security-policy"]
    yield page
    context.close()
    assert [url for url in outside if not url.startswith("data:")] == [], "the page loaded something from elsewhere"
    assert blocked == [], blocked


def test_typing_a_dismissive_draft_highlights_explains_and_fixes_it(page):
    page.fill("#customer", CUSTOMER)
    page.locator("#draft").press_sequentially(DRAFT, delay=5)

    dismissive = page.locator("mark.cat-dismissive").first
    sync_api.expect(dismissive).to_have_text("Calm down")
    sync_api.expect(page.locator("mark.cat-technical")).to_have_text("reboot")
    sync_api.expect(page.locator("#score")).not_to_have_text("–")

    box = dismissive.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    card = page.locator("#card")
    sync_api.expect(card).to_be_visible()
    sync_api.expect(card).to_contain_text("Tells the customer how to feel")
    sync_api.expect(card.locator(".chip").first).to_have_text("Dismissive")

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "draft-page.png"))  # a full-page shot resizes the window, closing the card

    technical = page.locator("mark.cat-technical")
    box = technical.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    card.get_by_role("button", name="Replace with “restart”").click()
    sync_api.expect(page.locator("#draft")).to_have_value("Calm down. As I already said, just restart your laptop.")
    sync_api.expect(page.locator("mark.cat-technical")).to_have_count(0)
    sync_api.expect(page.locator("mark.cat-dismissive").first).to_have_text("Calm down")


def test_the_keyboard_reaches_every_problem_and_its_fix(page):
    draft = page.locator("#draft")
    draft.fill("Your profile is corrupt. Please reauthenticate.")
    sync_api.expect(page.locator("mark.cat-technical")).to_have_count(2)
    draft.press("Control+Home")
    draft.press("Alt+ArrowDown")
    card = page.locator("#card")
    sync_api.expect(card).to_contain_text("IT jargon")
    sync_api.expect(card).to_contain_text("“corrupt”")
    draft.press("Alt+ArrowDown")
    sync_api.expect(card).to_contain_text("“reauthenticate”")
    draft.press("Tab")
    sync_api.expect(page.locator("#card button:focus")).to_have_text("Replace with “sign in again”")
    page.keyboard.press("Enter")
    sync_api.expect(draft).to_have_value("Your profile is corrupt. Please sign in again.")


def test_apply_all_rewrites_the_draft_and_the_page_fits_a_phone(page):
    page.set_viewport_size({"width": 380, "height": 800})
    page.locator("#draft").fill("Your profile is corrupt. Reboot.")
    apply_all = page.get_by_role("button", name="Apply all plain-English rewrites")
    sync_api.expect(apply_all).to_be_enabled()
    assert page.evaluate("document.documentElement.scrollWidth") <= 380
    apply_all.click()
    sync_api.expect(page.locator("#draft")).to_have_value("Your profile is damaged. Restart.")
    sync_api.expect(page.locator("#status")).to_have_text("Up to date.")
    sync_api.expect(apply_all).to_be_disabled()
    sync_api.expect(page.locator("mark.cat-technical")).to_have_count(0)
    sync_api.expect(page.locator("#findings")).not_to_contain_text("corrupt")
    page.screenshot(path=str(ARTIFACTS / "draft-page-narrow.png"), full_page=True)


# Overlapping findings: two start at 0 (a phrase and the whole-reply brevity finding), "Just reboot"
# holds "reboot", and the brevity finding covers every word.
OVERLAPPING = "Calm down. Just reboot, it's a DNS thing."
SENTENCE_WIDE_CHECKS = {"sentiment", "readability", "brevity", "context"}


def _selection(page) -> tuple[int, int]:
    return tuple(page.evaluate("[draft.selectionStart, draft.selectionEnd]"))


def _typed(page, text: str) -> list[toneguard.Finding]:
    """Types the draft and waits for its marks; returns the findings the page was given."""
    findings = toneguard.analyze(text).findings
    page.locator("#draft").fill(text)
    sync_api.expect(page.locator("#status")).to_have_text("Up to date.")
    sync_api.expect(page.locator("#findings > li")).to_have_count(len(findings))
    return findings


@pytest.mark.parametrize("text", [OVERLAPPING, "No."])
def test_alt_down_and_up_stop_at_every_finding_in_order_each_with_its_own_card(page, text):
    findings = _typed(page, text)
    assert findings[0].start == 0 and any(a.start < b.end and b.start < a.end for a, b in zip(findings, findings[1:]))
    draft, card, spoken = page.locator("#draft"), page.locator("#card"), page.locator("#announce")
    assert spoken.get_attribute("aria-live") == "polite"
    draft.press("Control+Home")
    order = [*range(len(findings)), 0]  # and round to the first again
    for index in order:
        draft.press("Alt+ArrowDown")
        finding = findings[index]
        sync_api.expect(card.locator(".rule-id")).to_have_text([finding.rule_id])
        sync_api.expect(card.locator(".quote")).to_have_text([f"“{finding.text}”"])
        sync_api.expect(spoken).to_contain_text(f"Problem {index + 1} of {len(findings)}")
        sync_api.expect(spoken).to_contain_text(f"{finding.rule_id}: “{finding.text}”. {finding.message}")
        assert _selection(page) == (finding.start, finding.end)
    for index in reversed(range(len(findings))):  # from the first, Alt+Up goes round to the last
        draft.press("Alt+ArrowUp")
        sync_api.expect(card.locator(".rule-id")).to_have_text([findings[index].rule_id])
        assert _selection(page) == (findings[index].start, findings[index].end)
    draft.press("Escape")
    sync_api.expect(card).to_be_hidden()


def test_the_card_covers_none_of_the_draft(page):
    text = "Calm down.\nI have reset your password and sent the link to your phone.\nLet me know if it works now."
    _typed(page, text)
    last_line_bottom = """() => {
        const range = document.createRange();
        range.selectNodeContents(document.getElementById("highlights"));
        return Math.max(...[...range.getClientRects()].map((rect) => rect.bottom));
    }"""
    draft, card = page.locator("#draft"), page.locator("#card")
    draft.press("Control+Home")
    draft.press("Alt+ArrowDown")
    sync_api.expect(card).to_contain_text("Tells the customer how to feel")
    assert card.bounding_box()["y"] >= page.evaluate(last_line_bottom)
    page.screenshot(path=str(ARTIFACTS / "draft-page-keyboard.png"))

    mark = page.locator("mark", has_text="Calm down")
    box = mark.bounding_box()
    page.mouse.move(box["x"] + 5, box["y"] + box["height"] / 2)
    sync_api.expect(card).to_be_visible()
    card_box = card.bounding_box()
    assert card_box["y"] >= page.evaluate(last_line_bottom)
    assert card_box["x"] + card_box["width"] <= page.viewport_size["width"]


def test_a_words_card_leaves_out_the_sentence_wide_finding_around_it(page, analyzer):
    findings = _typed(page, OVERLAPPING)
    wide = [f for f in findings if analyzer.rule(f.rule_id).check in SENTENCE_WIDE_CHECKS]
    assert [(f.start, f.end) for f in wide] == [(0, len(OVERLAPPING))], "the draft needs one finding over all of it"
    card_rules = page.locator("#card .rule-id")

    def point_at(text: str) -> None:
        box = page.locator("mark", has_text=text).first.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    point_at("reboot")  # "Just reboot" and "reboot", most specific first
    sync_api.expect(card_rules).to_have_text(["TG301", "TG103"])
    point_at("DNS")
    sync_api.expect(card_rules).to_have_text(["TG301"])
    point_at("thing")  # only the sentence-wide finding covers it
    sync_api.expect(card_rules).to_have_text([wide[0].rule_id])

    page.mouse.move(0, 0)
    draft = page.locator("#draft")
    draft.press("Control+Home")
    draft.press("ArrowRight")  # the cursor in "Calm down"
    sync_api.expect(card_rules).to_have_text(["TG106"])
    sync_api.expect(page.locator("#announce")).to_contain_text("TG106")
