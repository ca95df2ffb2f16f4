// The post composer's character counter: a static file so the Content-Security-Policy
// can keep forbidding inline scripts. It counts what the server counts: line breaks
// as one character each (browsers send "\r\n"; the server normalises it to "\n").
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const counter of document.querySelectorAll("[data-counter-for]")) {
    const field = document.getElementById(counter.dataset.counterFor);
    const limit = Number(counter.dataset.limit);
    if (!field || !limit) continue;
    const update = () => {
      const left = limit - field.value.replace(/\r\n?/g, "\n").length;
      counter.textContent = left >= 0
        ? `${left} character${left === 1 ? "" : "s"} left`
        : `${-left} character${left === -1 ? "" : "s"} too many`;
      counter.classList.toggle("over-limit", left < 0);
    };
    field.addEventListener("input", update);
    counter.hidden = false;
    update();
  }
});
