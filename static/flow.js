// Review page, the reviewer's flow: each claim marked with the user's state, j/k to the next
// claim to do, Save and next (Ctrl+Enter) with the next panel fetched ahead, rating keys 1..9,
// the "to do only" filter and the "?" list of keys. Uses review.js (window.factcheckReview).
"use strict";

(function () {
  const review = window.factcheckReview;
  const list = document.getElementById("claim-list");
  const panel = document.getElementById("panel");
  const page = document.querySelector(".review[data-article]");
  const help = document.getElementById("keys-help");
  if (!review || !list || !panel || !page) return;
  const articleId = page.dataset.article;
  const STATES = ["todo", "returned", "disputed", "done"];
  const LABELS = { todo: "to do", returned: "returned", disputed: "disputed", done: "done" };
  const TO_DO = new Set(["todo", "returned"]);
  // What the benchmark and tests read: per save and next, when the save was acknowledged
  // (`ack`), when the next claim's panel was in the page (`shown`) and painted (`painted`).
  window.factcheckTimings = [];

  // A field that takes text (keys typed there are text, not commands).
  const TEXT_FIELD =
    'textarea, select, [contenteditable], input:not([type=radio]):not([type=checkbox])' +
    ":not([type=button]):not([type=submit]):not([type=reset])";
  const inTextField = (el) => Boolean(el && el.closest && el.closest(TEXT_FIELD));

  const currentId = () => {
    const shown = panel.querySelector(".panel");
    return shown ? shown.dataset.claim : null;
  };
  const listLinks = () => Array.from(list.querySelectorAll("a[data-claim]"));
  const stateOf = (link) => STATES.find((s) => link.classList.contains(`is-${s}`)) || "todo";

  // ---- states -------------------------------------------------------------------------
  function mark(el, state) {
    if (el.classList.contains(`is-${state}`)) return;
    STATES.forEach((s) => el.classList.remove(`is-${s}`));
    el.classList.add(`is-${state}`);
    const badge = el.querySelector(".state");
    if (badge) {
      badge.className = `state state-${state}`;
      badge.textContent = LABELS[state];
    }
  }

  // One claim's marks (the one just saved).
  function markClaim(claimId, state) {
    if (!state) return;
    document.querySelectorAll(`a[data-claim="${CSS.escape(claimId)}"]`).forEach((el) => mark(el, state));
  }

  // The claims' states as the server gave them (after a save): one pass over the marks.
  function applyStates(states, counts) {
    if (states) {
      document.querySelectorAll("#claim-list a[data-claim], #article-body a[data-claim]").forEach((el) => {
        const state = states[el.dataset.claim];
        if (state) mark(el, state);
      });
    }
    Object.entries(counts || {}).forEach(([key, value]) => {
      const el = document.querySelector(`#state-counts [data-count="${key}"]`);
      if (el) el.textContent = value;
    });
  }

  // ---- the next claim to do -----------------------------------------------------------
  // The list's claims in the order they are done: check-worthy first, then reading order.
  function doingOrder() {
    return listLinks()
      .map((link, index) => ({ link, index, cw: link.classList.contains("cw") ? 1 : 0 }))
      .sort((a, b) => b.cw - a.cw || a.index - b.index)
      .map((entry) => entry.link);
  }

  // The next (step 1) or previous (step -1) claim to do in this article after `claimId`,
  // never `skip`; it wraps around; null when none is left.
  function todoLink(claimId, step, skip) {
    const order = doingOrder();
    const n = order.length;
    let at = order.findIndex((link) => link.dataset.claim === claimId);
    if (at === -1) at = step > 0 ? -1 : n;
    for (let k = 1; k <= n; k += 1) {
      const link = order[(((at + step * k) % n) + n) % n];
      if (link.dataset.claim !== skip && TO_DO.has(stateOf(link))) return link;
    }
    return null;
  }

  // Panels fetched ahead: claim id -> {at, promise of the HTML or null}.
  const ahead = new Map();
  const AHEAD_MS = 60_000;
  function fetchAhead(claimId) {
    const held = ahead.get(claimId);
    if (held && performance.now() - held.at < AHEAD_MS) return held.promise;
    const promise = fetch(`/claims/${claimId}/panel`, { headers: { Accept: "text/html" } })
      .then((response) => (response.ok ? response.text() : null))
      .catch(() => null);
    ahead.set(claimId, { at: performance.now(), promise });
    return promise;
  }

  // Fetch ahead the claim that Save and next would open from the shown one.
  function prepareNext() {
    const shown = currentId();
    if (!shown) return;
    const link = todoLink(shown, 1, shown);
    if (link) fetchAhead(link.dataset.claim);
  }

  function focusPanel() {
    const shown = panel.querySelector(".panel");
    if (shown) shown.focus({ preventScroll: true });
  }

  async function open(link, html = null) {
    ahead.delete(link.dataset.claim);
    await review.selectClaim(link.dataset.claim, link.href, true, html);
    focusPanel();
  }

  // The next claim to do in another article (the server knows the queue), or the end.
  async function leaveArticle(afterClaim) {
    const query = new URLSearchParams({ article: articleId });
    if (afterClaim) query.set("after", afterClaim);
    const response = await fetch(`/queue/next?${query}`, { headers: { Accept: "application/json" } });
    const data = response.ok ? await response.json() : null;
    if (!data || !data.claim) {
      review.showStatus(null, "Nothing left to do: every claim in your queue has your verdict.");
      return;
    }
    if (String(data.article_id) === articleId) {
      await review.selectClaim(String(data.claim), data.href);
      focusPanel();
      return;
    }
    review.showStatus(null, "This article is done: opening the next one in your queue…");
    window.location.href = data.href;
  }

  async function go(step) {
    const shown = currentId();
    const link = todoLink(shown, step, null);
    if (link && link.dataset.claim !== shown) return open(link);
    if (link) return; // the shown claim is the only one left to do here
    if (step > 0) return leaveArticle(shown);
    review.showStatus(null, "Nothing left to do in this article.");
  }

  // ---- save and next ------------------------------------------------------------------
  document.addEventListener("review:saved", async (event) => {
    const { claim, data, next, ack } = event.detail;
    ahead.delete(claim); // (its panel fetched ahead, if any, is out of date now)
    if (!next) {
      applyStates(data.states, data.counts);
      prepareNext();
      return;
    }
    event.preventDefault(); // (no need to show the others' verdicts: we move on)
    const link = todoLink(claim, 1, claim);
    if (!link) {
      applyStates(data.states, data.counts);
      await leaveArticle(claim);
      return;
    }
    // The next claim first, the other marks a frame later: the reviewer waits for the panel.
    markClaim(claim, data.states && data.states[claim]);
    applyStates(null, data.counts);
    const html = await fetchAhead(link.dataset.claim);
    await open(link, html);
    const shown = performance.now();
    requestAnimationFrame(() => setTimeout(() => applyStates(data.states, null), 0));
    const timing = { claim, next: link.dataset.claim, ack, shown, painted: null };
    window.factcheckTimings.push(timing);
    // (the frame after the one that painted it)
    requestAnimationFrame(() => setTimeout(() => (timing.painted = performance.now()), 0));
    review.showStatus(null, `Saved (version ${data.version}). Claim ${link.dataset.claim} is next.`);
  });

  document.addEventListener("review:panel", () => prepareNext());

  function saveAndNext() {
    const form = panel.querySelector("#verdict-form");
    if (form) review.saveVerdict(form, { next: true });
  }

  // ---- the "to do only" filter ------------------------------------------------------------
  const filter = document.getElementById("todo-filter");
  function toggleTodoOnly() {
    const on = !list.classList.contains("todo-only");
    list.classList.toggle("todo-only", on);
    if (filter) filter.setAttribute("aria-pressed", on ? "true" : "false");
    const url = new URL(window.location.href);
    if (on) url.searchParams.set("todo", "1");
    else url.searchParams.delete("todo");
    history.replaceState(history.state, "", url);
    review.showStatus(null, on ? "Showing only the claims to do." : "Showing all claims.");
  }
  if (filter) {
    filter.addEventListener("click", (event) => {
      event.preventDefault();
      toggleTodoOnly();
    });
    filter.addEventListener("keydown", (event) => {
      if (event.key !== " ") return;
      event.preventDefault();
      toggleTodoOnly();
    });
  }

  // ---- the list of keys -----------------------------------------------------------------
  const keysButton = document.getElementById("keys-button");
  function showHelp() {
    if (help && !help.open) help.showModal();
  }
  if (keysButton) keysButton.addEventListener("click", showHelp);

  // ---- keys -----------------------------------------------------------------------------
  function pickRating(number) {
    const radios = panel.querySelectorAll('#verdict-form input[name="rating"]');
    const radio = radios[number - 1];
    if (!radio) return false;
    radio.checked = true;
    radio.dispatchEvent(new Event("change", { bubbles: true }));
    const label = radio.parentElement.querySelector("span");
    review.showStatus(null, `Rating: ${label ? label.textContent : radio.value}.`);
    return true;
  }

  document.addEventListener("keydown", (event) => {
    if (help && help.open) return; // (the dialog has the keys: Esc closes it)
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.altKey) {
      if (!panel.querySelector("#verdict-form")) return;
      // (in another form, e.g. a comment, Ctrl+Enter is that form's)
      const form = event.target.closest && event.target.closest("form");
      if (form && form.id !== "verdict-form") return;
      if (event.defaultPrevented) return;
      event.preventDefault();
      saveAndNext();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (inTextField(event.target)) return;
    if (event.key === "?") {
      event.preventDefault();
      showHelp();
    } else if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      go(event.key === "j" ? 1 : -1);
    } else if (event.key === "t") {
      event.preventDefault();
      toggleTodoOnly();
    } else if (/^[1-9]$/.test(event.key)) {
      if (pickRating(Number(event.key))) event.preventDefault();
    }
  });

  // The "Next to do" link: the same as j.
  const nextLink = document.getElementById("next-todo");
  if (nextLink) {
    nextLink.addEventListener("click", (event) => {
      event.preventDefault();
      go(1);
    });
  }

  prepareNext();
})();
