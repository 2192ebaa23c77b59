/* Service worker of the Social Cluster portal, served at /sw.js by home/pwa.py.
 *
 * Precaches the offline page and the static files it needs. Navigations go to the network
 * first and fall back to the offline page; pages themselves are never stored, so nothing from
 * /portal/, /admin/ or a signed-in visit can be replayed from this cache. Websockets (/ws/)
 * never pass through a service worker. Version {{ version }}. */
"use strict";

var CACHE = "cluster-{{ version }}";
var OFFLINE_URL = {{ offline_url|safe }};
var PRECACHE = {{ precache|safe }};
// The editors' admin has its own scripts and previews: left alone entirely.
var UNTOUCHED = ["/admin/", "/django-admin/"];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return cache.addAll(PRECACHE.map(function (url) {
        return new Request(url, {cache: "reload"});
      }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf("cluster-") === 0 && key !== CACHE;
      }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function offlinePage() {
  return caches.open(CACHE).then(function (cache) { return cache.match(OFFLINE_URL); })
    .then(function (page) {
      return page || new Response("Offline", {status: 503, headers: {"Content-Type": "text/plain"}});
    });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (UNTOUCHED.some(function (prefix) { return url.pathname.indexOf(prefix) === 0; })) { return; }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(offlinePage));
    return;
  }
  if (!url.search && PRECACHE.indexOf(url.pathname) !== -1) {
    event.respondWith(
      caches.open(CACHE).then(function (cache) { return cache.match(request); })
        .then(function (hit) { return hit || fetch(request); })
    );
  }
});
