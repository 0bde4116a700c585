/* The newsroom's small behaviours htmx does not cover.

   Questions and previews (publish, unpublish, delete, preview) arrive by htmx into the
   page's <dialog>s; this opens them as modals. Their buttons need no script: the
   confirming one posts its own form, "Cancel" or "Back to editing" closes the dialog
   (method="dialog"). Without JavaScript the same controls lead to pages of their own.

   Leaving an editor form with changes not saved asks first (the browser's own
   "Leave site?" question). Autosave keeps what was typed, but only Save puts it on the
   site, so the warning stands until the form is submitted. */
(function () {
  "use strict";

  var unsaved = false;

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target instanceof HTMLDialogElement && !target.open) {
      target.showModal();
    }
  });

  document.addEventListener("input", function (event) {
    if (event.target instanceof Element && event.target.closest("form.stacked")) {
      unsaved = true;
    }
  });

  document.addEventListener("submit", function (event) {
    // A dialog's own form only closes the dialog: the editor form is still unsaved.
    if (event.target instanceof HTMLFormElement && event.target.method !== "dialog") {
      unsaved = false;
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
