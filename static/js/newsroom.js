/* The newsroom's questions (publish, unpublish, delete) arrive by htmx into the page's
   <dialog>; this opens it as a modal. Its buttons need no script: the confirming one
   posts its own form, "Cancel" closes the dialog (method="dialog"). Without JavaScript
   the same controls lead to a confirmation page. */
(function () {
  "use strict";

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target instanceof HTMLDialogElement && !target.open) {
      target.showModal();
    }
  });
})();
