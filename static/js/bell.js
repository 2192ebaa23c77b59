/* The bell's live count: one small websocket (/ws/notifications/) that only receives
 * {"type": "unread", "count": N} when it opens and whenever a notification of the signed-in
 * person's is created or read. A file of its own because the Content Security Policy allows no
 * inline script. Without websockets, or when the socket cannot be kept open, the bell keeps the
 * count the page was rendered with: nothing is shown and nothing breaks. */
(function () {
  "use strict";
  var script = document.currentScript;
  var bell = document.querySelector("a.bell[data-live]");
  if (!bell || !script || !("WebSocket" in window) || !window.JSON) { return; }
  var path = bell.dataset.live;
  var unreadLabel = bell.dataset.unreadLabel || "";
  var delay = 1000;
  var failures = 0;
  var MAX_FAILURES = 8;

  function render(count) {
    bell.dataset.count = String(count);
    var badge = bell.querySelector(".badge");
    if (!count) {
      if (badge) { badge.remove(); }
      return;
    }
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "badge";
      bell.appendChild(document.createTextNode(" "));
      bell.appendChild(badge);
    }
    badge.textContent = String(count);
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " " + unreadLabel;
    badge.appendChild(hidden);
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket;
    try {
      socket = new WebSocket(scheme + window.location.host + path);
    } catch (error) {
      return;
    }
    var opened = false;
    socket.addEventListener("open", function () { opened = true; });
    socket.addEventListener("message", function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (error) { return; }
      if (frame && frame.type === "unread" && typeof frame.count === "number") {
        failures = 0;
        delay = 1000;
        render(frame.count);
      }
    });
    socket.addEventListener("close", function (event) {
      // 4401: signed out meanwhile; no point in trying again from this page.
      if (event.code === 4401) { return; }
      failures = opened ? 0 : failures + 1;
      if (failures >= MAX_FAILURES) { return; }
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 60000);
    });
  }

  connect();
})();
