/* Opens the take a `#take-<persona>` link points at. The server never sees the part of a
   URL after `#`, and htmx cannot read it without eval, so this small script asks the
   take's own "Read more" control to open it. Without JavaScript, "Read more" links to
   `?expand=<persona>#take-<persona>`, which the server renders open. */
(function () {
  "use strict";

  function openLinkedTake() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (id.indexOf("take-") !== 0) {
      return;
    }
    var card = document.getElementById(id);
    var toggle = card && card.querySelector('.take__toggle[aria-expanded="false"]');
    if (toggle) {
      toggle.click();
    }
  }

  window.addEventListener("load", openLinkedTake);
  window.addEventListener("hashchange", openLinkedTake);
})();
