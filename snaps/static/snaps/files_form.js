// "Add a file" on the snap form without a round trip: a copy of the formset's empty
// form, numbered, and the management form's count raised. Without JavaScript the same
// button posts the form and the server adds the file. No inline script (CSP).
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("[data-files-form]");
  if (!form) return;
  const button = form.querySelector("[data-add-file]");
  const template = form.querySelector("template[data-empty-file]");
  const total = form.querySelector('input[name="files-TOTAL_FORMS"]');
  const list = form.querySelector("[data-files]");
  if (!button || !template || !total || !list) return;
  const max = Number(button.dataset.maxFiles || 10);
  button.addEventListener("click", (event) => {
    const count = Number(total.value);
    if (count >= max) return; // let the server say why
    event.preventDefault();
    const html = template.innerHTML
      .replaceAll("__prefix__", String(count))
      .replaceAll("__number__", String(count + 1));
    list.insertAdjacentHTML("beforeend", html);
    total.value = String(count + 1);
    const added = list.lastElementChild;
    const name = added && added.querySelector('input[name$="-name"]');
    if (name) name.focus();
  });
});
