// Behaviour for the site's pages, kept out of the HTML so the Content-Security-Policy
// can forbid inline scripts and handlers.
"use strict";

const PHONE = window.matchMedia("(max-width: 760px)");

// The navigation is a <details> menu: always open on wide screens, a toggle on phones.
function syncNavMenu() {
  for (const menu of document.querySelectorAll("[data-nav-menu]")) {
    menu.open = !PHONE.matches;
  }
}

async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  // Plain-http development servers have no Clipboard API: fall back to a selection copy.
  const scratch = document.createElement("textarea");
  scratch.value = text;
  scratch.setAttribute("readonly", "");
  scratch.className = "visually-hidden";
  document.body.append(scratch);
  scratch.select();
  document.execCommand("copy");
  scratch.remove();
}

document.addEventListener("DOMContentLoaded", () => {
  syncNavMenu();
  PHONE.addEventListener("change", syncNavMenu);

  // Inputs marked data-select-on-click (e.g. a snap's share link) select their text.
  for (const input of document.querySelectorAll("[data-select-on-click]")) {
    input.addEventListener("click", () => input.select());
  }

  // <button data-copy-target="id"> copies that input's value (or element's text).
  for (const button of document.querySelectorAll("[data-copy-target]")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const target = document.getElementById(button.dataset.copyTarget);
      if (!target) return;
      const label = button.textContent;
      try {
        await copyText("value" in target ? target.value : target.textContent);
        button.textContent = "Copied";
      } catch {
        button.textContent = "Copy failed";
      }
      setTimeout(() => { button.textContent = label; }, 2000);
    });
  }
});
