/* The trainer's attendance sheet (templates/training/attendance.html), offline too.
 *
 * A submitted sheet goes first into this device's outbox (IndexedDB, kept across a reload and
 * the offline page), then is sent; without a connection it waits there and is sent when the
 * connection returns (the "online" event, the next visit of any attendance page, or a retry
 * while the page stays open). Each sheet keeps the id its page gave it, so however often it is
 * sent, the server stores it once. A sheet leaves the outbox when the server has answered it:
 * stored, or refused for good (its message is shown). Nothing but learners' enrolment ids
 * and marks is kept, and only until sent. */
(function () {
  "use strict";
  var form = document.querySelector("[data-attendance-form]");
  if (!form || !window.indexedDB || !window.fetch) { return; }
  var status = document.querySelector("[data-attendance-status]");
  var idField = form.querySelector("[data-attendance-client-id]");
  var DB_NAME = "cluster-attendance";
  var STORE = "outbox";
  var RETRY_MS = 10000;
  var flushing = false;
  var again = false;
  var retryTimer = null;

  function say(text, kind) {
    if (!status) { return; }
    var line = status.querySelector(".message");
    line.className = "message" + (kind ? " " + kind : "");
    line.textContent = text;
    status.hidden = !text;
  }

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = window.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, {keyPath: "client_id"});
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && result.result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function queued() { return withStore("readonly", function (store) { return store.getAll(); }); }
  function keep(item) { return withStore("readwrite", function (store) { store.put(item); }); }
  function drop(id) { return withStore("readwrite", function (store) { store.delete(id); }); }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID().replace(/-/g, ""); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function scheduleRetry() {
    if (retryTimer === null) {
      retryTimer = window.setTimeout(function () { retryTimer = null; flush(); }, RETRY_MS);
    }
  }

  /* Send one sheet: "done" (answered: stored or refused for good), or "wait" (no
   * connection, a server error, a signed-out session: it stays for the next try). */
  function send(item) {
    return window.fetch(item.url, {
      method: "POST",
      body: new URLSearchParams(item.fields),
      headers: {"Accept": "application/json"},
      credentials: "same-origin",
      redirect: "manual"
    }).then(function (response) {
      if (response.type === "opaqueredirect") {
        say(form.dataset.signedOut, "warning");
        return "wait";
      }
      if (response.status >= 500) { return "wait"; }
      return response.json().then(function (answer) {
        if (answer.ok) {
          say(answer.warning || form.dataset.sent, answer.warning ? "warning" : "success");
        } else {
          say(form.dataset.refused + " " + (answer.error || ""), "error");
        }
        return "done";
      }, function () {
        // 403, 404: no JSON, and no point in sending it again.
        say(form.dataset.refused, "error");
        return "done";
      });
    }, function () { return "wait"; });
  }

  function flush() {
    if (flushing) { again = true; return Promise.resolve(); }
    flushing = true;
    again = false;
    return queued().then(function (items) {
      items.sort(function (a, b) { return a.queued_at - b.queued_at; });
      var waiting = false;
      return items.reduce(function (chain, item) {
        return chain.then(function () {
          if (waiting) { return null; }
          return send(item).then(function (outcome) {
            if (outcome === "done") { return drop(item.client_id); }
            waiting = true;
            return null;
          });
        });
      }, Promise.resolve()).then(function () {
        if (waiting) {
          if (!navigator.onLine) { say(form.dataset.queued, "warning"); }
          scheduleRetry();
        }
      });
    }).catch(function () { /* storage refused: the plain form still works on reload */ })
      .then(function () {
        flushing = false;
        if (again) { flush(); }
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var fields = [];
    new FormData(form).forEach(function (value, name) { fields.push([name, String(value)]); });
    var item = {
      client_id: idField.value,
      url: form.action || window.location.href,
      fields: fields,
      queued_at: Date.now()
    };
    keep(item).then(function () {
      // The next sheet from this page is another one.
      idField.value = newId();
      say(navigator.onLine ? form.dataset.sending : form.dataset.queued, navigator.onLine ? "" : "warning");
      return flush();
    }, function () {
      form.submit();  // no storage (private mode): send it the plain way
    });
  });

  window.addEventListener("online", function () { flush(); });
  flush();
})();
