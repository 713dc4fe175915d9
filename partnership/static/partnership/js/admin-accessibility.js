// Wagtail's tag fields (tag-it) add a text input with no label of its own, which screen readers
// announce as an unnamed edit box (axe: "label", critical). Name it after its field's label.
(function () {
  "use strict";

  function nameTagInputs(root) {
    root.querySelectorAll("ul.tagit").forEach(function (list) {
      var input = list.querySelector("li.tagit-new input");
      if (!input || input.hasAttribute("aria-label")) {
        return;
      }
      var field = list.previousElementSibling;
      var label = field && field.id ? document.querySelector('label[for="' + field.id + '"]') : null;
      var name = label ? label.textContent.replace(/\s+/g, " ").trim() : "";
      input.setAttribute("aria-label", name ? "Add " + name.toLowerCase() : "Add a tag");
    });
    root.querySelectorAll("ul.tagit a.tagit-close:not([aria-label])").forEach(function (link) {
      var tag = link.parentElement.querySelector(".tagit-label");
      link.setAttribute("role", "button");
      link.setAttribute("tabindex", "0");
      link.setAttribute("aria-label", "Remove " + (tag ? tag.textContent.trim() : "tag"));
    });
  }

  function start() {
    nameTagInputs(document);
    new MutationObserver(function () {
      nameTagInputs(document);
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
