// Behaviour for the site's pages, kept out of the HTML so the Content-Security-Policy
// can forbid inline scripts and handlers.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Inputs marked data-select-on-click (e.g. a snap's share link) select their text.
  for (const input of document.querySelectorAll("[data-select-on-click]")) {
    input.addEventListener("click", () => input.select());
  }
});
