/* "/" jumps to the search box, as on many reading sites. The box says so itself
   (aria-keyshortcuts, and a hint screen readers read with it), and the key is left alone
   whenever the reader is typing somewhere, holds a modifier, or another script already
   used it. Without JavaScript the box is a plain form in the header of every page. */
(function () {
  "use strict";

  function isTyping(element) {
    if (!element || element === document.body) {
      return false;
    }
    if (element.isContentEditable) {
      return true;
    }
    var tag = element.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.defaultPrevented || event.isComposing) {
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (isTyping(event.target) || isTyping(document.activeElement)) {
      return;
    }
    var box = document.querySelector("[data-search-key]");
    if (!box) {
      return;
    }
    event.preventDefault();
    box.focus();
    box.select();
  });
})();
