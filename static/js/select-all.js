// "Select all on this page" for tables with a checkbox column. Works without it too:
// each row still has its own checkbox.
document.querySelectorAll("input[data-select-all]").forEach(function (all) {
  var table = all.closest("table");
  all.addEventListener("change", function () {
    table.querySelectorAll("tbody input[type=checkbox]").forEach(function (box) {
      box.checked = all.checked;
    });
  });
});
