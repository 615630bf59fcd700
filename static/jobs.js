// Follows a background job's page (an import from a web address, a bulk import): asks for its
// JSON every second while it runs, updates the status line, and reloads the page when the
// job's state changes (the server then shows the article, the error or the finished batch).
(function () {
  "use strict";
  var box = document.querySelector("[data-poll]");
  if (!box) return;
  var running = ["queued", "fetching", "extracting", "running"];
  if (running.indexOf(box.getAttribute("data-state")) < 0) return;
  var message = box.querySelector(".job-message");
  var bar = box.querySelector("progress");
  var counts = box.querySelector(".job-counts");
  function poll() {
    fetch(box.getAttribute("data-poll"), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        if (data.state !== box.getAttribute("data-state")) {
          window.location.reload();
          return;
        }
        if (message && data.message) message.textContent = data.message;
        if (bar && typeof data.finished === "number") {
          bar.max = data.total || 1;
          bar.value = data.finished;
        }
        if (counts && data.counts_text) counts.textContent = data.counts_text;
        (data.articles || []).forEach(function (article) {
          var cell = document.querySelector(
            'tr[data-article-id="' + Number(article.id) + '"] .article-claims'
          );
          if (cell && !article.extraction) cell.textContent = String(article.claims);
        });
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 3000);
      });
  }
  window.setTimeout(poll, 700);
})();
