// The only custom script: open dialogs that htmx inserts, and close them when the server says so.
// When it closes (Escape, the X, or a save), focus goes back to the button that opened it, or,
// if a save swapped that button's row, to the same button in the new row.
let opener = null;
document.addEventListener("htmx:beforeRequest", (event) => {
  if (!document.querySelector("dialog[open]")) opener = event.detail.elt;
});
document.addEventListener("htmx:afterSettle", (event) => {
  const root = event.detail.elt.parentElement || document;
  root.querySelectorAll("dialog[data-onload-showmodal]").forEach((dialog) => {
    dialog.removeAttribute("data-onload-showmodal");
    const from = opener;
    const row = from?.closest("tr[id]")?.id;
    const label = from?.textContent.trim();
    dialog.addEventListener("close", () => {
      dialog.remove();
      const again = from?.isConnected ? from
        : [...document.querySelectorAll(`#${row} button`)].find((b) => b.textContent.trim() === label);
      again?.focus();
    });
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
// After a refused save, put the cursor in the first field marked invalid; after a save, on
// the message that says what happened (a page with no error to fix).
document.addEventListener("DOMContentLoaded", () => {
  const invalid = document.querySelector("form[data-focus-error] [aria-invalid=true]");
  if (invalid) { invalid.focus(); return; }
  // A page that answers a step (a claim made, already made, a code checked) starts at its answer.
  const answer = document.querySelector("[data-autofocus]");
  if (answer) { answer.focus(); return; }
  const said = document.querySelector(".flashes .flash-success, .flashes .flash-info");
  if (said) { said.setAttribute("tabindex", "-1"); said.focus(); }
});
// After "+ Add" puts a new row in a section, the cursor goes to the new row's first field (the
// rows' fields are named group-N-...; the new row has the highest N).
document.addEventListener("htmx:afterSettle", (event) => {
  const from = event.detail.requestConfig?.elt;
  if (from?.name !== "add") return;
  const group = from.value;
  const fields = [...document.querySelectorAll(`[name^="${group}-"]`)]
    .filter((field) => field.type !== "hidden");
  const index = (field) => Number(field.name.slice(group.length + 1).split("-")[0]);
  const last = Math.max(...fields.map(index));
  fields.find((field) => index(field) === last)?.focus();
});
