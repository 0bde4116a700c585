/* The story's permalink becomes "Share" (Web Share API) or "Copy link"; see news/show.html. */
(function () {
  "use strict";

  var CLEAR_AFTER = 4000;

  function enhance(share) {
    var link = share.querySelector(".share__link");
    var button = share.querySelector(".share__button");
    var status = share.querySelector(".share__status");
    var url = share.getAttribute("data-share-url");
    var title = share.getAttribute("data-share-title") || document.title;
    var canShare = typeof navigator.share === "function";
    var canCopy = navigator.clipboard && typeof navigator.clipboard.writeText === "function";
    if (!link || !button || !status || !url || !(canShare || canCopy)) {
      return;
    }
    var timer = null;

    function say(message) {
      status.textContent = message;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        status.textContent = "";
      }, CLEAR_AFTER);
    }

    function copy() {
      navigator.clipboard.writeText(url).then(
        function () {
          say("Link copied");
        },
        function () {
          link.hidden = false;
          say("Could not copy: use the permalink");
        }
      );
    }

    button.textContent = canShare ? "Share" : "Copy link";
    button.hidden = false;
    link.hidden = true;
    button.addEventListener("click", function () {
      if (!canShare) {
        copy();
        return;
      }
      navigator.share({ title: title, url: url }).then(
        function () {
          say("Shared");
        },
        function (error) {
          if (error && error.name === "AbortError") {
            return;
          }
          if (canCopy) {
            copy();
          }
        }
      );
    });
  }

  function start() {
    var shares = document.querySelectorAll("[data-share-url]");
    for (var i = 0; i < shares.length; i += 1) {
      enhance(shares[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
