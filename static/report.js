// Printable report: a print button (the page prints cleanly without it too).
"use strict";
document.querySelectorAll(".print-button").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
