/*
 * Wagtail's admin initialises a few widgets (date and time choosers, inline panels) with
 * inline <script> tags, which our Content Security Policy refuses. The templates in
 * templates/wagtailadmin/ replace each of those scripts by a hidden marker element carrying the
 * same call; this file makes the call when the marker enters the document, including markers
 * inserted later from <template> elements (dialogs, new inline panel rows).
 */
(function () {
  "use strict";
  var calls = {
    initDateChooser: function (el, config) { window.initDateChooser(el.dataset.clusterTarget, config); },
    initTimeChooser: function (el, config) { window.initTimeChooser(el.dataset.clusterTarget, config); },
    initDateTimeChooser: function (el, config) {
      window.initDateTimeChooser(el.dataset.clusterTarget, config);
    },
    InlinePanel: function (el, config) { return new window.InlinePanel(config); },
    MultipleChooserPanel: function (el, config) { return new window.MultipleChooserPanel(config); },
  };

  function run(el) {
    if (el.clusterInitDone) return;
    el.clusterInitDone = true;
    var call = calls[el.dataset.clusterInit];
    if (call) call(el, JSON.parse(el.dataset.clusterConfig || "{}"));
  }

  function sweep(root) {
    if (root.nodeType !== Node.ELEMENT_NODE && root.nodeType !== Node.DOCUMENT_NODE) return;
    if (root.matches && root.matches("[data-cluster-init]")) run(root);
    root.querySelectorAll("[data-cluster-init]").forEach(run);
  }

  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) { mutation.addedNodes.forEach(sweep); });
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", function () { sweep(document); });
})();
