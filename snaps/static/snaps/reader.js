// A snap's code: #L5 and #L5-L9 select lines of the first file, #f2-L5 and #f2-L5-L9
// those of the second (click a number, shift-click for a range); and each file's wrap
// toggle. Copy is site.js's data-copy-target. No inline script (CSP).
"use strict";

(() => {
  const RANGE = /^#((?:f\d+-)?)L(\d+)(?:-L(\d+))?$/;

  function parse(hash) {
    const match = RANGE.exec(hash);
    if (!match) return null;
    const a = Number(match[2]);
    const b = Number(match[3] || match[2]);
    return { prefix: match[1], from: Math.min(a, b), to: Math.max(a, b) };
  }

  function select(range, scroll) {
    for (const line of document.querySelectorAll(".snap-source .line.selected")) {
      line.classList.remove("selected");
    }
    if (!range) return;
    for (let n = range.from; n <= range.to; n += 1) {
      const line = document.getElementById(`${range.prefix}L${n}`);
      if (line) line.classList.add("selected");
    }
    const first = document.getElementById(`${range.prefix}L${range.from}`);
    if (scroll && first) first.scrollIntoView({ block: "center" });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const blocks = document.querySelectorAll(".snap-source");
    if (!blocks.length) return;
    let anchor = null; // {prefix, line} of the last plain click
    const initial = parse(window.location.hash);
    if (initial) anchor = { prefix: initial.prefix, line: initial.from };
    select(initial, true);

    for (const code of blocks) {
      const prefix = code.dataset.anchorPrefix || "";
      code.addEventListener("click", (event) => {
        const link = event.target.closest("a.ln");
        if (!link) return;
        event.preventDefault();
        const line = Number(link.dataset.line);
        const extend = event.shiftKey && anchor !== null && anchor.prefix === prefix;
        const range = extend
          ? { prefix, from: Math.min(anchor.line, line), to: Math.max(anchor.line, line) }
          : { prefix, from: line, to: line };
        if (!extend) anchor = { prefix, line };
        const hash =
          range.from === range.to ? `#${prefix}L${range.from}` : `#${prefix}L${range.from}-L${range.to}`;
        window.history.replaceState(null, "", hash);
        select(range, false);
      });
    }
    window.addEventListener("hashchange", () => select(parse(window.location.hash), true));

    for (const wrap of document.querySelectorAll("[data-wrap-toggle]")) {
      const block = document.getElementById(wrap.getAttribute("aria-controls"));
      if (!block) continue;
      wrap.hidden = false;
      wrap.addEventListener("click", () => {
        const on = wrap.getAttribute("aria-pressed") !== "true";
        wrap.setAttribute("aria-pressed", String(on));
        block.classList.toggle("wrap", on);
      });
    }
  });
})();
