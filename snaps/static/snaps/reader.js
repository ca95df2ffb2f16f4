// A snap's code: #L5 and #L5-L9 select lines (click a number, shift-click for a range),
// and the wrap toggle. Copy is site.js's data-copy-target. No inline script (CSP).
"use strict";

(() => {
  const RANGE = /^#L(\d+)(?:-L(\d+))?$/;

  function parse(hash) {
    const match = RANGE.exec(hash);
    if (!match) return null;
    const a = Number(match[1]);
    const b = Number(match[2] || match[1]);
    return [Math.min(a, b), Math.max(a, b)];
  }

  function select(code, range, scroll) {
    for (const line of code.querySelectorAll(".line.selected")) line.classList.remove("selected");
    if (!range) return;
    for (let n = range[0]; n <= range[1]; n += 1) {
      const line = document.getElementById(`L${n}`);
      if (line) line.classList.add("selected");
    }
    const first = document.getElementById(`L${range[0]}`);
    if (scroll && first) first.scrollIntoView({ block: "center" });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const code = document.getElementById("snap-source");
    if (!code) return;
    let anchor = null;
    const initial = parse(window.location.hash);
    if (initial) anchor = initial[0];
    select(code, initial, true);

    code.addEventListener("click", (event) => {
      const link = event.target.closest("a.ln");
      if (!link) return;
      event.preventDefault();
      const line = Number(link.dataset.line);
      const range = event.shiftKey && anchor !== null ? [Math.min(anchor, line), Math.max(anchor, line)] : [line, line];
      if (!event.shiftKey) anchor = line;
      const hash = range[0] === range[1] ? `#L${range[0]}` : `#L${range[0]}-L${range[1]}`;
      window.history.replaceState(null, "", hash);
      select(code, range, false);
    });
    window.addEventListener("hashchange", () => select(code, parse(window.location.hash), true));

    const wrap = document.querySelector("[data-wrap-toggle]");
    if (wrap) {
      const block = document.getElementById(wrap.getAttribute("aria-controls"));
      wrap.hidden = false;
      wrap.addEventListener("click", () => {
        const on = wrap.getAttribute("aria-pressed") !== "true";
        wrap.setAttribute("aria-pressed", String(on));
        block.classList.toggle("wrap", on);
      });
    }
  });
})();
