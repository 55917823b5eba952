// Ask before a destructive form is sent: <form data-confirm="Remove …?">. A script file rather than an
// inline onsubmit handler, so the Content-Security-Policy can forbid inline script everywhere.
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
