/* "/" focuses the search box, unless the reader is typing or holds a modifier (base.html). */
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
