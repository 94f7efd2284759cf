// The contract PDF is made by the worker: poll its status until it is ready, then offer
// (and start) the download. The page works without script too (it refreshes itself).
(function () {
  "use strict";
  var box = document.getElementById("pdf-progress");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  var wait = Math.max(1, parseInt(box.getAttribute("data-retry-after"), 10) || 2);
  var message = box.querySelector(".pdf-progress-text");
  var ready = box.querySelector(".pdf-progress-ready");
  var tries = 0;

  function show(state) {
    box.setAttribute("data-state", state.status);
    message.textContent = state.detail;
    if (state.status === "ready") {
      var link = ready.querySelector("a");
      link.setAttribute("href", state.download_url);
      ready.hidden = false;
      window.location.assign(state.download_url);
    }
  }

  function poll() {
    tries += 1;
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (state) {
        show(state);
        // A failed render waits for the platform to retry it: look again now and then.
        if (state.status === "failed") schedule(10 * wait * 1000);
        else if (state.status !== "ready") schedule((state.retry_after || wait) * 1000);
      })
      .catch(function () {
        schedule(wait * 2000);
      });
  }

  function schedule(ms) {
    // Quick first looks (a render takes well under a second), then the server's pace.
    setTimeout(poll, tries < 4 && box.getAttribute("data-state") === "pending" ? Math.min(ms, 500) : ms);
  }

  if (box.getAttribute("data-state") !== "ready") schedule(wait * 1000);
})();
