// Match-on-create: while the agent types, list existing profiles with the same email or
// phone, or a similar name. Progressive enhancement: the server checks again on submit.
// Used by the create form and the "Log a call" form: a form with data-log-url (a profile's
// log URL with the id 0) also gets a "Log on this profile" link per match, carrying the
// number, email and channel typed so far.
(function () {
  var form = document.querySelector("form[data-match-url]");
  var list = document.getElementById("match-list");
  if (!form || !list) return;
  var url = form.dataset.matchUrl;
  var logUrl = form.dataset.logUrl;
  var advice = {
    blocking: form.dataset.adviceBlocking || "This contact point is taken: open that profile instead.",
    warning: form.dataset.adviceWarning || "Ask: have you contacted us before?"
  };
  // The page's language: the template puts these texts on the form; English when it does not.
  var texts = {
    log: form.dataset.textLog || "Log on this profile",
    none: form.dataset.textNone || "No existing profile matches these details.",
    empty: form.dataset.textEmpty || "Type a name, email or phone to check for existing profiles."
  };
  var timer = null;
  var latest = 0; // answers can arrive out of order: only the newest request may render
  var fields = ["name", "email", "phone"].map(function (name) { return form.elements[name]; });

  function hint(text) {
    list.textContent = "";
    var item = document.createElement("li");
    item.className = "muted match-empty";
    item.textContent = text;
    list.appendChild(item);
  }

  function line(className, text) {
    var div = document.createElement("div");
    div.className = className;
    div.textContent = text;
    return div;
  }

  function logLink(id) {
    var link = document.createElement("a");
    link.className = "button button--small match__log";
    link.textContent = texts.log;
    var base = logUrl.replace(/\/0\/log\/$/, "/" + id + "/log/");
    function update() {
      var params = new URLSearchParams();
      ["phone", "email", "channel"].forEach(function (key) {
        var field = form.elements[key];
        var value = field && field.value ? field.value.trim() : "";
        if (value) params.set(key, value);
      });
      var query = params.toString();
      link.href = base + (query ? "?" + query : "");
    }
    update();
    // What the agent types after the list was drawn travels too.
    link.addEventListener("focus", update);
    link.addEventListener("mouseenter", update);
    link.addEventListener("click", update);
    return link;
  }

  function render(matches) {
    if (!matches.length) {
      hint(texts.none);
      return;
    }
    list.textContent = "";
    matches.forEach(function (match) {
      var item = document.createElement("li");
      item.className = "match " + (match.blocking ? "match--blocking" : "match--warning");
      var name = document.createElement("div");
      name.className = "match__name";
      var link = document.createElement("a");
      link.href = match.url;
      link.textContent = match.name;
      var id = document.createElement("span");
      id.className = "muted";
      id.textContent = "#" + match.id;
      name.append(link, " ", id);
      item.append(
        name,
        line("match__why", match.reasons.join("; ")),
        line("match__advice", match.blocking ? advice.blocking : advice.warning)
      );
      if (logUrl) item.appendChild(logLink(match.id));
      list.appendChild(item);
    });
  }

  function check() {
    var params = new URLSearchParams();
    fields.forEach(function (field) { if (field && field.value.trim()) params.set(field.name, field.value.trim()); });
    var request = ++latest;
    if (![...params.keys()].length) {
      hint(texts.empty);
      return;
    }
    fetch(url + "?" + params.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && request === latest) render(data.matches); })
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
