// The claim panel's cited sources (templates/review/_evidence.html): their archive states are
// reloaded while any is still being archived or checked, and again shortly after a verdict is
// saved; the source address and title fields suggest earlier sources of the library as the
// reviewer types. Works on whatever panel is shown (review.js replaces it on navigation).
(function () {
  "use strict";
  let timer = null;
  let tries = 0;

  async function refresh() {
    const section = document.querySelector("#evidence[data-src]");
    if (!section) return;
    try {
      const response = await fetch(section.dataset.src, { headers: { Accept: "text/html" } });
      if (!response.ok) return;
      const holder = document.createElement("div");
      holder.innerHTML = await response.text();
      const fresh = holder.querySelector("#evidence");
      const current = document.querySelector("#evidence[data-src]");
      if (fresh && current && current.dataset.src === section.dataset.src) current.replaceWith(fresh);
    } catch (error) {
      /* the next round tries again */
    }
  }

  // While something is waiting: every 2 s for a minute, then every 10 s.
  function schedule() {
    if (timer) return;
    timer = setTimeout(async () => {
      timer = null;
      const section = document.querySelector("#evidence[data-waiting]");
      if (!section) { tries = 0; return; }
      tries += 1;
      await refresh();
      schedule();
    }, tries < 30 ? 2000 : 10000);
  }

  // A save (review.js sends it with fetch): look again once it has had time to land.
  document.addEventListener("submit", (event) => {
    if (!event.target.matches || !event.target.matches("#verdict-form")) return;
    tries = 0;
    setTimeout(async () => { await refresh(); schedule(); }, 700);
  }, true);

  new MutationObserver(() => {
    if (document.querySelector("#evidence[data-waiting]")) schedule();
  }).observe(document.body, { childList: true, subtree: true });
  if (document.querySelector("#evidence[data-waiting]")) schedule();

  // ---- suggestions of earlier sources -------------------------------------------------------
  const list = document.createElement("datalist");
  list.id = "earlier-sources";
  document.body.append(list);
  const found = new Map();
  let asked = "";
  let pending = null;

  function sourceFields(input) {
    const box = input.closest(".source");
    if (!box) return {};
    const field = (name) => box.querySelector(`[name$="-${name}"]`);
    return { url: field("url"), title: field("title"), publisher: field("publisher") };
  }

  async function suggest(text) {
    if (text.length < 2 || text === asked) return;
    asked = text;
    try {
      const response = await fetch(`/sources/suggest?q=${encodeURIComponent(text)}`, {
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return;
      const data = await response.json();
      list.replaceChildren();
      (data.sources || []).forEach((s) => {
        found.set(s.url, s);
        const option = document.createElement("option");
        option.value = s.url;
        option.label = `${s.title || s.url}${s.publisher ? " · " + s.publisher : ""} (cited ${s.citations}×)`;
        list.append(option);
      });
    } catch (error) {
      /* no suggestions this time */
    }
  }

  document.addEventListener("input", (event) => {
    const input = event.target;
    if (!input.matches || !input.matches('.source input[name$="-url"], .source input[name$="-title"]')) return;
    const fields = sourceFields(input);
    if (fields.url) fields.url.setAttribute("list", "earlier-sources");
    const chosen = input === fields.url && found.get(input.value);
    if (chosen) {
      // An earlier source picked: fill in what the reviewer has not typed.
      if (fields.title && !fields.title.value) fields.title.value = chosen.title || "";
      if (fields.publisher && !fields.publisher.value) fields.publisher.value = chosen.publisher || "";
      return;
    }
    clearTimeout(pending);
    pending = setTimeout(() => suggest(input.value.trim()), 200);
  });
})();
