// Starts the Wagtail choosers that home/widgets.py renders as data instead of an inline
// <script> (which the admin's Content Security Policy blocks), including those in inline-panel
// forms added after the page loaded.
(function () {
  "use strict";

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
    new Chooser(init.id, init.options);
  }

  function scan(root) {
    if (root.matches && root.matches("[data-cluster-chooser]")) {
      start(root);
    }
    root.querySelectorAll("[data-cluster-chooser]").forEach(start);
  }

  function boot() {
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
