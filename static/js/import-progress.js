// Live progress of an import: poll its small JSON while it runs, update the numbers, reload when it is done.
// Without JavaScript the page refreshes itself (a <noscript> meta refresh) and has a Refresh link.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || !box.dataset.running) return;
  function update(data) {
    box.querySelectorAll("[data-field]").forEach(function (node) {
      var value = data[node.dataset.field];
      if (value === undefined) return;
      if (node.tagName === "PROGRESS") node.value = value;
      else node.textContent = typeof value === "number" ? value.toLocaleString() : value;
    });
    if (!data.running || data.stalled) window.location.reload();
  }
  function poll() {
    fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) update(data); if (!data || data.running) window.setTimeout(poll, 1000); })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
