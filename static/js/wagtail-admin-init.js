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

  /* Wagtail's tag fields (jQuery tag-it) type into an input tag-it creates, with no label: name
   * it by the label of the field it stands for, so screen readers announce it. */
  function labelTagInput(input) {
    if (input.hasAttribute("aria-label") || input.hasAttribute("aria-labelledby")) return;
    var list = input.closest("ul.tagit");
    var field = list && list.previousElementSibling;
    while (field && !field.id) field = field.previousElementSibling;
    var label = field && document.querySelector('label[for="' + field.id + '"]');
    if (!label) return;
    if (!label.id) label.id = field.id + "-label";
    input.setAttribute("aria-labelledby", label.id);
  }

  function sweep(root) {
    if (root.nodeType !== Node.ELEMENT_NODE && root.nodeType !== Node.DOCUMENT_NODE) return;
    if (root.matches && root.matches("[data-cluster-init]")) run(root);
    root.querySelectorAll("[data-cluster-init]").forEach(run);
    if (root.matches && root.matches("ul.tagit input")) labelTagInput(root);
    root.querySelectorAll("ul.tagit input").forEach(labelTagInput);
  }

  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) { mutation.addedNodes.forEach(sweep); });
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", function () { sweep(document); });
})();
