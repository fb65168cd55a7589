"""The draft page in real headless Chromium (Debian's `chromium`), against the service on loopback."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

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
