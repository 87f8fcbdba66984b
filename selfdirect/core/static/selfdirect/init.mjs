// Enhance GOV.UK components (error summary focus, character counts, ...). Pages work without it.
import { initAll } from "../build/govuk-frontend.min.js";

initAll();

// A long job's progress: re-read the panel every 2 seconds while the job runs. Without
// JavaScript the page has a "Check progress" link instead. When the job has finished the
// server answers 204 with HX-Refresh, and the whole page (with its results) is loaded once.
for (const panel of document.querySelectorAll("[data-sd-poll]")) {
  const poll = async () => {
    const response = await fetch(panel.dataset.sdPoll, { headers: { "HX-Request": "true" } });
    if (response.status === 204 || response.headers.get("HX-Refresh") === "true") {
      window.location.reload();
      return;
    }
    if (response.ok) {
      const next = document.createElement("div");
      next.innerHTML = await response.text();
      const fresh = next.querySelector("[data-sd-poll]");
      if (fresh) panel.replaceChildren(...fresh.childNodes);
    }
    window.setTimeout(poll, 2000);
  };
  window.setTimeout(poll, 2000);
}
