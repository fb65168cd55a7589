// The draft page: asks the toneguard service about the draft as the agent types, marks the problem
// spans behind the textarea, and explains and fixes them on hover, when the cursor is in one, or when
// Alt+Down / Alt+Up selects one.
"use strict";

(() => {
  const DEBOUNCE_MS = 250;
  const CARD_HIDE_DELAY_MS = 400;
  const LABELS = { dismissive: "Dismissive", clipped: "Clipped", technical: "Technical" };
  // Checks whose findings are about a whole sentence or the whole reply rather than some words: a word's
  // card shows the word's own problems, and such a finding only where nothing narrower covers the text.
  const SENTENCE_WIDE_CHECKS = new Set(["sentiment", "readability", "brevity", "context"]);

  const $ = (id) => document.getElementById(id);
  const draft = $("draft");
  const customer = $("customer");
  const editor = $("editor");
  const highlights = $("highlights");
  const card = $("card");
  const announcer = $("announce");
  const findingsList = $("findings");
  const applyAll = $("apply-all");
  const status = $("status");

  let report = null; // the latest answer; its findings index into report.reply, not always the draft
  let segments = []; // [{start, end, findings, mark}] covering report.reply
  let textEnd = null; // the text node after the draft's last character, where its last line ends
  let selected = null; // index into report.findings of the finding chosen from the keyboard or the list
  let ruleChecks = new Map(); // rule id -> its check kind, from v1/rules
  let spoken = ""; // the key of what the live region last said about the cursor
  let debounce = 0;
  let inflight = null;
  let hideTimer = 0;
  let token = sessionStorage.getItem("toneguard-token") || "";

  // ---- talking to the service

  function scheduleCheck() {
    clearTimeout(debounce);
    debounce = setTimeout(check, DEBOUNCE_MS);
  }

  function authHeaders() {
    return token ? { Authorization: `Bearer ${token}` } : {};
  }

  async function check() {
    const reply = draft.value;
    if (inflight) inflight.abort();
    if (!reply.trim()) {
      show(null);
      setStatus("");
      return;
    }
    const controller = (inflight = new AbortController());
    try {
      const response = await fetch("v1/analyze", {
        method: "POST",
        headers: { "Content-Type": "application/json", ...authHeaders() },
        body: JSON.stringify({ reply, customer: customer.value.trim() ? customer.value : null }),
        signal: controller.signal,
      });
      if (response.status === 401) {
        $("token-panel").hidden = false;
        setStatus("The service needs an access token.", true);
        return;
      }
      const body = await response.json();
      if (!response.ok) {
        setStatus(body.detail || `The service answered ${response.status}.`, true);
        return;
      }
      // An answer about older text would put the marks in the wrong places.
      if (body.reply === draft.value) {
        show(body);
        setStatus(body.notes.length ? body.notes.join(" ") : "Up to date.");
      }
    } catch (error) {
      if (error.name !== "AbortError") setStatus("Cannot reach the toneguard service.", true);
    }
  }

  /** Which check each rule runs, so sentence-wide findings can be told from word-level ones. */
  async function loadRuleChecks() {
    try {
      const response = await fetch("v1/rules", { headers: authHeaders() });
      if (response.ok) ruleChecks = new Map((await response.json()).map((rule) => [rule.id, rule.check]));
    } catch (error) {
      // Without them every finding counts as word-level: the cards still work.
    }
  }

  function setStatus(text, isError = false) {
    status.textContent = text;
    status.classList.toggle("error", isError);
  }

  // ---- showing a report

  function show(newReport) {
    report = newReport;
    selected = null;
    findingsList.classList.remove("stale");
    hideCard();
    renderHighlights();
    renderFindings();
    renderMeters();
    applyAll.disabled = !report || report.rewrite === report.reply;
  }

  function renderMeters() {
    const score = report && report.metrics.words ? report.score : null;
    $("score").textContent = score === null ? "–" : score;
    $("score-meter").dataset.band = score === null ? "none" : score >= 80 ? "good" : score >= 50 ? "fair" : "poor";
    const grade = report ? report.metrics.flesch_kincaid_grade : null;
    $("grade").textContent = grade === null ? "–" : Math.max(0, grade).toFixed(1);
  }

  function splitIntoSegments(text, findings) {
    const cuts = new Set([0, text.length]);
    for (const f of findings) cuts.add(f.start).add(f.end);
    const points = [...cuts].sort((a, b) => a - b);
    const result = [];
    for (let i = 0; i < points.length - 1; i++) {
      const [start, end] = [points[i], points[i + 1]];
      result.push({ start, end, findings: findings.filter((f) => f.start <= start && f.end >= end), mark: null });
    }
    return result;
  }

  function renderHighlights() {
    highlights.replaceChildren();
    segments = [];
    const text = draft.value;
    if (isFresh()) {
      segments = splitIntoSegments(text, report.findings);
      for (const segment of segments) {
        const piece = text.slice(segment.start, segment.end);
        if (!segment.findings.length) {
          highlights.append(piece);
          continue;
        }
        const mark = document.createElement("mark");
        // Every category present is a class; style.css decides how overlapping ones look.
        mark.className = [...new Set(segment.findings.map((f) => `cat-${f.category}`))].join(" ");
        mark.dataset.rules = segment.findings.map((f) => f.rule_id).join(" ");
        mark.textContent = piece;
        segment.mark = mark;
        highlights.append(mark);
      }
    } else {
      highlights.append(text);
    }
    // A trailing newline takes no height in a div but does in the textarea.
    textEnd = document.createTextNode("\u200b");
    highlights.append(textEnd);
    fitEditor();
  }

  function fitEditor() {
    draft.style.height = "auto";
    draft.style.height = `${draft.scrollHeight + 2}px`;
  }

  function renderFindings() {
    findingsList.replaceChildren();
    const findings = report ? report.findings : [];
    $("count").textContent = findings.length ? `(${findings.length})` : "";
    $("empty").textContent = !report ? "Nothing to show yet." : findings.length ? "" : "No problems found. Nice reply.";
    $("empty").hidden = findings.length > 0;
    findings.forEach((finding, index) => {
      const item = document.createElement("li");
      item.append(describe(finding));
      const show = button("Show in draft", () => selectFinding(index), "quiet");
      item.querySelector(".buttons").prepend(show);
      item.addEventListener("mouseenter", () => markActive([finding]));
      item.addEventListener("focusin", () => markActive([finding]));
      item.addEventListener("mouseleave", () => markActive([]));
      findingsList.append(item);
    });
  }

  /** The category, span, reason, advice and fix of one finding: shared by the card and the list. */
  function describe(finding) {
    const box = document.createElement("div");
    box.className = "finding";
    const head = document.createElement("div");
    head.className = "finding-head";
    const chip = element("span", `chip cat-${finding.category}`, LABELS[finding.category]);
    const quote = element("span", "quote", `“${finding.text.trim()}”`);
    head.append(chip, quote, element("span", "rule-id", finding.rule_id));
    const reason = element("p", "reason", finding.message);
    const advice = document.createElement("ul");
    advice.className = "advice";
    for (const suggestion of finding.suggestions) {
      if (!isTheReplacement(finding, suggestion)) advice.append(element("li", "", suggestion));
    }
    const buttons = element("div", "buttons", "");
    if (finding.replacement !== null) {
      const apply = button(`Replace with “${finding.replacement}”`, () => applyFix(finding), "apply");
      apply.dataset.rule = finding.rule_id;
      buttons.append(apply);
    }
    box.append(head, reason);
    if (advice.children.length) box.append(advice);
    box.append(buttons);
    return box;
  }

  function isTheReplacement(finding, suggestion) {
    return finding.replacement !== null && suggestion.toLowerCase() === finding.replacement.toLowerCase();
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function button(label, onClick, className) {
    const node = element("button", className, label);
    node.type = "button";
    node.addEventListener("click", onClick);
    return node;
  }

  // ---- the card: details of the problems under the pointer, at the cursor, or selected

  function isSentenceWide(finding) {
    return SENTENCE_WIDE_CHECKS.has(ruleChecks.get(finding.rule_id));
  }

  /** The findings a segment's card explains: its word-level ones, most specific first. */
  function cardFindings(segment) {
    const words = segment.findings.filter((f) => !isSentenceWide(f));
    // A sentence-wide finding still shows where it covers exactly what a word-level one does ("No.").
    const shown = words.length
      ? segment.findings.filter((f) => words.includes(f) || words.some((w) => w.start === f.start && w.end === f.end))
      : segment.findings;
    return [...shown].sort((a, b) => a.end - a.start - (b.end - b.start));
  }

  /**
   * Shows the card for these findings under the draft's last line, so it covers none of the text,
   * lined up with the anchor mark. `position` is the selected finding's place in the report, if any.
   */
  function cardKey(findings, position) {
    return findings.map((f) => `${f.rule_id}@${f.start}-${f.end}`).join(",") + (position === null ? "" : `#${position}`);
  }

  function showCard(findings, anchor, position = null) {
    clearTimeout(hideTimer);
    const key = cardKey(findings, position);
    if (card.hidden || card.dataset.key !== key) {
      const parts = findings.map(describe);
      if (position !== null) {
        parts.unshift(element("p", "card-position", `Problem ${position + 1} of ${report.findings.length} · Alt+↓ next, Alt+↑ previous`));
      }
      card.replaceChildren(...parts);
      card.dataset.key = key;
      card.hidden = false;
    }
    markActive(findings.slice(0, 1));
    const box = editor.getBoundingClientRect();
    const first = anchor.getClientRects()[0] || anchor.getBoundingClientRect();
    const left = Math.min(Math.max(0, first.left - box.left), Math.max(0, box.width - card.offsetWidth));
    card.style.left = `${left}px`;
    card.style.top = `${lastLineBottom() - box.top + 6}px`;
  }

  function lastLineBottom() {
    const range = document.createRange();
    range.selectNodeContents(textEnd);
    const rects = range.getClientRects();
    return rects.length ? rects[rects.length - 1].bottom : highlights.getBoundingClientRect().bottom;
  }

  function hideCard() {
    clearTimeout(hideTimer);
    card.hidden = true;
    card.dataset.key = "";
    markActive([]);
  }

  function hideCardSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(() => {
      if (card.contains(document.activeElement) || card.matches(":hover")) return;
      // Back to what the cursor points at, if the agent is in the draft.
      if (document.activeElement === draft) showCursorCard();
      else hideCard();
    }, CARD_HIDE_DELAY_MS);
  }

  function markActive(findings) {
    for (const segment of segments) {
      if (segment.mark) segment.mark.classList.toggle("active", segment.findings.some((f) => findings.includes(f)));
    }
  }

  /** Says what the card now shows, for screen readers (the card itself is not a live region). */
  function announce(findings, position) {
    const where = position === null ? "" : `Problem ${position + 1} of ${report.findings.length}. `;
    const said = findings.map((f) => {
      const fix = f.replacement === null ? "" : ` Tab reaches “Replace with ${f.replacement}”.`;
      return `${LABELS[f.category]}, ${f.rule_id}: “${f.text.trim()}”. ${f.message}${fix}`;
    });
    announcer.textContent = where + said.join(" ");
  }

  function segmentAtPoint(x, y) {
    return segments.find(
      (s) => s.mark && [...s.mark.getClientRects()].some((r) => x >= r.left && x <= r.right && y >= r.top && y <= r.bottom),
    );
  }

  function firstMarkOf(finding) {
    const segment = segments.find((s) => s.mark && s.findings.includes(finding));
    return segment ? segment.mark : highlights;
  }

  /** What the cursor or selection points at: a whole finding selected, or the segment the cursor is in. */
  function atCursor() {
    if (!isFresh()) return null;
    const { selectionStart: start, selectionEnd: end } = draft;
    if (start !== end) {
      const findings = report.findings;
      const chosen = selected !== null && findings[selected].start === start && findings[selected].end === end;
      const index = chosen ? selected : findings.findIndex((f) => f.start === start && f.end === end);
      if (index >= 0) return { findings: [findings[index]], anchor: firstMarkOf(findings[index]), position: index };
    }
    // A cursor right after a span still counts, so a double-clicked word shows its card.
    const segment = segments.find((s) => s.mark && s.start <= start && end <= s.end && (start < s.end || start === end));
    return segment ? { findings: cardFindings(segment), anchor: segment.mark, position: null } : null;
  }

  /** The card for the cursor, or none; said aloud when the cursor reaches other problems. */
  function showCursorCard() {
    const found = atCursor();
    selected = found ? found.position : null;
    if (!found) {
      hideCard();
      spoken = "";
      return;
    }
    showCard(found.findings, found.anchor, found.position);
    const key = cardKey(found.findings, found.position);
    if (key !== spoken && document.activeElement === draft) {
      spoken = key;
      announce(found.findings, found.position);
    }
  }

  function followCursor() {
    if (document.activeElement === draft && !card.matches(":hover")) showCursorCard();
  }

  // ---- fixing the draft

  function isFresh() {
    return report !== null && report.reply === draft.value;
  }

  /** Replaces text through the editing commands, so the agent can undo it with Ctrl+Z. */
  function replaceText(start, end, text) {
    draft.focus();
    draft.setSelectionRange(start, end);
    if (!document.execCommand("insertText", false, text)) {
      draft.setRangeText(text, start, end, "end");
      draft.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  function applyFix(finding) {
    if (!isFresh()) return;
    hideCard();
    replaceText(finding.start, finding.end, finding.replacement);
  }

  function selectFinding(index) {
    const finding = report.findings[index];
    selected = index;
    draft.focus();
    draft.setSelectionRange(finding.start, finding.end);
    showCursorCard();
    announce([finding], index); // even when the cursor was there already: the agent asked
    card.scrollIntoView({ block: "nearest" });
  }

  /**
   * The next (direction 1) or previous (-1) finding in the report's order, from the selected one or
   * from the cursor: overlapping findings and findings that share a span are each a stop of their own.
   */
  function jump(direction) {
    if (!isFresh()) return;
    const findings = report.findings;
    if (!findings.length) {
      announcer.textContent = "No problems in this draft.";
      return;
    }
    const here = atCursor();
    const count = findings.length;
    let index;
    if (here && here.position !== null) {
      index = (here.position + direction + count) % count;
    } else if (direction > 0) {
      index = findings.findIndex((f) => f.start >= draft.selectionStart);
      if (index < 0) index = 0;
    } else {
      index = findings.map((f) => f.start < draft.selectionStart).lastIndexOf(true);
      if (index < 0) index = count - 1;
    }
    selectFinding(index);
  }

  // ---- wiring

  draft.addEventListener("input", () => {
    hideCard();
    selected = null;
    renderHighlights(); // marks from the last answer would point at the wrong words now
    applyAll.disabled = true;
    findingsList.classList.add("stale");
    setStatus("Checking…");
    scheduleCheck();
  });
  customer.addEventListener("input", scheduleCheck);
  draft.addEventListener("mousemove", (event) => {
    const segment = segmentAtPoint(event.clientX, event.clientY);
    if (segment) showCard(cardFindings(segment), segment.mark);
    else hideCardSoon();
  });
  draft.addEventListener("mouseleave", hideCardSoon);
  card.addEventListener("mouseenter", () => clearTimeout(hideTimer));
  card.addEventListener("mouseleave", hideCardSoon);
  card.addEventListener("focusout", (event) => {
    if (!card.contains(event.relatedTarget) && event.relatedTarget !== draft) hideCard();
  });
  document.addEventListener("selectionchange", followCursor);
  draft.addEventListener("keydown", (event) => {
    if (event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      jump(event.key === "ArrowDown" ? 1 : -1);
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !card.hidden) {
      const wasInCard = card.contains(document.activeElement);
      hideCard();
      if (wasInCard) draft.focus();
    }
  });
  applyAll.addEventListener("click", () => {
    if (isFresh()) replaceText(0, draft.value.length, report.rewrite);
  });
  $("token-save").addEventListener("click", () => {
    token = $("token").value.trim();
    sessionStorage.setItem("toneguard-token", token);
    $("token-panel").hidden = true;
    loadRuleChecks();
    check();
  });
  window.addEventListener("resize", () => {
    fitEditor();
    hideCard();
  });

  fitEditor();
  loadRuleChecks();
  if (draft.value.trim()) scheduleCheck();
})();
