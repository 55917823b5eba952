// "Select all on this page" for tables with a checkbox column, and the "N selected" count of
// the bulk bar. Works without it too: each row still has its own checkbox.
document.querySelectorAll("input[data-select-all]").forEach(function (all) {
  var table = all.closest("table");
  var form = all.closest("form");
  var count = form && form.querySelector("[data-selected-count]");
  var boxes = function () { return table.querySelectorAll("tbody input[type=checkbox]"); };

  function update() {
    var total = boxes().length;
    var checked = table.querySelectorAll("tbody input[type=checkbox]:checked").length;
    all.checked = total > 0 && checked === total;
    all.indeterminate = checked > 0 && checked < total;
    if (count) count.textContent = checked ? checked + " selected" : "";
  }

  all.addEventListener("change", function () {
    boxes().forEach(function (box) { box.checked = all.checked; });
    update();
  });
  table.addEventListener("change", function (event) {
    if (event.target !== all && event.target.matches("tbody input[type=checkbox]")) update();
  });
  update(); // the browser may restore ticks on "back"
});
