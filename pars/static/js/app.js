// The only custom script: open dialogs that htmx inserts, and close them when the server says so.
document.addEventListener("htmx:afterSettle", (event) => {
  const root = event.detail.elt.parentElement || document;
  root.querySelectorAll("dialog[data-onload-showmodal]").forEach((dialog) => {
    dialog.removeAttribute("data-onload-showmodal");
    dialog.addEventListener("close", () => dialog.remove());
    dialog.showModal();
  });
});
// HX-Trigger: closeModal from the server closes whatever dialog is open.
document.addEventListener("closeModal", () => {
  document.querySelectorAll("dialog[open]").forEach((dialog) => dialog.close());
});
// "Select All" ticks every row checkbox of the list it heads (and follows htmx list swaps).
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-select-all]");
  if (!all) return;
  document.querySelectorAll(`input[type=checkbox][name="${all.dataset.selectAll}"]`)
    .forEach((box) => { box.checked = all.checked; });
});
// After a refused save, put the cursor in the first field marked invalid.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelector("form[data-focus-error] [aria-invalid=true]")?.focus();
});
