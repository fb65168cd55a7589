"""Help-desk exports read as threads: the right replies paired with the right customer messages, every ticket accounted for.

The fixtures in tests/data/exports follow each help desk's documented API shapes and hold
what real exports hold: private notes, bots, triggers, attachment-only messages, HTML
bodies, deleted users, drafts, and a ticket the reader cannot parse.
"""

from __future__ import annotations

import gzip
import json
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toneguard import ThreadContext
from toneguard._apps.helpdesks.html_text import html_to_text
from toneguard._apps.helpdesks.json_export import JsonExport
from toneguard._apps.helpdesks.threads import says_repeat_contact
from toneguard._apps.replies import Columns
from toneguard._apps.row_files import RowFileError
from toneguard._apps.scan import scan_file
from toneguard._apps.sources import ATTACHMENTS_ONLY, NO_REPLY, detect_source, open_source
from toneguard._cli import app
from toneguard._apps.helpdesks import HELP_DESKS, Directory

EXPORTS = Path(__file__).parent / "data" / "exports"
runner = CliRunner()


@dataclass(frozen=True)
class Pair:
    """What one output row must say: whose reply, which words, answering what."""

    ticket: str
    reply_id: str | None
    reply: str | None  # the reply's opening words; None for a skipped row
    customer: str | None  # the customer's words the reply answers (exactly)
    agent: str = ""
    team: str = ""
    channel: str = ""
    since: int | None = None  # customer messages since the previous reply
    repeat: bool = False
    wait: float | None = None
    skipped: str | None = None


EXPECTED = {
    "zendesk.json": [
        Pair(
            "1001", "70003", "Hi Dana,\n\nSorry about the double charge.",
            "Hello,\n\nI was charged twice for my March invoice (INV-2291). Can you refund one of them?\n\nDana",
            "Priya Raman", "Billing", "email", 1, False, 2848.0,
        ),
        # The private note between is left out; the attachment-only message still counts as the customer writing.
        Pair(
            "1001", "70007", "Refunds take 5-10 business days",
            "Thanks! It still isn't showing in my bank account though.",
            "Priya Raman", "Billing", "email", 2, False, 64872.0,
        ),
        # A deleted requester (not in the users list) is still the customer; Answer Bot's suggestion is not a reply.
        Pair(
            "1002", "70103", "Reboot the router",
            "The VPN keeps dropping every hour. This is the third time I'm asking about this!",
            "Marco Bellini", "Network", "web", 1, True, 9000.0,
        ),
        Pair("1003", None, None, None, "", "(no group)", "email", skipped=NO_REPLY),
        Pair("1004", None, None, None, skipped="'comments' is a str, not a list"),
        Pair("1005", "70302", None, None, "Priya Raman", "Billing", "email", 1, False, 1200.0, skipped=ATTACHMENTS_ONLY),
    ],
    "freshdesk.json": [
        # The ticket's description is the customer's first message; the private note is left out; HTML becomes text.
        Pair(
            "2001", "5000102", "Hi Alex,\n\nSorry for the trouble before your presentation. Please forget the network & reconnect",
            "Since this morning my laptop won't connect to the office Wi-Fi. I have a presentation at 11!",
            "Sam Okafor", "IT Service Desk", "email", 1, False, 840.0,
        ),
        # An agent no longer in the agents list keeps an id; the quoted history becomes "> " lines.
        Pair(
            "2001", "5000104", "Your machine cert is expired. Re-enroll via the MDM portal.\n\n> On Tue, 1 Apr 2025 at 08:31, Alex wrote:\n> Done",
            "Done, still nothing. As I said before, I tried that twice this morning.",
            "agent 8002", "IT Service Desk", "email", 1, True, 1860.0,
        ),
        # An outbound e-mail: the description is the agent's, answering nothing.
        Pair("2002", None, "Hello Jordan,\n\nYour account", None, "Lena Fischer", "Onboarding", "outbound email", 0, False, None),
        # The forward to another team is not a reply to the customer.
        Pair(
            "2002", "5000203", "Unlocked – you can sign in now.", "It says my account is locked.",
            "Lena Fischer", "Onboarding", "outbound email", 1, False, 9000.0,
        ),
        Pair("2003", None, None, None, skipped="'conversations' is missing"),
    ],
    "intercom.jsonl": [
        # Fin's answer and the assignment are not replies; the admin's HTML reply is.
        Pair(
            "301", "9003", "Hi Chris! Go to Settings > Data > Export and pick CSV.",
            "Hi, how do I export my contacts to CSV? I need it for a board meeting tomorrow.",
            "Ana Souza", "Tier 1", "messenger", 1, False, 600.0,
        ),
        # The note is left out; a reply given while closing is still a reply.
        Pair(
            "301", "9006", "It's there. Look again.", "That option isn't there. I already told the bot that.",
            "Ana Souza", "Tier 1", "messenger", 1, True, 6800.0,
        ),
        Pair("302", "2102", "Hello, your annual invoice is attached.", None, "Tom Becker", "Billing", "email", 0, False, None),
        # Two customer messages since the last reply, joined; a deleted admin keeps an id.
        Pair(
            "302", "9103", "Prices changed in January",
            "Why did the price go up 30%??\n\nWhy was I charged more?? Nobody has replied.",
            "admin 700001", "Billing", "email", 2, True, 40000.0,
        ),
        Pair("", None, None, None, skipped="not valid JSON"),
        # A redacted customer message still counts; the admin sent only an attachment.
        Pair("303", "9201", None, None, "Ana Souza", "(no team)", "messenger", 1, False, 1000.0, skipped=ATTACHMENTS_ONLY),
    ],
    "helpscout.json": [
        # Threads come newest first; the draft and the note are left out; the quoted e-mail becomes "> " lines.
        Pair(
            "401", "5004", "Hi Vernon,\n\nThanks for flagging this — the PDF renderer had a fault",
            "Hello,\n\nThe invoice PDF you sent me is completely blank. Can you resend it?\n\n"
            "> On Mon, May 5, 2025 at 5:00 PM Acme Billing wrote:\n>\n> Your invoice is attached.",
            "Lee Park", "Support", "email", 1, False, 7200.0,
        ),
        # A chat: the AI's answer is a bot's, not a reply; a deleted user keeps an id.
        Pair(
            "402", "5105", "yes what",
            "hello, I can't reset my password\n\nanyone there?? I've been waiting 20 minutes",
            "user 4099", "Live chat", "chat", 2, False, 1320.0,
        ),
        # A phone log and a forward are not written replies to the customer.
        Pair("403", None, None, None, "", "Support", "email", skipped=NO_REPLY),
        Pair("404", None, None, None, skipped="'threads' is a dict, not a list"),
    ],
}


def _pair(row) -> Pair:
    context = row.context or ThreadContext()
    return Pair(
        ticket=row.id or "",
        reply_id=row.reply_id,
        reply=row.text,
        customer=row.customer,
        agent=row.groups.get("agent", ""),
        team=row.groups.get("team", ""),
        channel=row.groups.get("channel", ""),
        since=context.customer_messages_since_reply,
        repeat=context.repeat_contact,
        wait=context.wait_seconds,
        skipped=row.skipped,
    )


def _matches(found: Pair, expected: Pair) -> bool:
    opening_ok = (found.reply is None) if expected.reply is None else (found.reply or "").startswith(expected.reply)
    skip_ok = (found.skipped is None) if expected.skipped is None else expected.skipped in (found.skipped or "")
    same = {"reply": None, "skipped": None}
    return opening_ok and skip_ok and found.__dict__ | same == expected.__dict__ | same


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_public_agent_reply_is_paired_with_the_customer_messages_since_the_last(name):
    rows = [_pair(row) for row in open_source(EXPORTS / name).replies()]
    expected = EXPECTED[name]
    assert len(rows) == len(expected), [(r.ticket, r.reply_id, r.skipped) for r in rows]
    for found, wanted in zip(rows, expected):
        assert _matches(found, wanted), f"\nfound    {found}\nexpected {wanted}"


@pytest.mark.parametrize(("name", "desk"), [(name, name.split(".")[0]) for name in EXPECTED])
def test_the_help_desk_is_told_from_the_file(name, desk):
    assert detect_source(EXPORTS / name, Columns()) == desk


def test_rows_and_other_help_desks_are_told_apart(tmp_path):
    rows = tmp_path / "pairs.jsonl"
    rows.write_text(json.dumps({"reply": "Fixed now.", "customer": "Is it fixed?"}) + "\n", "utf-8")
    assert detect_source(rows, Columns()) == "jsonl"
    unknown = tmp_path / "mystery.json"
    unknown.write_text(json.dumps([{"subject": "hi", "messages": []}]), "utf-8")
    with pytest.raises(RowFileError, match="first object's keys: subject, messages"):
        detect_source(unknown, Columns())
    csv_rows = tmp_path / "pairs.csv"
    csv_rows.write_text("reply\nFixed now.\n", "utf-8")
    assert detect_source(csv_rows, Columns()) == "csv"
    with pytest.raises(RowFileError, match="not CSV"):
        open_source(csv_rows, "zendesk")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_ticket_is_accounted_for_in_the_results(tmp_path, analyzer, name):
    out = tmp_path / "results.jsonl"
    summary = scan_file(EXPORTS / name, analyzer, out=out)
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    expected = EXPECTED[name]
    assert len(records) == summary.rows == summary.analyzed + summary.skipped == len(expected)
    assert [r.get("reply_id") for r in records] == [pair.reply_id for pair in expected]
    if name.endswith(".jsonl"):
        assert all(r["line"] == r["row"] for r in records)  # one document a line
    else:
        assert all("line" not in r for r in records)  # a listing object is parsed without positions
    assert summary.analyzed == sum(pair.skipped is None for pair in expected)
    threads = summary.threads
    assert threads is not None and summary.source_kind == name.split(".")[0]
    readable_tickets = {pair.ticket for pair in expected if pair.agent or pair.team}
    assert threads.conversations == len(readable_tickets)
    assert threads.unreadable == sum(1 for pair in expected if not (pair.agent or pair.team))
    assert threads.without_reply == sum(pair.skipped == NO_REPLY for pair in expected)
    assert threads.messages["reply"] == sum(pair.agent != "" for pair in expected)
    analysed = [r for r in records if "result" in r]
    assert all(r["context"]["customer_messages_since_reply"] is not None for r in analysed)
    assert all(set(r["groups"]) == {"agent", "team", "channel"} for r in analysed)
    assert set(summary.groups) == {"agent", "team", "channel"}  # broken down with no column named


def test_the_same_tickets_as_json_lines_gzip_and_api_pairs_give_the_same_pairs(tmp_path):
    whole = json.loads((EXPORTS / "zendesk.json").read_text("utf-8"))
    expected = [_pair(row) for row in open_source(EXPORTS / "zendesk.json").replies()]
    # One ticket a line, as the Tickets and Ticket Comments APIs return them side by side, users on the first line.
    lines = [json.dumps({"users": whole["users"], "groups": whole["groups"]})]
    for ticket in whole["tickets"]:
        comments = ticket.pop("comments")
        lines.append(json.dumps({"ticket": ticket, "comments": comments}))
    path = tmp_path / "zendesk.jsonl.gz"
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8")))
    found = [_pair(row) for row in open_source(path).replies()]
    strip = lambda pairs: [p.__dict__ | {"skipped": (p.skipped or "")[-20:]} for p in pairs]  # noqa: E731
    assert strip(found) == strip(expected)


def test_a_conversation_exported_without_its_messages_is_an_error_row_not_a_silent_one(tmp_path):
    listed = {"type": "conversation.list", "conversations": [
        {"type": "conversation", "id": "77", "source": {"type": "email", "author": {"type": "user", "id": "u1"}, "body": "Hi"}},
    ]}
    path = tmp_path / "intercom.json"
    path.write_text(json.dumps(listed), "utf-8")
    [row] = open_source(path).replies()
    assert row.id == "77" and "'conversation_parts' is missing" in row.skipped


def test_a_json_export_streams_in_flat_memory(tmp_path):
    """Reading a whole-file export holds one ticket at a time: peak memory stays far below the file's size."""
    ticket = json.loads((EXPORTS / "zendesk.json").read_text("utf-8"))["tickets"][0]
    path = tmp_path / "big.json"
    count = 3000
    with path.open("w", encoding="utf-8") as handle:
        handle.write('{"tickets": [')
        handle.write(",".join(json.dumps({**ticket, "id": 1 + i}) for i in range(count)))
        handle.write('], "users": [{"id": 601, "name": "Priya Raman", "role": "agent"}]}')
    size = path.stat().st_size
    tracemalloc.start()
    try:
        replies = sum(1 for row in open_source(path).replies() if row.text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert replies == 2 * count
    assert peak < size / 5, f"peak {peak:,} bytes reading a {size:,}-byte export"


def test_a_broken_document_later_in_an_array_ends_the_scan_with_an_error_row_after_the_rest(tmp_path, analyzer):
    tickets = json.loads((EXPORTS / "freshdesk.json").read_text("utf-8"))["tickets"][:2]
    path = tmp_path / "freshdesk.json"
    path.write_text(json.dumps(tickets)[:-1] + ', {"id": 9, "conversations": [', "utf-8")
    export = JsonExport(path)
    documents = export.documents(HELP_DESKS["freshdesk"], Directory())
    assert [row.fields["id"] for row in (next(documents), next(documents))] == [2001, 2002]  # read before the end
    broken = next(documents)
    assert broken.fields is None and "not valid JSON" in broken.problem and "the rest of the file cannot be read" in broken.problem
    summary = scan_file(path, analyzer, out=tmp_path / "out.jsonl", source="freshdesk")
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    assert summary.analyzed > 0 and "not valid JSON" in records[-1]["skipped"]


@pytest.mark.parametrize(
    "text",
    [
        "This is the third time I'm asking.",
        "I already asked about this on Monday",
        "I've already explained this twice",
        "I have emailed you three times now",
        "How many times do I have to say it?",
        "Still no reply from anyone",
        "still waiting for an answer",
        "Nobody has replied to my ticket",
        "I haven't heard back since Friday",
        "As I mentioned before, the VPN drops.",
        "2nd email about the refund",
        "Following up on my previous message",
    ],
)
def test_customers_saying_they_asked_before_are_a_repeat_contact(text):
    assert says_repeat_contact(text)
    assert says_repeat_contact(text.upper().replace("'", "\u2019"))


@pytest.mark.parametrize(
    "text",
    [
        "Thanks once again for the quick help!",
        "It is the second monitor that flickers.",
        "I tried that already and it did not help.",
        "Can you send the invoice again?",
        "Waiting room music is too loud",
    ],
)
def test_ordinary_messages_are_not_a_repeat_contact(text):
    assert not says_repeat_contact(text)


def test_html_bodies_read_as_their_text():
    html = (
        "<div>Hi Sam,<br>Please <b>forget</b> the network &amp; reconnect.</div>"
        "<ul><li>Open Settings</li><li>Pick Wi&#8209;Fi</li></ul><style>p{color:red}</style>"
        '<div class="gmail_quote">On Tue, Alex wrote:<blockquote>It broke.</blockquote></div>'
    )
    assert html_to_text(html) == (
        "Hi Sam,\nPlease forget the network & reconnect.\n\n- Open Settings\n- Pick Wi\u2011Fi\n\n"
        "> On Tue, Alex wrote:\n>\n> It broke."
    )
    assert html_to_text("plain text <3 & more\nsecond line") == "plain text <3 & more\nsecond line"


def test_scan_command_reads_a_help_desk_export_with_no_column_named(tmp_path):
    out = tmp_path / "results.csv"
    result = runner.invoke(app, ["scan", str(EXPORTS / "intercom.jsonl"), "--out", str(out), "--format", "json", "--exit-zero"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["source_kind"] == "intercom" and summary["trend"]
    assert {group["value"] for group in summary["groups"]["agent"]} == {"Ana Souza", "Tom Becker", "admin 700001"}
    header = out.read_text("utf-8").splitlines()[0].split(",")
    assert header[:7] == ["row", "line", "id", "text_hash", "group_agent", "group_team", "group_channel"]
    assert {"reply_id", "customer_messages_since_reply", "repeat_contact", "wait_seconds"} <= set(header)
    only_agents = runner.invoke(app, ["scan", str(EXPORTS / "intercom.jsonl"), "--group-by", "agent", "--format", "json"])
    assert set(json.loads(only_agents.output)["groups"]) == {"agent"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--text-column", "body"], "--text-column: a zendesk export has no columns to name"),
        (["--group-by", "region"], "--group-by region: a zendesk export is broken down by agent, team, channel"),
        (["--source", "salesforce"], "unknown source 'salesforce'"),
    ],
)
def test_help_desk_usage_errors_exit_2_with_a_reason(args, message):
    result = runner.invoke(app, ["scan", str(EXPORTS / "zendesk.json"), *args])
    assert result.exit_code == 2 and message in result.output, result.output
