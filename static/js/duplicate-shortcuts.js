// Compare page shortcuts: j / k next / previous pair, m merge, n not a duplicate.
// Each key activates the element marked data-shortcut="<key>"; without JavaScript those are plain links and buttons.
document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.repeat || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
  const element = document.querySelector(`[data-shortcut="${CSS.escape(event.key)}"]`);
  if (!element) return;
  event.preventDefault();
  element.click();
});
