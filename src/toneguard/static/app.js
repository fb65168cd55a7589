// The draft page: asks the toneguard service about the draft as the agent types, marks the problem
// spans behind the textarea, and explains and fixes them on hover or when the cursor is in one.
"use strict";

(() => {
  const DEBOUNCE_MS = 250;
  const CARD_HIDE_DELAY_MS = 200;
  const LABELS = { dismissive: "Dismissive", clipped: "Clipped", technical: "Technical" };

  const $ = (id) => document.getElementById(id);
  const draft = $("draft");
  const customer = $("customer");
  const editor = $("editor");
  const highlights = $("highlights");
  const card = $("card");
  const findingsList = $("findings");
  const applyAll = $("apply-all");
  const status = $("status");

  let report = null; // the latest answer; its findings index into report.reply, not always the draft
  let segments = []; // [{start, end, findings, mark}] covering report.reply
  let debounce = 0;
  let inflight = null;
  let hideTimer = 0;
  let token = sessionStorage.getItem("toneguard-token") || "";

  // ---- talking to the service

  function scheduleCheck() {
    clearTimeout(debounce);
    debounce = setTimeout(check, DEBOUNCE_MS);
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
      const headers = { "Content-Type": "application/json" };
      if (token) headers.Authorization = `Bearer ${token}`;
      const response = await fetch("v1/analyze", {
        method: "POST",
        headers,
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

  function setStatus(text, isError = false) {
    status.textContent = text;
    status.classList.toggle("error", isError);
  }

  // ---- showing a report

  function show(newReport) {
    report = newReport;
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
    highlights.append("\u200b");
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
    for (const finding of findings) {
      const item = document.createElement("li");
      item.append(describe(finding));
      const show = button("Show in draft", () => selectFinding(finding), "quiet");
      item.querySelector(".buttons").prepend(show);
      item.addEventListener("mouseenter", () => markActive([finding]));
      item.addEventListener("focusin", () => markActive([finding]));
      item.addEventListener("mouseleave", () => markActive([]));
      findingsList.append(item);
    }
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
      const isTheReplacement = finding.replacement !== null && suggestion.toLowerCase() === finding.replacement.toLowerCase();
      if (!isTheReplacement) advice.append(element("li", "", suggestion));
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

  // ---- the card: details of the problems under the pointer or the cursor

  function showCard(covering, anchor) {
    clearTimeout(hideTimer);
    const findings = [...covering].sort((a, b) => a.end - a.start - (b.end - b.start)); // most specific first
    const key = findings.map((f) => `${f.rule_id}@${f.start}`).join(",");
    if (card.hidden || card.dataset.key !== key) {
      card.replaceChildren(...findings.map(describe));
      card.dataset.key = key;
      card.hidden = false;
    }
    markActive(findings.slice(0, 1));
    const box = editor.getBoundingClientRect();
    const rects = anchor.getClientRects();
    const last = rects[rects.length - 1] || anchor.getBoundingClientRect();
    const left = Math.min(Math.max(0, last.left - box.left), Math.max(0, box.width - card.offsetWidth));
    card.style.left = `${left}px`;
    card.style.top = `${last.bottom - box.top + 6}px`;
  }

  function hideCard() {
    card.hidden = true;
    card.dataset.key = "";
    markActive([]);
  }

  function hideCardSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(() => {
      if (!card.contains(document.activeElement) && !card.matches(":hover")) hideCard();
    }, CARD_HIDE_DELAY_MS);
  }

  function markActive(findings) {
    for (const segment of segments) {
      if (segment.mark) segment.mark.classList.toggle("active", segment.findings.some((f) => findings.includes(f)));
    }
  }

  function segmentAtPoint(x, y) {
    return segments.find(
      (s) => s.mark && [...s.mark.getClientRects()].some((r) => x >= r.left && x <= r.right && y >= r.top && y <= r.bottom),
    );
  }

  function segmentAtCursor() {
    if (!isFresh()) return undefined;
    const { selectionStart: start, selectionEnd: end } = draft;
    // A cursor right after a span still counts, so a double-clicked word shows its card.
    return segments.find((s) => s.mark && s.start <= start && end <= s.end && (start < s.end || start === end));
  }

  function followCursor() {
    if (document.activeElement !== draft) return;
    const segment = segmentAtCursor();
    if (segment) showCard(segment.findings, segment.mark);
    else if (!card.matches(":hover")) hideCard();
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

  function selectFinding(finding) {
    draft.focus();
    draft.setSelectionRange(finding.start, finding.end);
    followCursor();
  }

  function jump(direction) {
    if (!isFresh() || !report.findings.length) return;
    const here = draft.selectionStart;
    const starts = [...new Set(report.findings.map((f) => f.start))].sort((a, b) => a - b);
    const next =
      direction > 0
        ? starts.find((s) => s > here) ?? starts[0]
        : [...starts].reverse().find((s) => s < here) ?? starts[starts.length - 1];
    selectFinding(report.findings.find((f) => f.start === next));
  }

  // ---- wiring

  draft.addEventListener("input", () => {
    hideCard();
    renderHighlights(); // marks from the last answer would point at the wrong words now
    applyAll.disabled = true;
    findingsList.classList.add("stale");
    setStatus("Checking…");
    scheduleCheck();
  });
  customer.addEventListener("input", scheduleCheck);
  draft.addEventListener("mousemove", (event) => {
    const segment = segmentAtPoint(event.clientX, event.clientY);
    if (segment) showCard(segment.findings, segment.mark);
    else if (!segmentAtCursor()) hideCardSoon();
  });
  draft.addEventListener("mouseleave", () => {
    if (!segmentAtCursor()) hideCardSoon();
  });
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
    check();
  });
  window.addEventListener("resize", () => {
    fitEditor();
    hideCard();
  });

  fitEditor();
  if (draft.value.trim()) scheduleCheck();
})();
