// Starts the Wagtail choosers that home/widgets.py renders as data instead of an inline
// <script> (which the admin's Content Security Policy blocks), including those in inline-panel
// forms added after the page loaded.
//
// A chooser binds its "choose" and "clear" buttons when it is constructed. An inline script ran
// while the page was parsed; this file runs later, when the admin's dropdowns ("Choose another
// page", "Clear choice" of a chooser that has a value) may already have moved their content out
// of the document until opened, so those buttons are handled here by delegation.
(function () {
  "use strict";

  var ACTIONS = "[data-chooser-action-choose], [data-chooser-action-clear]";

  function start(element) {
    if (element.dataset.clusterChooserStarted) {
      return;
    }
    var init = JSON.parse(element.dataset.clusterChooser);
    var Chooser = window[init.chooser];
    if (typeof Chooser !== "function" || !document.getElementById(init.id)) {
      return;
    }
    element.dataset.clusterChooserStarted = "true";
    var chooser = new Chooser(init.id, init.options);
    if (chooser.chooserElement) {
      chooser.chooserElement.querySelectorAll(ACTIONS).forEach(function (button) {
        button.dataset.clusterChooserBound = "true";
      });
    }
  }

  function onClick(event) {
    var button = event.target.closest ? event.target.closest(ACTIONS) : null;
    if (!button || button.dataset.clusterChooserBound) {
      return;
    }
    var title = button.getAttribute("aria-describedby") || "";
    var element = document.getElementById(title.replace(/-title$/, "-chooser"));
    var widget = element && element.widget;
    if (!widget || !element.querySelector("[data-cluster-chooser-bound]")) {
      return; // not one of ours: Wagtail bound it itself
    }
    if (button.hasAttribute("data-chooser-action-choose")) {
      widget.openChooserModal();
    } else {
      widget.clear();
    }
  }

  function scan(root) {
    if (root.matches && root.matches("[data-cluster-chooser]")) {
      start(root);
    }
    root.querySelectorAll("[data-cluster-chooser]").forEach(start);
  }

  function boot() {
    document.addEventListener("click", onClick);
    scan(document);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(function (node) {
          if (node.nodeType === Node.ELEMENT_NODE) {
            scan(node);
          }
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", boot);
  } else {
    boot();
  }
})();
