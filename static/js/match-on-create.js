// Match-on-create: while the agent types, list existing profiles with the same email or
// phone, or a similar name. Progressive enhancement: the server checks again on submit.
(function () {
  var form = document.getElementById("create-form");
  var list = document.getElementById("match-list");
  if (!form || !list) return;
  var url = form.dataset.matchUrl;
  var timer = null;
  var fields = ["name", "email", "phone"].map(function (name) { return form.elements[name]; });

  function render(matches) {
    list.textContent = "";
    if (!matches.length) {
      var empty = document.createElement("li");
      empty.className = "muted";
      empty.textContent = "No existing profile matches these details.";
      list.appendChild(empty);
      return;
    }
    matches.forEach(function (match) {
      var item = document.createElement("li");
      if (match.blocking) item.className = "match--blocking";
      var link = document.createElement("a");
      link.href = match.url;
      link.textContent = match.name;
      var id = document.createElement("span");
      id.className = "muted";
      id.textContent = " #" + match.id;
      var why = document.createElement("div");
      why.textContent = match.reasons.join("; ") +
        (match.blocking ? " — this contact point is taken: open that profile instead" : " — ask: have you contacted us before?");
      item.append(link, id, why);
      list.appendChild(item);
    });
  }

  function check() {
    var params = new URLSearchParams();
    fields.forEach(function (field) { if (field && field.value.trim()) params.set(field.name, field.value.trim()); });
    if (![...params.keys()].length) return;
    fetch(url + "?" + params.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { matches: [] }; })
      .then(function (data) { render(data.matches); })
      .catch(function () { /* offline or server error: the submit check still runs */ });
  }

  fields.forEach(function (field) {
    if (!field) return;
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(check, 300);
    });
  });
})();
