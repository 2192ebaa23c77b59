/* On a phone the directories' filter groups start closed, except those with a choice made, so
   the results are not pushed below a screen of options (the same pattern in every directory).
   Without JavaScript, or on a wider screen, they stay as the page was served. */
(function () {
  "use strict";
  if (!window.matchMedia || !window.matchMedia("(max-width: 40rem)").matches) { return; }
  document.querySelectorAll("form.filters details.facet[open]").forEach(function (facet) {
    if (!facet.querySelector("input:checked")) { facet.open = false; }
  });
})();
