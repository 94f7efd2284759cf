// The export job page: polls the job's status (JSON) and shows the rows written and the
// download link. Without script the page refreshes itself (<noscript> meta refresh).
(function () {
  "use strict";
  var box = document.getElementById("export-job");
  if (!box || box.dataset.finished === "1") return;
  var url = box.dataset.statusUrl;
  function field(name) { return box.querySelector('[data-field="' + name + '"]'); }
  function show(s) {
    field("status_label").textContent = s.status_label;
    var bar = field("percent");
    bar.value = s.percent;
    bar.textContent = s.percent + "%";
    field("rows").textContent = s.rows_total === null ? "正在读取数据…" : "已写 " + s.rows_done + " / " + s.rows_total + " 行";
    var error = field("error");
    error.textContent = s.error || "";
    error.hidden = !s.error;
    if (s.download_url) {
      field("download_link").href = s.download_url;
      field("download").hidden = false;
    }
    if (s.finished && field("waiting")) field("waiting").hidden = true;
  }
  function poll(delay) {
    window.setTimeout(function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (s) { show(s); if (!s.finished) poll(1000); })
        .catch(function () { poll(Math.min(delay * 2, 10000)); });
    }, delay);
  }
  poll(1000);
})();
