// Live timeline: "N new posts — show" without a reload. A static file, so the
// Content-Security-Policy keeps forbidding inline scripts. With a stream URL it listens
// to Server-Sent Events (EventSource reconnects by itself, resuming after the last event
// id); without one (no Redis on the server) it polls the feed API with since_id.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-live-timeline]");
  if (!box) return;
  const label = box.querySelector("[data-live-count]");
  const seen = new Set();
  const show = (count) => {
    label.textContent = `${count} new post${count === 1 ? "" : "s"}`;
    box.hidden = count === 0;
  };
  // A new notification: one more unread on the navigation badge.
  const badge = () => {
    const link = document.querySelector("[data-testid=notifications-link]");
    if (!link) return;
    let count = link.querySelector("[data-testid=unread-count]");
    if (!count) {
      count = document.createElement("span");
      count.className = "badge";
      count.dataset.testid = "unread-count";
      link.append(" ", count);
    }
    const unread = Number.parseInt(count.textContent, 10) || 0;
    const hint = document.createElement("span");
    hint.className = "visually-hidden";
    hint.textContent = " unread";
    count.replaceChildren(String(unread + 1), hint);
  };

  if (box.dataset.streamUrl && "EventSource" in window) {
    const source = new EventSource(box.dataset.streamUrl);
    source.addEventListener("post", (event) => {
      const data = JSON.parse(event.data);
      seen.add(data.post_id);
      show(seen.size);
    });
    source.addEventListener("notification", badge);
    return;
  }
  if (!box.dataset.pollUrl) return;
  const every = Number(box.dataset.pollSeconds || 30) * 1000;
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.pollUrl, {
        credentials: "same-origin", headers: {Accept: "application/json"},
      });
      if (response.ok) {
        const page = await response.json();
        for (const post of page.results) seen.add(post.id);
        show(seen.size);
      }
    } catch (error) {
      // Offline for a moment: the next poll tries again.
    }
    setTimeout(poll, every);
  };
  setTimeout(poll, every);
});
