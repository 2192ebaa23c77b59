/* Registers the service worker (/sw.js, templates/home/sw.js): the offline page and precached
 * static files. A file of its own because the Content Security Policy allows no inline script. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script) { return; }
  var url = script.dataset.serviceWorker;
  function register() {
    navigator.serviceWorker.register(url, {scope: "/"}).catch(function () {
      // No worker (private mode, an old browser): the site works as before, only not offline.
    });
  }
  if (document.readyState === "complete") { register(); } else { window.addEventListener("load", register); }
})();
