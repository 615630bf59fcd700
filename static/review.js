// Review page: select claims without reloading, save verdicts with fetch, add claims by
// selecting text, keyboard navigation. Everything here also works as plain links and forms.
"use strict";

(function () {
  const body = document.getElementById("article-body");
  const panel = document.getElementById("panel");
  const list = document.getElementById("claim-list");
  if (!body || !panel) return;
  const csrfToken = () => document.querySelector('meta[name="csrf-token"]').content;

  // ---- selecting a claim -------------------------------------------------------------
  function markSelected(claimId) {
    document.querySelectorAll("[data-claim].selected").forEach((el) => el.classList.remove("selected"));
    document.querySelectorAll(`[data-claim="${claimId}"]`).forEach((el) => el.classList.add("selected"));
  }

  // The panel of a claim: fetched now, or given (`html`: fetched ahead, see flow.js).
  async function selectClaim(claimId, href, push = true, html = null) {
    if (html === null) {
      const response = await fetch(`/claims/${claimId}/panel`, { headers: { Accept: "text/html" } });
      if (!response.ok) {
        window.location.href = href;
        return;
      }
      html = await response.text();
    }
    panel.innerHTML = html;
    markSelected(claimId);
    bindPanel();
    loadSimilar();
    if (push) history.pushState({ claim: claimId }, "", href);
    const item = list && list.querySelector(`a[data-claim="${claimId}"]`);
    if (item) item.scrollIntoView({ block: "nearest" });
    const mark = body.querySelector(`a[data-claim="${claimId}"]`);
    if (mark) mark.scrollIntoView({ block: "nearest" });
    document.dispatchEvent(new CustomEvent("review:panel", { detail: { claim: String(claimId) } }));
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-claim]");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    if (body.contains(link) && !window.getSelection().isCollapsed) return; // selecting text
    event.preventDefault();
    selectClaim(link.dataset.claim, link.href);
  });

  window.addEventListener("popstate", () => {
    const claim = new URL(window.location.href).searchParams.get("claim");
    if (claim) selectClaim(claim, window.location.href, false);
  });

  // Earlier checks of similar claims: loaded into the panel once it is shown (the link
  // stays for a page without JavaScript, or when the request fails).
  async function loadSimilar() {
    const section = panel.querySelector(".similar-claims[data-src]");
    if (!section) return;
    const claimId = panel.querySelector(".panel").dataset.claim;
    const response = await fetch(section.dataset.src, { headers: { Accept: "text/html" } });
    if (!response.ok) return;
    const html = await response.text();
    const current = panel.querySelector(".panel");
    if (!current || current.dataset.claim !== claimId) return; // another claim was opened
    const holder = document.createElement("div");
    holder.innerHTML = html;
    const list = holder.querySelector(".similar-list");
    const link = section.querySelector(".similar-link");
    if (list && link) link.replaceWith(list);
  }
  loadSimilar();

  // ---- the verdict panel ---------------------------------------------------------------
  function renumber(source, index) {
    source.dataset.index = index;
    source.querySelectorAll("[name]").forEach((field) => {
      field.name = field.name.replace(/^sources-\d+-/, `sources-${index}-`);
      if (field.id) field.id = field.id.replace(/^sources-\d+-/, `sources-${index}-`);
    });
  }

  function bindPanel() {
    const form = panel.querySelector("#verdict-form");
    if (!form) return;
    const addSource = form.querySelector(".add-source");
    addSource.hidden = false;
    addSource.addEventListener("click", () => {
      const sources = form.querySelectorAll(".source");
      const last = sources[sources.length - 1];
      const copy = last.cloneNode(true);
      copy.querySelectorAll("input, textarea").forEach((field) => (field.value = ""));
      copy.querySelectorAll("select").forEach((field) => (field.value = "context"));
      copy.querySelectorAll(".field-error").forEach((el) => el.remove());
      renumber(copy, sources.length);
      last.after(copy);
      copy.querySelector("input").focus();
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      // Only its buttons save it: Enter in a one-line field or on a rating never does (in a
      // trial it overwrote a saved verdict). Ctrl+Enter saves and goes on (flow.js).
      const by = event.submitter;
      if (!by || by.classList.contains("enter-guard")) return;
      saveVerdict(form, { next: by.value === "next" });
    });
    form.addEventListener("keydown", (event) => {
      const plain = !(event.ctrlKey || event.metaKey || event.altKey || event.shiftKey);
      if (plain && event.key === "Enter" && event.target.matches("input")) event.preventDefault();
    });
  }

  // The page's one live region (#review-status) says it; the form shows it by its buttons.
  const liveStatus = document.getElementById("review-status");
  function showStatus(form, text, failed) {
    const status = form && form.querySelector(".save-status");
    if (status) {
      status.textContent = text;
      status.classList.toggle("failed", Boolean(failed));
    }
    if (liveStatus) {
      liveStatus.textContent = text;
      liveStatus.classList.toggle("failed", Boolean(failed));
    }
  }

  function showConflict(form, current, message) {
    let box = panel.querySelector(".conflict");
    if (!box) {
      box = document.createElement("div");
      box.className = "conflict";
      box.setAttribute("role", "alert");
      form.before(box);
    }
    box.replaceChildren();
    const title = document.createElement("h3");
    title.textContent = "Changed elsewhere";
    const text = document.createElement("p");
    text.textContent = message;
    const saved = document.createElement("div");
    saved.className = "saved-version";
    const rating = document.createElement("p");
    const label = form.querySelector(`input[name="rating"][value="${CSS.escape(current.rating)}"]`);
    rating.textContent = `Saved verdict: ${label ? label.parentElement.textContent.trim() : current.rating}`;
    const rationale = document.createElement("pre");
    rationale.textContent = current.rationale;
    saved.append(rating, rationale);
    const sources = document.createElement("ul");
    (current.sources || []).forEach((s) => {
      const li = document.createElement("li");
      li.textContent = `${s.stance}: ${s.title || s.url} ${s.url}`;
      sources.append(li);
    });
    saved.append(sources);
    box.append(title, text, saved);
    form.querySelector('input[name="version"]').value = current.version;
  }

  // Save the verdict; with `next`, the caller (flow.js, on "review:saved") opens the next claim.
  let saving = false;
  async function saveVerdict(form, { next = false } = {}) {
    if (saving) return;
    saving = true;
    const buttons = form.querySelectorAll('button[type="submit"]');
    buttons.forEach((b) => (b.disabled = true));
    showStatus(form, "Saving…");
    form.querySelectorAll(".js-error").forEach((el) => el.remove());
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      });
      const data = await response.json().catch(() => ({ error: `The server answered ${response.status}.` }));
      if (response.ok) {
        form.querySelector('input[name="version"]').value = data.version;
        const box = panel.querySelector(".conflict");
        if (box) box.remove();
        showStatus(form, `Saved (version ${data.version}).`);
        const claimId = panel.querySelector(".panel").dataset.claim;
        const saved = new CustomEvent("review:saved", {
          detail: { claim: claimId, data, next, ack: performance.now() },
          cancelable: true,
        });
        // A listener that opens the next claim cancels the event: the others are not shown.
        if (!document.dispatchEvent(saved)) return;
        // Reveal the other reviewers' verdicts now that ours is in.
        const fresh = await fetch(`/claims/${claimId}/panel`, { headers: { Accept: "text/html" } });
        if (fresh.ok) {
          const holder = document.createElement("div");
          holder.innerHTML = await fresh.text();
          const others = holder.querySelector(".others");
          if (others) panel.querySelector(".others").replaceWith(others);
        }
      } else if (response.status === 409 && data.current) {
        showConflict(form, data.current, data.error);
        showStatus(form, "Not saved: changed elsewhere.", true);
      } else {
        showStatus(form, data.error || "Not saved.", true);
        Object.entries(data.fields || {}).forEach(([name, errors]) => {
          if (name === "sources") return;
          const field = form.querySelector(`[name="${CSS.escape(name)}"]`);
          if (!field) return;
          const small = document.createElement("small");
          small.className = "field-error js-error";
          small.textContent = [].concat(errors).join(" ");
          (field.closest("fieldset") || field.parentElement).append(small);
        });
        (data.fields && data.fields.sources || []).forEach((entry, index) => {
          Object.entries(entry || {}).forEach(([name, errors]) => {
            const field = form.querySelector(`[name="sources-${index}-${CSS.escape(name)}"]`);
            if (!field) return;
            const small = document.createElement("small");
            small.className = "field-error js-error";
            small.textContent = [].concat(errors).join(" ");
            field.parentElement.append(small);
          });
        });
      }
    } catch (error) {
      showStatus(form, "Not saved: the server could not be reached. Your text is still here.", true);
    } finally {
      saving = false;
      buttons.forEach((b) => (b.disabled = false));
    }
  }

  window.factcheckReview = { selectClaim, saveVerdict, showStatus };

  bindPanel();

  // ---- a refused form ----------------------------------------------------------------------
  // A form the server refused comes back with what was typed and its message beside the field
  // at fault (marked data-refused): bring the message into view, the cursor into the field.
  function showRefused() {
    const focused = panel.querySelector("[autofocus]");
    const refused =
      document.querySelector("[data-refused]") ||
      (focused && (focused.closest("label, fieldset") || focused));
    if (!refused) return;
    const error = refused.querySelector(".has-error, .form-error") || refused;
    const field =
      refused.querySelector("[autofocus]") ||
      error.querySelector("input:not([type=hidden]), textarea, select");
    error.scrollIntoView({ block: "center" });
    if (field) field.focus({ preventScroll: true });
  }
  showRefused();

  // ---- adding a claim by selecting text ---------------------------------------------------
  const addForm = document.getElementById("add-claim");
  const floating = document.createElement("button");
  floating.type = "button";
  floating.className = "primary add-selection";
  floating.textContent = "Add as claim";
  floating.hidden = true;
  document.body.append(floating);
  let pending = null;

  // Python string offsets count code points; JavaScript counts UTF-16 units.
  const codePoints = (text) => Array.from(text).length;

  function pointOffset(node, offset) {
    let element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    if (element === body) {
      const child = body.childNodes[offset];
      if (!child) return Number(body.dataset.length);
      return Number(child.dataset.start);
    }
    element = element.closest("[data-start]");
    if (!element || !body.contains(element)) return null;
    const start = Number(element.dataset.start);
    if (node.nodeType === Node.TEXT_NODE) return start + codePoints(node.data.slice(0, offset));
    return start + (offset > 0 ? codePoints(element.textContent) : 0);
  }

  document.addEventListener("mouseup", () => {
    setTimeout(() => {
      const selection = window.getSelection();
      if (selection.isCollapsed || !selection.rangeCount) {
        floating.hidden = true;
        return;
      }
      const range = selection.getRangeAt(0);
      if (!body.contains(range.startContainer) || !body.contains(range.endContainer)) return;
      const start = pointOffset(range.startContainer, range.startOffset);
      const end = pointOffset(range.endContainer, range.endOffset);
      if (start === null || end === null || end <= start) return;
      pending = { start, end, quote: selection.toString() };
      const rect = range.getBoundingClientRect();
      floating.style.position = "absolute";
      floating.style.left = `${window.scrollX + rect.left}px`;
      floating.style.top = `${window.scrollY + rect.bottom + 6}px`;
      floating.hidden = false;
    }, 0);
  });

  floating.addEventListener("mousedown", (event) => event.preventDefault());
  floating.addEventListener("click", async () => {
    if (!pending) return;
    const data = new FormData(addForm);
    data.set("quote", pending.quote);
    data.set("start", pending.start);
    data.set("end", pending.end);
    floating.disabled = true;
    const response = await fetch(addForm.action, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
    });
    const result = await response.json().catch(() => ({ error: "The server did not answer." }));
    floating.disabled = false;
    floating.hidden = true;
    if (response.ok) {
      const url = new URL(window.location.href);
      url.searchParams.set("claim", result.claim.id);
      url.hash = "panel";
      window.location.href = url.toString();
    } else {
      const flash = document.getElementById("flash");
      const p = document.createElement("p");
      p.className = "flash";
      p.textContent = result.error;
      flash.replaceChildren(p);
    }
  });
})();
