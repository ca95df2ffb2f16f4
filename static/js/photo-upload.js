// Direct-to-S3 photo uploads (photos/direct_uploads.py). When the upload form names an
// intent URL (S3 is configured), the file goes straight to the bucket with a presigned
// POST and is then confirmed, so big files never pass through the web server. Whatever
// fails before the confirm (no intent, the bucket unreachable) falls back to the normal
// upload through the site; the confirm's own refusals are shown as the form shows them.
"use strict";

(function () {
  const form = document.querySelector("form[data-direct-upload]");
  if (!form || !window.fetch || !window.FormData) return;
  const status = form.querySelector("[data-upload-status]");
  const button = form.querySelector("button[type=submit]");
  const token = form.elements.csrfmiddlewaretoken.value;

  class Shown extends Error {
    constructor(message, link) {
      super(message);
      this.link = link;
    }
  }

  function say(text, link) {
    status.hidden = false;
    status.textContent = text;
    if (link) {
      const anchor = document.createElement("a");
      anchor.href = link;
      anchor.textContent = "See it here.";
      status.append(" ", anchor);
    }
  }

  function postJson(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body),
    });
  }

  // DRF's error shapes: {"detail": "..."} or {"field": ["...", ...]}.
  function firstError(data) {
    if (typeof data.detail === "string") return data.detail;
    for (const messages of Object.values(data)) {
      if (Array.isArray(messages) && messages.length) return String(messages[0]);
    }
    return "The upload failed.";
  }

  async function upload(file) {
    const started = await postJson(form.dataset.directUpload, { size: file.size });
    if (started.status === 400) throw new Shown(firstError(await started.json()));
    if (started.status !== 201) throw new Error("no direct upload");
    const intent = await started.json();
    const body = new FormData();
    for (const [name, value] of Object.entries(intent.fields)) body.append(name, value);
    body.append("file", file); // last: S3 ignores fields after the file
    const sent = await fetch(intent.url, { method: "POST", body });
    if (!sent.ok) throw new Error("the bucket refused the upload");
    say("Checking the photo…");
    const confirmed = await postJson(intent.confirm, {
      key: intent.key,
      comment: form.elements.comment.value,
      alt_text: form.elements.alt_text.value,
    });
    const data = await confirmed.json();
    if (confirmed.status === 201) return;
    if ([400, 404, 409].includes(confirmed.status)) throw new Shown(firstError(data), data.page);
    throw new Error("the confirm failed");
  }

  form.addEventListener("submit", (event) => {
    const file = form.elements.photo.files[0];
    if (!file) return; // the site's form says what is missing
    event.preventDefault();
    button.disabled = true;
    say("Uploading…");
    upload(file).then(
      () => window.location.assign(window.location.pathname), // the grid, with the new photo
      (error) => {
        button.disabled = false;
        if (error instanceof Shown) {
          say(error.message, error.link);
        } else {
          say("Uploading through the site…");
          form.submit(); // no submit event: the normal multipart upload
        }
      },
    );
  });
})();
