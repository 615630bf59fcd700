// A claim's discussion (templates/review/_discussion.html) without reloading the page: a
// comment or a hand-back is posted with fetch, so a verdict being written in the panel is
// kept; the thread is reloaded once the user's verdict is saved (blind review shows the
// other reviewers' comments then). Everything here also works as plain forms.
"use strict";

(function () {
  const csrfToken = () => document.querySelector('meta[name="csrf-token"]').content;

  async function reloadThread(section, focusNew) {
    const response = await fetch(section.dataset.src, { headers: { Accept: "text/html" } });
    if (!response.ok) return null;
    const holder = document.createElement("div");
    holder.innerHTML = await response.text();
    const fresh = holder.querySelector(".discussion");
    if (!fresh || !section.isConnected) return null;
    section.replaceWith(fresh);
    if (focusNew) {
      const last = fresh.querySelector(".comments li:last-child");
      if (last) last.scrollIntoView({ block: "nearest" });
    }
    return fresh;
  }

  // A returned verdict no longer counts: the panel's agreement line changes with it.
  async function reloadAgreement(section) {
    const panel = section.closest(".panel");
    if (!panel) return;
    const response = await fetch(`/claims/${panel.dataset.claim}/panel`, { headers: { Accept: "text/html" } });
    if (!response.ok) return;
    const holder = document.createElement("div");
    holder.innerHTML = await response.text();
    const fresh = holder.querySelector(".agreement-line");
    const old = panel.querySelector(".agreement-line");
    if (old && fresh) old.replaceWith(fresh);
    else if (old) old.remove();
    else if (fresh) {
      const others = panel.querySelector(".others");
      if (others) others.before(fresh);
    }
  }

  function showError(form, message) {
    const field = form.querySelector("textarea[name=body]");
    let small = form.querySelector(".js-error");
    if (!small) {
      small = document.createElement("small");
      small.className = "field-error js-error";
      small.setAttribute("role", "alert");
      small.id = `${form.className.split(" ").pop()}-js-error`;
      field.after(small);
    }
    small.textContent = message;
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", small.id);
    field.focus();
  }

  async function post(form) {
    const section = form.closest(".discussion");
    const button = form.querySelector('button[type="submit"]');
    const status = form.querySelector(".comment-status");
    button.disabled = true;
    if (status) status.textContent = "Posting…";
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      });
      const data = await response.json().catch(() => ({ error: `The server answered ${response.status}.` }));
      if (!response.ok) {
        showError(form, data.error || "Not posted.");
        if (status) status.textContent = "";
        return;
      }
      if (form.classList.contains("return-form")) await reloadAgreement(section);
      const fresh = await reloadThread(section, true);
      if (fresh) {
        const note = fresh.querySelector(".comment-status");
        const told = data.mentioned && data.mentioned.length ? ` Told: ${data.mentioned.join(", ")}.` : "";
        const text = (form.classList.contains("return-form") ? "Verdict returned." : "Comment posted.") + told;
        if (note) note.textContent = text;
        // (said once, by the page's one live region)
        if (window.factcheckReview) window.factcheckReview.showStatus(null, text);
      } else {
        window.location.reload();
      }
    } catch (error) {
      showError(form, "Not posted: the server could not be reached. Your text is still here.");
    } finally {
      button.disabled = false;
    }
  }

  document.addEventListener("submit", (event) => {
    const form = event.target.closest(".discussion form");
    if (!form || !window.fetch) return;
    event.preventDefault();
    post(form);
  });

  // Ctrl+Enter (or Cmd+Enter) in a comment posts it, and only it (not the verdict form: this
  // listener on the window's capture phase runs before the page's own keys).
  window.addEventListener(
    "keydown",
    (event) => {
      const field = event.target.closest && event.target.closest(".discussion textarea");
      if (!field || event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      field.form.requestSubmit();
    },
    true,
  );

  // Once the user's verdict is saved (review.js says so), the thread may show more.
  document.addEventListener("review:saved", (event) => {
    if (event.defaultPrevented) return; // (Save and next: flow.js opens the next claim instead)
    const section = document.querySelector(".discussion[data-src]");
    if (section) reloadThread(section, false);
  });
})();
