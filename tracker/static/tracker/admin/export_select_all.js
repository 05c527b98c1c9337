// The export form's "Select all" box. django-import-export renders it with an inline
// onchange handler, which the Content-Security-Policy does not run; its own function
// (export_selectable_fields.js, loaded before this file) is attached here instead.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input.select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", onSelectToggleChange);
  });
});
