/* Project chat client (CHAT_PROTOCOL.md). No build step, no inline script: every [data-chat]
 * element on the page becomes a chat; configuration comes from its data- attributes and texts
 * from Django's JavaScript catalog (/jsi18n/, loaded before this file). */
(function () {
  "use strict";

  var gettext = window.gettext || function (s) { return s; };
  var interpolate = window.interpolate || function (fmt, obj) {
    return fmt.replace(/%\(\w+\)s/g, function (m) { return obj[m.slice(2, -2)]; });
  };
  var URL_RE = /\bhttps?:\/\/[^\s<>"']+/gi;
  var MAX_DELAY = 60000;
  var BASE_DELAY = 1000;
  var TYPING_EVERY = 3000;
  var TYPING_SHOWN = 5000;

  /* Dates, times and lists in the page's language (<html lang>), not the browser's: a Catalan
   * page on an English phone shows "7/12/26, 9:15" and "Marta i Joan". */
  var PAGE_LANGUAGE = document.documentElement.lang || undefined;
  var PAGE_PRIMARY = (PAGE_LANGUAGE || "").slice(0, 2);
  /* English pages write dates day first, as the server's formats do (cluster/formats/en). */
  if (PAGE_LANGUAGE === "en") { PAGE_LANGUAGE = "en-GB"; }
  var timeFormat = null;
  function formatTime(date) {
    try {
      timeFormat = timeFormat || new Intl.DateTimeFormat(PAGE_LANGUAGE, {dateStyle: "short", timeStyle: "short"});
      return timeFormat.format(date);
    } catch (error) {
      return date.toLocaleString(PAGE_LANGUAGE);
    }
  }
  function formatList(items) {
    if (window.Intl && Intl.ListFormat) {
      try {
        return new Intl.ListFormat(PAGE_LANGUAGE, {style: "long", type: "conjunction"}).format(items);
      } catch (error) { /* an unknown language tag: the plain list below */ }
    }
    return items.join(", ");
  }

  /* The language a message is written in, when its words clearly say so (core/textlang.py,
   * whose word lists the panel hands over): "ca", "es", "en" or "". */
  var TOKEN_RE = /\p{L}+(?:['\u2019\u00b7]\p{L}+)*/gu;
  function guessLanguage(text, lookup) {
    if (!lookup) { return ""; }
    var scores = {};
    (text.match(TOKEN_RE) || []).forEach(function (token) {
      var language = token === "I" ? "en" : lookup[token.toLowerCase()];
      if (language) { scores[language] = (scores[language] || 0) + 1; }
    });
    var ranked = Object.keys(scores).sort(function (a, b) { return scores[b] - scores[a]; });
    if (!ranked.length) { return ""; }
    var hits = scores[ranked[0]];
    var others = ranked.length > 1 ? scores[ranked[1]] : 0;
    return hits >= 2 && hits >= 2 * others ? ranked[0] : "";
  }
  function markLanguage(node, text, lookup) {
    var language = guessLanguage(text, lookup);
    if (language && language !== PAGE_PRIMARY) { node.lang = language; }
  }

  /* The start of a message, for the names of the buttons that act on it. */
  var EXCERPT_LENGTH = 40;
  function excerpt(text) {
    var flat = text.replace(/\s+/g, " ").trim();
    return flat.length > EXCERPT_LENGTH ? flat.slice(0, EXCERPT_LENGTH - 1).trim() + "…" : flat;
  }

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return "c" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  /* Message text as text nodes, with http(s) links made clickable; never innerHTML. */
  function renderBody(container, text) {
    var last = 0;
    text.replace(URL_RE, function (match, offset) {
      var url = match.replace(/[).,;:!?]+$/, "");
      var parsed = null;
      try { parsed = new URL(url); } catch (e) { parsed = null; }
      if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) { return match; }
      container.appendChild(document.createTextNode(text.slice(last, offset)));
      var link = el("a", "", url);
      link.href = parsed.href;
      link.rel = "noopener noreferrer nofollow";
      link.target = "_blank";
      container.appendChild(link);
      last = offset + url.length;
      return match;
    });
    container.appendChild(document.createTextNode(text.slice(last)));
  }

  function Chat(root) {
    this.root = root;
    this.projectId = root.dataset.projectId;
    this.userId = parseInt(root.dataset.userId, 10);
    this.canModerate = root.dataset.canModerate === "true";
    this.editWindow = parseInt(root.dataset.editWindow || "900", 10) * 1000;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    this.url = scheme + window.location.host + root.dataset.wsPath;
    this.log = root.querySelector("[data-chat-log]");    // the scrolling live region
    this.list = root.querySelector("[data-chat-list]");  // the messages in it
    this.banner = root.querySelector("[data-chat-banner]");
    this.presenceEl = root.querySelector("[data-chat-presence]");
    this.typingEl = root.querySelector("[data-chat-typing]");
    this.errorEl = root.querySelector("[data-chat-error]");
    this.form = root.querySelector("[data-chat-form]");
    this.input = root.querySelector("[data-chat-input]");
    this.label = root.querySelector("[data-chat-label]");
    this.submit = root.querySelector("[data-chat-submit]");
    this.cancel = root.querySelector("[data-chat-cancel]");
    this.olderButton = root.querySelector("[data-chat-older]");
    this.messages = new Map();      // seq -> message
    this.nodes = new Map();         // seq -> <li>
    this.pendingNodes = new Map();  // client_id -> <li>
    this.requests = [];             // "sync" | "history" | "refresh", answered in order
    this.typers = new Map();        // user id -> {name, until}
    this.cardUrls = this.loadCardUrls();  // user id -> card URL
    this.languageWords = this.loadLanguageWords();  // word -> the one language that uses it
    this.storageKey = "chat-outbox:" + this.projectId + ":" + this.userId;
    this.outbox = this.loadOutbox();
    this.readSeq = null;
    this.sentRead = 0;
    this.attempt = 0;
    this.editing = null;
    this.lastTyping = 0;
    this.stopped = false;
    this.socket = null;
    this.retryTimer = null;
    this.bind();
    this.renderOutbox();
    this.connect();
  }

  /* The outbox: messages typed but not yet acknowledged, kept in this tab's sessionStorage so a
   * reload (or the offline page, then back) does not lose them, and gone with the tab: nothing
   * stays on a shared computer after it is closed. Each keeps its client_id, so however often
   * it is sent again, the server stores it once. */
  Chat.prototype.loadOutbox = function () {
    try {
      var items = JSON.parse(window.sessionStorage.getItem(this.storageKey) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (e) { return []; }
  };

  Chat.prototype.saveOutbox = function () {
    try {
      if (this.outbox.length) {
        window.sessionStorage.setItem(this.storageKey, JSON.stringify(this.outbox));
      } else {
        window.sessionStorage.removeItem(this.storageKey);
      }
    } catch (e) { /* storage refused (private mode, quota): the outbox lives in memory only */ }
  };

  Chat.prototype.bind = function () {
    var self = this;
    this.form.addEventListener("submit", function (event) { event.preventDefault(); self.onSubmit(); });
    this.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        self.onSubmit();
      } else if (event.key === "Escape" && self.editing !== null) {
        self.stopEditing();
      }
    });
    this.input.addEventListener("input", function () { self.onTyping(); });
    this.cancel.addEventListener("click", function () { self.stopEditing(); });
    this.olderButton.addEventListener("click", function () { self.loadOlder(); });
    // The messages' Edit and Delete buttons are one Tab stop for the whole list (a roving
    // tabindex): the arrow keys move between them, Tab goes on to the composer.
    this.list.addEventListener("keydown", function (event) { self.onActionKey(event); });
    this.list.addEventListener("focusin", function (event) {
      if (event.target.matches(".chat-actions button")) { self.setCurrentAction(event.target); }
    });
    this.log.addEventListener("scroll", function () {
      if (self.log.scrollTop < 40) { self.loadOlder(); }
      if (self.nearBottom()) { self.markRead(); }
    });
    document.addEventListener("visibilitychange", function () { self.markRead(); });
    window.addEventListener("online", function () { self.reconnectNow(); });
    window.setInterval(function () { self.renderTyping(); }, 1000);
  };

  /* --- connection ------------------------------------------------------------------ */

  Chat.prototype.connect = function () {
    var self = this;
    this.retryTimer = null;
    var socket;
    try { socket = new WebSocket(this.url); } catch (e) { this.scheduleReconnect(); return; }
    this.socket = socket;
    // Requests in flight died with the old socket.
    this.requests = [];
    this.syncing = false;
    this.loadingOlder = false;
    socket.onmessage = function (event) {
      if (socket !== self.socket) { return; }
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      self.onFrame(frame);
    };
    socket.onclose = function (event) {
      if (socket !== self.socket) { return; }
      self.socket = null;
      self.root.classList.remove("is-connected");
      if (event.code === 4401 || event.code === 4403 || event.code === 4404) {
        self.stopped = true;
        var texts = {
          4401: gettext("Your session has ended. Sign in again to use the chat."),
          4403: gettext("You no longer have access to this chat."),
          4404: gettext("This project does not exist.")
        };
        self.showBanner(texts[event.code]);
        self.input.disabled = true;
        self.submit.disabled = true;
        return;
      }
      self.scheduleReconnect();
    };
  };

  Chat.prototype.send = function (frame) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN && this.root.classList.contains("is-connected")) {
      this.socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  };

  Chat.prototype.scheduleReconnect = function () {
    if (this.stopped || this.retryTimer) { return; }
    // Full jitter: a random wait up to min(60 s, 1 s * 2^attempt).
    var cap = Math.min(MAX_DELAY, BASE_DELAY * Math.pow(2, this.attempt));
    var delay = Math.floor(Math.random() * cap);
    this.attempt += 1;
    this.showBanner(gettext("Disconnected. Reconnecting…"));
    this.retryTimer = window.setTimeout(this.connect.bind(this), delay);
  };

  Chat.prototype.reconnectNow = function () {
    if (this.stopped || this.socket) { return; }
    if (this.retryTimer) { window.clearTimeout(this.retryTimer); this.retryTimer = null; }
    this.connect();
  };

  Chat.prototype.showBanner = function (text) {
    this.banner.textContent = text;
    this.banner.hidden = !text;
  };

  /* --- frames from the server ------------------------------------------------------ */

  Chat.prototype.onFrame = function (frame) {
    switch (frame.type) {
      case "hello": this.onHello(frame); break;
      case "message.new": this.onNew(frame.message); break;
      case "message.updated": this.merge([frame.message]); break;
      case "messages": this.onMessages(frame); break;
      case "presence": this.renderPresence(frame.online); break;
      case "typing": this.onTyping(frame.user); break;
      case "error": this.onError(frame); break;
      default: break;
    }
  };

  Chat.prototype.onHello = function (frame) {
    var hadMessages = this.messages.size > 0;
    var highest = this.highestSeq();
    this.attempt = 0;
    this.root.classList.add("is-connected");
    this.showBanner("");
    var placeholder = this.list.querySelector("[data-chat-placeholder]");
    if (placeholder) { placeholder.remove(); }
    if (this.readSeq === null) { this.readSeq = frame.read_seq; }
    this.merge(frame.messages);
    this.renderPresence(frame.online);
    if (hadMessages && highest < frame.last_seq) {
      this.requestSync(highest);
    }
    if (hadMessages) { this.refreshOlder(frame.messages); }
    this.updateOlderButton();
    this.flushOutbox();
    this.scrollToBottom();
    this.markRead();
  };

  Chat.prototype.onNew = function (message) {
    var highest = this.highestSeq();
    var wasAtBottom = this.nearBottom();
    this.merge([message]);
    // What they were typing has arrived: they are no longer "typing".
    if (message.author && this.typers.delete(message.author.id)) { this.renderTyping(); }
    if (message.seq > highest + 1) {
      this.requestSync(highest);
    }
    if (message.author && message.author.id === this.userId) {
      this.acknowledge(message.client_id);
      this.scrollToBottom();
    } else if (wasAtBottom) {
      this.scrollToBottom();
    }
    this.markRead();
  };

  Chat.prototype.onMessages = function (frame) {
    var kind = this.requests.shift() || "sync";
    var self = this;
    frame.messages.forEach(function (message) {
      if (message.author && message.author.id === self.userId) { self.acknowledge(message.client_id); }
    });
    if (kind === "refresh") {
      this.merge(frame.messages);
    } else if (kind === "history") {
      var before = this.log.scrollHeight;
      this.merge(frame.messages);
      this.log.scrollTop += this.log.scrollHeight - before;
      this.noOlder = !frame.has_more;
      this.loadingOlder = false;
      this.updateOlderButton();
    } else {
      this.syncing = false;
      this.merge(frame.messages);
      if (frame.has_more) { this.requestSync(this.highestSeq()); }
      this.markRead();
    }
  };

  Chat.prototype.onError = function (frame) {
    var texts = {
      invalid: gettext("The chat did not understand that request."),
      too_long: gettext("The message is too long (4,000 characters at most)."),
      empty: gettext("The message is empty."),
      rate_limited: gettext("You are sending messages too fast; it will be sent in a moment."),
      forbidden: gettext("You are not allowed to do that."),
      not_found: gettext("That message no longer exists."),
      unavailable: gettext("The chat is unavailable right now; your message will be sent again.")
    };
    this.showError(texts[frame.code] || frame.detail);
    var self = this;
    var item = this.outbox.find(function (entry) { return entry.client_id === frame.ref; });
    if (!item) { return; }
    if (frame.code === "rate_limited" || frame.code === "unavailable") {
      window.setTimeout(function () { self.flushOutbox(); }, frame.code === "rate_limited" ? 3000 : 2000);
    } else {
      // It can never succeed as it is: give it back to the person to fix.
      this.acknowledge(item.client_id);
      if (!this.input.value) { this.input.value = item.body; }
    }
  };

  Chat.prototype.showError = function (text) {
    var self = this;
    this.errorEl.textContent = text;
    this.errorEl.hidden = false;
    window.clearTimeout(this.errorTimer);
    this.errorTimer = window.setTimeout(function () { self.errorEl.hidden = true; }, 8000);
  };

  /* --- requests -------------------------------------------------------------------- */

  Chat.prototype.requestSync = function (after) {
    if (this.syncing) { return; }
    if (this.send({type: "sync", after: after})) {
      this.syncing = true;
      this.requests.push("sync");
    }
  };

  /* After a reconnect: "hello" brings the newest messages as they are now, "sync" those after
     the last one held. Older messages held on screen may have been edited or deleted
     meanwhile: ask for them again (the newest 100 of them), and merge what changed. */
  Chat.prototype.refreshOlder = function (fresh) {
    var first = fresh.length ? fresh[0].seq : this.highestSeq() + 1;
    var lowest = this.lowestSeq();
    if (lowest <= 0 || lowest >= first) { return; }
    if (this.send({type: "history", before: first, limit: Math.min(100, first - lowest)})) {
      this.requests.push("refresh");
    }
  };

  Chat.prototype.loadOlder = function () {
    var lowest = this.lowestSeq();
    if (this.loadingOlder || this.noOlder || lowest <= 1) { return; }
    if (this.send({type: "history", before: lowest, limit: 50})) {
      this.loadingOlder = true;
      this.requests.push("history");
    }
  };

  Chat.prototype.updateOlderButton = function () {
    this.olderButton.hidden = this.noOlder || this.lowestSeq() <= 1;
  };

  Chat.prototype.markRead = function () {
    var highest = this.highestSeq();
    if (document.visibilityState !== "visible" || !this.nearBottom() || highest <= this.sentRead) { return; }
    if (this.send({type: "read", seq: highest})) {
      this.sentRead = highest;
      // The counts rendered with the page are out of date once the person has read on.
      var counts = this.root.querySelector("[data-chat-counts]");
      if (counts) { counts.textContent = ""; }
    }
  };

  /* --- sending --------------------------------------------------------------------- */

  Chat.prototype.onSubmit = function () {
    var body = this.input.value.trim();
    if (!body) { this.showError(gettext("The message is empty.")); return; }
    if (body.length > 4000) { this.showError(gettext("The message is too long (4,000 characters at most).")); return; }
    if (this.editing !== null) {
      if (!this.send({type: "message.edit", seq: this.editing, body: body})) {
        this.showError(gettext("Not connected: the edit was not sent."));
        return;
      }
      this.stopEditing();
      return;
    }
    var item = {client_id: uuid(), body: body};
    this.outbox.push(item);
    this.saveOutbox();
    this.input.value = "";
    this.renderPending(item);
    this.send({type: "message.send", body: item.body, client_id: item.client_id});
    this.scrollToBottom();
  };

  Chat.prototype.flushOutbox = function () {
    var self = this;
    this.outbox.forEach(function (item) {
      self.send({type: "message.send", body: item.body, client_id: item.client_id});
    });
  };

  Chat.prototype.acknowledge = function (clientId) {
    var before = this.outbox.length;
    this.outbox = this.outbox.filter(function (item) { return item.client_id !== clientId; });
    if (this.outbox.length !== before) { this.saveOutbox(); }
    var node = this.pendingNodes.get(clientId);
    if (node) { node.remove(); this.pendingNodes.delete(clientId); }
  };

  Chat.prototype.renderOutbox = function () {
    var self = this;
    this.outbox.forEach(function (item) { self.renderPending(item); });
  };

  Chat.prototype.renderPending = function (item) {
    var li = el("li", "chat-msg is-own is-pending");
    li.dataset.clientId = item.client_id;
    var body = el("p", "chat-body");
    renderBody(body, item.body);
    markLanguage(body, item.body, this.languageWords);
    li.appendChild(body);
    li.appendChild(el("span", "chat-mark meta", gettext("sending…")));
    this.list.appendChild(li);
    this.pendingNodes.set(item.client_id, li);
  };

  Chat.prototype.onTyping = function (user) {
    if (user) {
      this.typers.set(user.id, {name: user.name, until: Date.now() + TYPING_SHOWN});
      this.renderTyping();
      return;
    }
    var now = Date.now();
    if (now - this.lastTyping > TYPING_EVERY && this.input.value && this.send({type: "typing"})) {
      this.lastTyping = now;
    }
  };

  Chat.prototype.renderTyping = function () {
    var now = Date.now();
    var names = [];
    this.typers.forEach(function (entry, id, map) {
      if (entry.until < now) { map.delete(id); } else { names.push(entry.name); }
    });
    var text = names.length ? interpolate(gettext("%(names)s typing…"), {names: formatList(names)}, true) : "";
    if (this.typingEl.textContent !== text) { this.typingEl.textContent = text; }
  };

  /* "Online: Marta, Pau": each name links to the person's card when they show one (the page
     lists the team's cards; a JSON script element, not executed). */
  Chat.prototype.loadCardUrls = function () {
    var source = document.getElementById(this.root.dataset.cardUrls || "");
    try { return source ? JSON.parse(source.textContent) : {}; } catch (e) { return {}; }
  };

  Chat.prototype.loadLanguageWords = function () {
    var source = document.getElementById(this.root.dataset.languageWords || "");
    var lookup = {};
    try {
      var words = source ? JSON.parse(source.textContent) : {};
      Object.keys(words).forEach(function (language) {
        words[language].forEach(function (word) { lookup[word] = language; });
      });
    } catch (e) { return null; }
    return lookup;
  };

  Chat.prototype.renderPresence = function (online) {
    var self = this;
    var names = online.map(function (user) { return user.name; });
    var text = interpolate(gettext("Online: %(names)s"), {names: formatList(names)}, true);
    this.presenceEl.textContent = "";
    // Find each name in the sentence (in its language's order) and make it a link.
    var rest = text;
    online.forEach(function (user) {
      var url = self.cardUrls[String(user.id)];
      var at = rest.indexOf(user.name);
      if (!url || at === -1) { return; }
      self.presenceEl.appendChild(document.createTextNode(rest.slice(0, at)));
      var link = el("a", "", user.name);
      link.href = url;
      self.presenceEl.appendChild(link);
      rest = rest.slice(at + user.name.length);
    });
    this.presenceEl.appendChild(document.createTextNode(rest));
  };

  /* --- editing --------------------------------------------------------------------- */

  Chat.prototype.startEditing = function (seq) {
    var message = this.messages.get(seq);
    if (!message) { return; }
    this.editing = seq;
    this.input.value = message.body;
    this.label.textContent = gettext("Edit your message");
    this.submit.textContent = gettext("Save");
    this.cancel.hidden = false;
    this.root.classList.add("is-editing");
    this.input.focus();
  };

  Chat.prototype.stopEditing = function () {
    this.editing = null;
    this.input.value = "";
    this.label.textContent = gettext("Message");
    this.submit.textContent = gettext("Send");
    this.cancel.hidden = true;
    this.root.classList.remove("is-editing");
  };

  Chat.prototype.deleteMessage = function (seq) {
    if (window.confirm(gettext("Delete this message?"))) {
      if (!this.send({type: "message.delete", seq: seq})) {
        this.showError(gettext("Not connected: the message was not deleted."));
      }
    }
  };

  /* --- rendering messages ---------------------------------------------------------- */

  Chat.prototype.highestSeq = function () {
    var highest = 0;
    this.messages.forEach(function (m, seq) { if (seq > highest) { highest = seq; } });
    return highest;
  };

  Chat.prototype.lowestSeq = function () {
    var lowest = Infinity;
    this.messages.forEach(function (m, seq) { if (seq < lowest) { lowest = seq; } });
    return lowest === Infinity ? 0 : lowest;
  };

  Chat.prototype.nearBottom = function () {
    return this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 60;
  };

  Chat.prototype.scrollToBottom = function () {
    this.log.scrollTop = this.log.scrollHeight;
  };

  /* Merge messages by seq: each seq is shown once, the newer state of a message wins. */
  Chat.prototype.merge = function (list) {
    var self = this;
    list.forEach(function (message) {
      var known = self.messages.get(message.seq);
      if (known && !self.isNewer(message, known)) { return; }
      self.messages.set(message.seq, message);
      var node = self.renderMessage(message);
      var old = self.nodes.get(message.seq);
      if (old) {
        // A button focused in the message's old rendering keeps the focus in the new one.
        var focused = old.contains(document.activeElement) ? document.activeElement : null;
        old.replaceWith(node);
        if (focused) {
          var again = node.querySelector("button[data-action='" + focused.dataset.action + "']") ||
            node.querySelector(".chat-actions button");
          if (again) { again.focus(); } else { self.log.focus(); }
        }
      } else {
        self.insertInOrder(message.seq, node);
      }
      self.nodes.set(message.seq, node);
    });
    this.renderDivider();
    this.updateActionStop();
  };

  /* --- the messages' actions: one Tab stop, arrow keys between them ------------------- */

  Chat.prototype.actionButtons = function () {
    return Array.prototype.slice.call(this.list.querySelectorAll(".chat-actions button"));
  };

  Chat.prototype.setCurrentAction = function (button) {
    this.currentAction = button;
    this.actionButtons().forEach(function (other) {
      other.tabIndex = other === button ? 0 : -1;
    });
  };

  /* The stop stays on the button last reached; when that one is gone (its message deleted or
     re-rendered), it moves to the same button of the same message, or the newest message's. */
  Chat.prototype.updateActionStop = function () {
    var current = this.currentAction;
    if (current && !this.list.contains(current)) {
      var item = this.nodes.get(current.dataSeq);
      var again = item && item.querySelector("button[data-action='" + current.dataset.action + "']");
      current = again || (item && item.querySelector(".chat-actions button")) || null;
    }
    if (!current) {
      var buttons = this.actionButtons();
      var last = buttons.length ? buttons[buttons.length - 1].closest(".chat-msg") : null;
      current = last ? last.querySelector(".chat-actions button") : null;
    }
    this.setCurrentAction(current);
  };

  Chat.prototype.onActionKey = function (event) {
    var button = event.target;
    if (!button.matches(".chat-actions button")) { return; }
    var buttons = this.actionButtons();
    var index = buttons.indexOf(button);
    var item = button.closest(".chat-msg");
    var inItem = Array.prototype.slice.call(item.querySelectorAll(".chat-actions button"));
    var position = inItem.indexOf(button);
    var target = null;
    if (event.key === "ArrowLeft") {
      target = inItem[position - 1] || null;
    } else if (event.key === "ArrowRight") {
      target = inItem[position + 1] || null;
    } else if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      var step = event.key === "ArrowUp" ? -1 : 1;
      for (var i = index + step; i >= 0 && i < buttons.length; i += step) {
        var other = buttons[i].closest(".chat-msg");
        if (other !== item) {
          var choices = other.querySelectorAll(".chat-actions button");
          target = choices[Math.min(position, choices.length - 1)];
          break;
        }
      }
    } else if (event.key === "Home") {
      target = buttons[0];
    } else if (event.key === "End") {
      target = buttons[buttons.length - 1];
    } else {
      return;
    }
    event.preventDefault();
    if (target) {
      this.setCurrentAction(target);
      target.focus();
      target.scrollIntoView({block: "nearest"});
    }
  };

  Chat.prototype.isNewer = function (message, known) {
    if (message.deleted !== known.deleted) { return message.deleted; }
    return (message.edited_at || "") > (known.edited_at || "");
  };

  Chat.prototype.insertInOrder = function (seq, node) {
    var next = null;
    var nextSeq = Infinity;
    this.nodes.forEach(function (other, otherSeq) {
      if (otherSeq > seq && otherSeq < nextSeq) { next = other; nextSeq = otherSeq; }
    });
    if (next) {
      this.list.insertBefore(node, next);
    } else {
      var firstPending = this.list.querySelector(".is-pending");
      this.list.insertBefore(node, firstPending);
    }
  };

  Chat.prototype.renderDivider = function () {
    var old = this.list.querySelector(".chat-divider");
    if (old) { old.remove(); }
    if (this.readSeq === null) { return; }
    var self = this;
    var first = null;
    this.messages.forEach(function (message, seq) {
      var mine = message.author && message.author.id === self.userId;
      if (seq > self.readSeq && !mine && (first === null || seq < first)) { first = seq; }
    });
    if (first === null) { return; }
    var divider = el("li", "chat-divider", gettext("New messages"));
    divider.setAttribute("aria-hidden", "true");
    this.list.insertBefore(divider, this.nodes.get(first));
  };

  Chat.prototype.renderMessage = function (message) {
    var self = this;
    var mine = message.author && message.author.id === this.userId;
    var li = el("li", "chat-msg");
    li.dataset.seq = String(message.seq);
    li.id = "chat-" + this.projectId + "-" + message.seq;
    if (mine) { li.classList.add("is-own"); }
    if (message.deleted) { li.classList.add("is-deleted"); }
    if ((message.mentions || []).indexOf(this.userId) !== -1) { li.classList.add("is-mention"); }
    var head = el("p", "chat-meta meta");
    head.appendChild(el("strong", "chat-author", message.author ? message.author.name : gettext("Former member")));
    var created = new Date(message.created_at);
    var time = el("time", "", formatTime(created));
    time.setAttribute("datetime", message.created_at);
    head.appendChild(document.createTextNode(" "));
    head.appendChild(time);
    if (message.edited_at && !message.deleted) {
      head.appendChild(el("span", "chat-mark", " " + gettext("(edited)")));
    }
    li.appendChild(head);
    if (message.deleted) {
      li.appendChild(el("p", "chat-body chat-deleted", gettext("This message was deleted.")));
      return li;
    }
    var body = el("p", "chat-body");
    renderBody(body, message.body);
    markLanguage(body, message.body, this.languageWords);
    li.appendChild(body);
    var actions = el("div", "chat-actions");
    // Each button says which message it acts on: "Edit your message of 10:42: Hello…".
    var which = {time: formatTime(created), excerpt: excerpt(message.body),
                 name: message.author ? message.author.name : gettext("Former member")};
    function actionButton(action, text, label, onClick) {
      var button = el("button", "link-button", text);
      button.type = "button";
      button.tabIndex = -1;
      button.dataset.action = action;
      button.dataSeq = message.seq;
      button.setAttribute("aria-label", interpolate(label, which, true));
      button.addEventListener("click", onClick);
      actions.appendChild(button);
    }
    if (mine && Date.now() - created.getTime() < this.editWindow) {
      actionButton("edit", gettext("Edit"), gettext("Edit your message of %(time)s: %(excerpt)s"),
        function () { self.startEditing(message.seq); });
    }
    if (mine || this.canModerate) {
      actionButton("delete", gettext("Delete"),
        mine ? gettext("Delete your message of %(time)s: %(excerpt)s")
             : gettext("Delete the message by %(name)s of %(time)s: %(excerpt)s"),
        function () { self.deleteMessage(message.seq); });
    }
    if (actions.childNodes.length) { li.appendChild(actions); }
    return li;
  };

  function start() {
    document.querySelectorAll("[data-chat]").forEach(function (root) {
      if (!root.chat) { root.chat = new Chat(root); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
