// WhatsApp Web simulator page. Plain DOM, no framework, no network beyond its own origin.
// The DOM it builds is a contract with browser-automation transports: see package-info.java
// of dev.wasched.testkit.whatsapp before renaming anything here.
'use strict';
(function () {
  const ICON_BY_STATUS = { pending: 'msg-time', sent: 'msg-check', delivered: 'msg-dblcheck', read: 'msg-dblcheck-ack' };
  const RANK = { pending: 0, sent: 1, delivered: 2, read: 3 };
  // Where the session lives, modelled on WhatsApp Web (see package-info.java): a non-extractable AES-GCM CryptoKey in
  // IndexedDB (database 'wawc_db_enc', store 'keys', record { id, key, _expiration }), and the login data in
  // localStorage, encrypted with that key. Without a usable key the login data cannot be read: QR code.
  const KEY_DB = 'wawc_db_enc';
  const KEY_STORE = 'keys';
  const KEY_ID = 1;
  const SESSION_KEY = 'WASimSession';
  // Databases the page may have written, for clearStorage; 'wawc' held the token in plain text in earlier versions.
  const IDB_NAMES = [KEY_DB, 'wawc'];

  const app = document.getElementById('app');
  const S = {
    clientId: null,
    config: null,
    variant: null,
    viewVersion: -1,
    screen: null,
    qrPayload: null,
    pairingCode: null,
    busy: false,        // linking or logging out: ignore further views
    stopped: false,     // reloading or leaving: no more polls
    pollTimer: null,
    progressTimer: null,
    chats: [],
    chatsVersion: -1,
    chat: null,
    bubbles: new Map(), // id -> { status, iconEl } for the open chat
    outbox: new Map(),  // id -> { body, posting } for messages whose POST got no answer yet
    sendingMedia: false,
    storedToken: null,  // the login this page found in storage and the server still accepts
  };

  // ------------------------------------------------------------------ helpers

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
      else if (k === 'class') el.className = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  function icon(name) {
    return h('span', { 'data-icon': name, 'aria-hidden': 'true' });
  }

  function pad(n) { return String(n).padStart(2, '0'); }
  function clock(ms) { const d = new Date(ms); return pad(d.getHours()) + ':' + pad(d.getMinutes()); }
  function prePlain(ms) {
    return prePlainOf(ms, 'You');
  }
  function prePlainOf(ms, sender) {
    const d = new Date(ms);
    return '[' + clock(ms) + ', ' + (d.getMonth() + 1) + '/' + d.getDate() + '/' + d.getFullYear() + '] ' + sender + ': ';
  }
  function formatSize(bytes) {
    if (bytes < 1024) return bytes + ' B';
    if (bytes < 1024 * 1024) return Math.round(bytes / 1024) + ' kB';
    return (bytes / 1024 / 1024).toFixed(1) + ' MB';
  }
  // What the user typed, as WhatsApp sends it: no nbsp, no surrounding whitespace.
  function editableText(el) {
    return el.innerText.replace(/\u00a0/g, ' ').trim();
  }

  class HttpError extends Error {
    constructor(status, body) { super('HTTP ' + status); this.status = status; this.body = body; }
  }

  async function call(method, path, body) {
    const init = { method, cache: 'no-store', headers: {} };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(path, init);
    const type = res.headers.get('Content-Type') || '';
    const data = type.includes('json') ? await res.json() : null;
    if (!res.ok) throw new HttpError(res.status, data);
    return data;
  }

  function clientPath(p) { return '/api/clients/' + encodeURIComponent(S.clientId) + p; }

  // The server no longer accepts this page: 401 means the phone logged it out, 404 that the
  // server forgot it (timed out or restarted). Anything else is transient and retried.
  function handleApiError(e) {
    if (e && e.status === 401) return onLoggedOut();
    if (e && e.status === 404 && e.body && e.body.error === 'unknown-client') return reloadNow();
    console.warn('simulator request failed', e);
  }

  function reloadNow() {
    S.stopped = true;
    clearTimeout(S.pollTimer);
    location.reload();
  }

  // ------------------------------------------------------------------ storage

  function idbOpen() {
    return new Promise((resolve, reject) => {
      const r = indexedDB.open(KEY_DB, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(KEY_STORE, { keyPath: 'id', autoIncrement: true });
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
  }

  function idbTx(db, mode, fn) {
    return new Promise((resolve, reject) => {
      const tx = db.transaction(KEY_STORE, mode);
      const req = fn(tx.objectStore(KEY_STORE));
      let result;
      req.onsuccess = () => { result = req.result; };
      tx.oncomplete = () => resolve(result);
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
  }

  function toB64(buf) { return btoa(String.fromCharCode(...new Uint8Array(buf))); }
  function fromB64(s) { return Uint8Array.from(atob(s), c => c.charCodeAt(0)); }

  // The key, if IndexedDB holds one this page can use: a CryptoKey object. A key that went through a serialisation
  // that cannot carry it (Playwright's storage state writes {} for a CryptoKey) is no key.
  async function loadKey() {
    const db = await idbOpen();
    try {
      const rec = await idbTx(db, 'readonly', s => s.get(KEY_ID));
      return rec && rec.key instanceof CryptoKey ? rec.key : null;
    } finally { db.close(); }
  }

  // The stored login data, or null when there is none or it cannot be decrypted with the stored key.
  async function loadToken() {
    try {
      const item = localStorage.getItem(SESSION_KEY);
      if (!item) return null;
      const key = await loadKey();
      if (!key) return null;
      const { iv, data } = JSON.parse(item);
      const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromB64(iv) }, key, fromB64(data));
      return new TextDecoder().decode(plain);
    } catch (e) {
      return null;
    }
  }

  // Like WhatsApp Web, the page keeps its own JID ("DIGITS:DEVICE@c.us", JSON-encoded) in localStorage under
  // 'last-wid-md': it names the account that linked this device. A link makes a new key (extractable: false).
  async function saveToken(token, wid) {
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(token));
    const db = await idbOpen();
    try {
      await idbTx(db, 'readwrite', s => s.put({ id: KEY_ID, key, _expiration: Date.now() + 4 * 365 * 86400000 }));
    } finally { db.close(); }
    localStorage.setItem(SESSION_KEY, JSON.stringify({ iv: toB64(iv), data: toB64(data) }));
    localStorage.setItem('last-wid-md', JSON.stringify(wid));
  }

  async function clearStorage() {
    try { localStorage.clear(); } catch (e) { /* storage disabled: nothing to clear */ }
    for (const name of IDB_NAMES) {
      await new Promise(resolve => {
        const r = indexedDB.deleteDatabase(name);
        // 'blocked' only delays the deletion until connections close; ours are all closed.
        r.onsuccess = r.onerror = r.onblocked = () => resolve();
      });
    }
  }

  // ------------------------------------------------------------------ boot and poll

  async function boot() {
    const token = await loadToken();
    let r;
    try {
      r = await call('POST', '/api/clients', { token });
    } catch (e) {
      setTimeout(boot, 1000); // server not reachable (yet): keep trying, like WhatsApp's "connecting"
      return;
    }
    S.clientId = r.clientId;
    S.config = r.config;
    S.variant = r.config.variant;
    if (token && !r.linked) await clearStorage(); // stale session: forget it, as WhatsApp does
    if (r.linked) S.storedToken = token;
    await applyView(r.view);
    schedulePoll();
  }

  window.addEventListener('pagehide', () => {
    if (S.clientId) navigator.sendBeacon(clientPath('/close'));
  });

  function schedulePoll() {
    clearTimeout(S.pollTimer);
    if (!S.stopped) S.pollTimer = setTimeout(poll, S.config.pollMs);
  }

  async function poll() {
    if (S.stopped) return;
    let r;
    try {
      r = await call('POST', clientPath('/poll'), { shownQr: S.qrPayload, watch: watchedIds() });
    } catch (e) {
      if (e.status === 404) return reloadNow();
      schedulePoll();
      return;
    }
    if (r.reload) return reloadNow();
    try {
      await applyView(r.view);
      if (S.screen === 'main') {
        applyStatuses(r.statuses);
        showArrivals(r.inbound);
        if (r.chatsVersion !== S.chatsVersion) await refreshChats();
        retryOutbox();
      }
    } catch (e) {
      console.warn('poll handling failed', e);
    }
    schedulePoll();
  }

  async function applyView(v) {
    if (!v || S.busy || v.version < S.viewVersion) return; // stale answer of a poll that raced a user action
    S.viewVersion = v.version;
    switch (v.state) {
      case 'qr': return showQr(v.qr);
      case 'qr-expired': return showQrExpired();
      case 'phone-entry': return showPhoneEntry();
      case 'pairing': return showPairingCode(v.pairingCode);
      case 'linked': return onLinked(v.token, v.wid);
      case 'logged-out': return onLoggedOut();
    }
  }

  async function userAction(path, body) {
    try {
      const r = await call('POST', clientPath(path), body);
      await applyView(r.view);
      return r;
    } catch (e) {
      handleApiError(e);
      return null;
    }
  }

  // ------------------------------------------------------------------ landing: QR and pairing code

  function landing(children) {
    S.qrPayload = null;
    S.pairingCode = null;
    app.replaceChildren(
      h('div', { class: 'landing-wrapper' },
        h('div', { class: 'landing-header' }, icon('wa-wordmark'), h('span', {}, 'WhatsApp')),
        h('div', { class: 'landing-window' }, children)));
  }

  function showQr(qr) {
    if (S.screen !== 'qr') {
      S.screen = 'qr';
      landing([
        h('div', { class: 'landing-main' },
          h('div', { class: 'landing-title' }, 'Steps to log in'),
          h('ol', { class: 'landing-steps' },
            h('li', {}, 'Open WhatsApp on your phone'),
            h('li', {}, 'Tap Menu or Settings and select Linked devices'),
            h('li', {}, 'Tap Link a device'),
            h('li', {}, 'Point your phone at this screen to scan the QR code')),
          h('div', { class: 'link-phone-row' },
            h('span', { role: 'button', tabindex: 0, class: 'link', onclick: () => userAction('/phone-entry') },
              'Link with phone number'))),
        h('div', { class: 'qr-wrapper' },
          h('div', { class: 'qr-container', 'data-ref': qr.payload },
            h('canvas', { width: 264, height: 264, role: 'img', 'aria-label': 'Scan this QR code to link a device!' }))),
      ]);
    }
    if (qr.bits) {
      const container = app.querySelector('[data-ref]');
      drawQr(container.querySelector('canvas'), qr.size, qr.bits);
      container.setAttribute('data-ref', qr.payload);
      S.qrPayload = qr.payload;
    }
  }

  function drawQr(canvas, size, bits) {
    const ctx = canvas.getContext('2d');
    const quiet = 2;
    const cell = Math.max(1, Math.floor(canvas.width / (size + 2 * quiet)));
    const offset = Math.floor((canvas.width - cell * size) / 2);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = '#000000';
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        if (bits.charCodeAt(y * size + x) === 49) ctx.fillRect(offset + x * cell, offset + y * cell, cell, cell);
      }
    }
  }

  function showQrExpired() {
    if (S.screen === 'qr-expired') return;
    if (S.screen !== 'qr') showQr({ payload: '' }); // expired before the first payload arrived
    S.screen = 'qr-expired';
    S.qrPayload = null;
    const container = app.querySelector('[data-ref]');
    container.classList.add('expired');
    container.append(
      h('div', { class: 'qr-reload' },
        h('button', { type: 'button', class: 'qr-reload-button', onclick: () => userAction('/qr') },
          icon('refresh-large'),
          h('div', {}, 'Click to reload QR code'))));
  }

  function showPhoneEntry() {
    if (S.screen === 'phone-entry') return;
    S.screen = 'phone-entry';
    const input = h('input', {
      type: 'text', inputmode: 'tel', autocomplete: 'off', class: 'phone-input',
      'aria-label': 'Type your phone number.', placeholder: '+1 555 010 0001',
    });
    const error = h('div', { class: 'phone-error', role: 'alert' });
    const next = async () => {
      error.textContent = '';
      const r = await userAction('/pairing', { phone: input.value });
      if (r && r.error) error.textContent = 'Invalid phone number';
    };
    input.addEventListener('keydown', e => { if (e.key === 'Enter') { e.preventDefault(); next(); } });
    landing(h('div', { class: 'landing-main' },
      h('div', { class: 'landing-title' }, 'Enter phone number'),
      h('div', { class: 'landing-subtitle' }, 'Enter your phone number with country code.'),
      input,
      error,
      h('button', { type: 'button', class: 'primary', onclick: next }, 'Next'),
      h('div', { class: 'link-phone-row' },
        h('span', { role: 'button', tabindex: 0, class: 'link', onclick: () => userAction('/qr') },
          'Link with QR code instead'))));
    input.focus();
  }

  function showPairingCode(code) {
    if (S.screen === 'pairing' && S.pairingCode === code) return;
    S.screen = 'pairing';
    landing(h('div', { class: 'landing-main' },
      h('div', { class: 'landing-title' }, 'Enter code on phone'),
      h('div', { class: 'link-code', 'data-link-code': code, 'aria-details': 'link-device-phone-number-code-screen-instructions' },
        [...code].map(ch => h('span', { class: ch === '-' ? 'link-code-sep' : 'link-code-cell' }, ch))),
      h('ol', { class: 'landing-steps', id: 'link-device-phone-number-code-screen-instructions' },
        h('li', {}, 'Open WhatsApp on your phone'),
        h('li', {}, 'Tap Menu or Settings and select Linked devices'),
        h('li', {}, 'Tap Link a device, then Link with phone number instead'),
        h('li', {}, 'Enter this code on your phone')),
      h('div', { class: 'link-phone-row' },
        h('span', { role: 'button', tabindex: 0, class: 'link', onclick: () => userAction('/qr') },
          'Link with QR code instead'))));
    S.pairingCode = code;
  }

  // ------------------------------------------------------------------ link, loading, logout

  async function onLinked(token, wid) {
    S.ownDigits = wid.split(':')[0];
    if (S.screen === 'loading' || S.screen === 'main') return;
    S.busy = true;
    try {
      // Before the chat list shows, so a storage snapshot taken then has it. A login restored from storage stays
      // as it is: saving it again swaps the key before the data encrypted with it, and a load cut off between the
      // two (the tab loading again meanwhile) would leave a login that no later load can read.
      if (token !== S.storedToken) await saveToken(token, wid);
    } finally {
      S.busy = false;
    }
    S.screen = 'loading';
    S.qrPayload = null;
    const progress = h('progress', { value: 0, max: 100, class: 'startup-progress' });
    app.replaceChildren(
      h('div', { id: 'startup', class: 'startup' },
        h('div', { class: 'startup-logo' }, icon('intro-md-beta-logo-light')),
        progress,
        h('div', { class: 'startup-title' }, 'Loading your chats'),
        h('div', { class: 'startup-note' }, icon('lock-small'), ' End-to-end encrypted')));
    const started = Date.now();
    const total = Math.max(1, S.config.loadingMs);
    S.progressTimer = setInterval(() => { progress.value = Math.min(99, 100 * (Date.now() - started) / total); }, 50);
    setTimeout(() => { showMain().catch(handleApiError); }, S.config.loadingMs);
  }

  async function onLoggedOut() {
    if (S.stopped) return;
    S.stopped = true;
    S.busy = true;
    clearTimeout(S.pollTimer);
    await clearStorage();
    location.replace('/');
  }

  // ------------------------------------------------------------------ main UI

  async function showMain() {
    clearInterval(S.progressTimer);
    if (S.stopped) return;
    S.screen = 'main';
    const v = S.variant;
    S.searchBox = h('div', {
      contenteditable: 'true', role: 'textbox', 'data-tab': v.searchBoxDataTab, class: 'search-input',
      title: 'Search input textbox', 'aria-label': 'Search input textbox', 'data-placeholder': 'Search',
    });
    S.searchBox.addEventListener('input', renderChatList);
    S.searchBox.addEventListener('keydown', e => { if (e.key === 'Enter') e.preventDefault(); });
    S.chatList = h('div', { role: 'grid', 'aria-label': 'Chat list', 'aria-rowcount': 0, class: 'chat-list' });
    S.mainSlot = h('div', { class: 'main-slot' },
      h('div', { class: 'intro' },
        h('div', { class: 'intro-title' }, 'WhatsApp Web'),
        h('div', { class: 'intro-text' }, 'Send and receive messages without keeping your phone online.')));
    app.replaceChildren(
      h('div', { class: 'two' },
        h('div', { id: 'side', class: 'side' },
          h('header', { class: 'side-header' }, h('div', { class: 'avatar' }, icon('default-user')), h('div', { class: 'side-title' }, 'Chats')),
          h('div', { class: 'search-bar' },
            h('button', { type: 'button', class: 'search-button', 'aria-label': 'Search', onclick: () => S.searchBox.focus() },
              icon(v.searchIcon)),
            S.searchBox),
          h('div', { id: v.chatListId, class: 'pane-side' }, S.chatList)),
        S.mainSlot));
    await refreshChats();
    if (location.pathname === '/send') {
      const params = new URLSearchParams(location.search);
      // WhatsApp Web leaves the click-to-chat URL once it has handled it; a reload lands on '/'.
      history.replaceState(null, '', '/');
      await openFromUrl(params);
    }
  }

  async function refreshChats() {
    try {
      const r = await call('GET', clientPath('/chats'));
      S.chats = r.chats;
      S.chatsVersion = r.version;
      renderChatList();
    } catch (e) {
      handleApiError(e);
    }
  }

  function renderChatList() {
    const q = editableText(S.searchBox).toLowerCase();
    const qDigits = q.replace(/[^0-9]/g, '');
    const match = c => c.name.toLowerCase().includes(q) || (qDigits.length > 0 && c.number && c.number.includes(qDigits));
    const rows = S.chats.filter(c => (q ? match(c) : !c.contactOnly));
    S.chatList.replaceChildren(...rows.map(chatRow));
    S.chatList.setAttribute('aria-rowcount', rows.length);
  }

  function chatRow(c) {
    return h('div', { role: 'listitem', class: 'chat-row', 'data-chat-id': c.jid, onclick: () => openChatByJid(c.jid) },
      h('div', { role: 'gridcell', tabindex: 0, class: 'chat-cell' },
        h('div', { class: 'avatar small' }, icon(c.group ? 'default-group' : 'default-user')),
        h('div', { class: 'chat-info' },
          h('div', { class: 'chat-name' }, h('span', { dir: 'auto', title: c.name, class: 'chat-title' }, c.name)),
          h('div', { class: 'chat-last' }, c.lastText || '')),
        // The badge before 2025: the labelled span holds the count itself.
        c.unread ? h('span', { 'aria-label': c.unread + (c.unread === 1 ? ' unread message' : ' unread messages'),
          class: 'unread-badge' }, String(c.unread)) : null));
  }

  async function openChatByJid(jid) {
    try {
      const r = await call('GET', clientPath('/chat?jid=' + encodeURIComponent(jid)));
      if (r.ok) openChat(r, '');
    } catch (e) {
      handleApiError(e);
    }
  }

  async function openFromUrl(params) {
    const phone = (params.get('phone') || '').replace(/[\s+().-]/g, '');
    const text = params.get('text') || '';
    if (!phone) return;
    let r;
    try {
      r = await call('GET', clientPath('/chat?phone=' + encodeURIComponent(phone)));
    } catch (e) {
      return handleApiError(e);
    }
    if (r.ok) openChat(r, text);
    else showInvalidNumberPopup();
  }

  function showInvalidNumberPopup() {
    const popup = h('div', { 'data-animate-modal-popup': 'true', role: 'dialog', 'aria-modal': 'true', class: 'modal-backdrop' },
      h('div', { class: 'modal' },
        h('div', { class: 'modal-body' }, S.variant.invalidNumberText),
        h('div', { class: 'modal-controls' },
          h('button', { type: 'button', class: 'modal-ok', onclick: () => popup.remove() }, 'OK'))));
    document.body.append(popup);
  }

  function openChat(r, prefill) {
    const v = S.variant;
    closeAttachMenu();
    S.preview = null;
    S.chat = r.chat;
    S.bubbles = new Map();
    S.conversation = h('div', { class: 'conversation', role: 'application', 'aria-label': 'Message list' });
    S.compose = h('div', {
      contenteditable: 'true', role: 'textbox', 'data-tab': v.composeBoxDataTab, class: 'compose-input',
      title: 'Type a message', 'aria-label': 'Type a message', 'data-placeholder': 'Type a message', spellcheck: 'true',
    });
    S.compose.addEventListener('input', updateSendButton);
    S.compose.addEventListener('keydown', e => {
      if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); sendText(); }
    });
    S.compose.addEventListener('paste', e => { // plain text only, like WhatsApp
      e.preventDefault();
      document.execCommand('insertText', false, e.clipboardData.getData('text/plain'));
    });
    S.attachWrap = h('div', { class: 'attach-wrap' },
      h('div', { role: 'button', tabindex: 0, title: 'Attach', 'aria-label': 'Attach', class: 'attach-button', onclick: toggleAttachMenu },
        icon(v.attachIcon)));
    S.sendSlot = h('div', { class: 'send-slot' });
    S.footer = h('footer', { class: 'compose-footer' }, S.attachWrap, h('div', { class: 'compose-wrap' }, S.compose), S.sendSlot);
    S.mainPanel = h('div', { id: 'main', class: 'main', 'data-chat-id': r.chat.jid },
      h('header', { class: 'chat-header' },
        h('div', { class: 'avatar small' }, icon(r.chat.group ? 'default-group' : 'default-user')),
        h('div', { class: 'chat-header-info' },
          h('div', { class: 'chat-header-title' }, h('span', { dir: 'auto', title: r.chat.name, class: 'chat-title' }, r.chat.name)),
          h('div', { class: 'chat-header-subtitle' }, r.chat.subtitle))),
      S.conversation,
      S.footer);
    S.mainSlot.replaceChildren(S.mainPanel);
    for (const m of r.messages) (m.in ? addIncoming(m) : addBubble(m));
    if (prefill) S.compose.textContent = prefill;
    updateSendButton();
    S.compose.focus();
    const range = document.createRange();
    range.selectNodeContents(S.compose);
    range.collapse(false);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  function updateSendButton() {
    const mode = editableText(S.compose) ? 'send' : 'ptt';
    if (S.sendSlot.dataset.mode === mode) return;
    S.sendSlot.dataset.mode = mode;
    // Like WhatsApp: the send button only exists while there is something to send.
    S.sendSlot.replaceChildren(mode === 'send'
      ? h('button', { type: 'button', class: 'send-button', 'aria-label': 'Send', onclick: sendText }, icon(S.variant.sendIcon))
      : h('button', { type: 'button', class: 'ptt-button', 'aria-label': 'Voice message' }, icon('ptt')));
  }

  function newMessageId(chat) {
    const bytes = new Uint8Array(8);
    crypto.getRandomValues(bytes);
    const key = '3EB0' + Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('').toUpperCase();
    return chat.group ? 'true_' + chat.jid + '_' + key + '_' + S.ownDigits + '@c.us' : 'true_' + chat.jid + '_' + key;
  }

  function sendText() {
    const text = editableText(S.compose);
    if (!text) return;
    S.compose.textContent = '';
    updateSendButton();
    const id = newMessageId(S.chat);
    addBubble({ id, text, caption: '', media: null, time: Date.now(), status: 'pending' });
    post(id, { chat: S.chat.jid, id, text });
  }

  async function post(id, body) {
    const entry = S.outbox.get(id) || { body, posting: false };
    S.outbox.set(id, entry);
    if (entry.posting) return;
    entry.posting = true;
    try {
      const r = await call('POST', clientPath('/messages'), entry.body);
      S.outbox.delete(id);
      setStatus(id, r.status);
    } catch (e) {
      const gone = e.status === 401 || (e.body && e.body.error === 'unknown-client');
      if (e.status >= 400 && e.status < 500 && !gone) {
        S.outbox.delete(id); // the server refused it for good; the bubble keeps its clock, as in WhatsApp
      }
      handleApiError(e);
    } finally {
      entry.posting = false;
    }
  }

  function retryOutbox() {
    for (const [id, entry] of S.outbox) if (!entry.posting) post(id, entry.body);
  }

  // A received message, as the page before 2025 draws one: the packed data-id (false_<chat>_<key>) on the
  // message-in element, the sender and time in the text's data-pre-plain-text.
  function addIncoming(m) {
    const content = [];
    if (m.quoted) {
      content.push(h('div', { role: 'button', 'aria-label': 'Quoted message', class: 'quoted' },
        h('span', { dir: 'auto', class: 'quoted-mention' }, m.quoted)));
    }
    content.push(h('div', { class: 'copyable-text', 'data-pre-plain-text': prePlainOf(m.time, m.sender) },
      h('span', { dir: 'ltr', class: 'selectable-text copyable-text' }, h('span', {}, m.text))));
    S.conversation.append(
      h('div', { role: 'row', class: 'message-row' },
        h('div', { class: 'message-in focusable-list-item', 'data-id': m.id },
          h('div', { class: 'bubble bubble-in' }, content,
            h('div', { class: 'msg-meta' }, h('span', { class: 'msg-clock' }, clock(m.time)))))));
    S.conversation.scrollTop = S.conversation.scrollHeight;
  }

  // A message arriving in the chat on screen shows there at once, and (in a window in front) is read at once.
  function showArrivals(list) {
    for (const m of list || []) {
      if (!S.chat || S.chat.jid !== m.pn) continue;
      addIncoming({ id: m.id, text: m.text, sender: m.sender, quoted: m.quotedText, time: m.t * 1000 });
      if (S.config.readsArrivals) call('POST', clientPath('/read'), { jid: m.pn }).catch(() => {});
    }
  }

  function addBubble(m) {
    const iconEl = icon(ICON_BY_STATUS[m.status] || 'msg-time');
    const content = [];
    if (m.media) {
      content.push(h('div', { class: 'media-box', 'data-media-name': m.media.name, 'data-media-mime': m.media.mime },
        icon(m.media.mime.startsWith('image/') ? 'media-image' : 'document'),
        h('span', { class: 'media-name' }, m.media.name),
        h('span', { class: 'media-size' }, formatSize(m.media.size))));
    }
    const shown = m.media ? m.caption : m.text;
    if (shown) {
      content.push(h('div', { class: 'copyable-text', 'data-pre-plain-text': prePlain(m.time) },
        h('span', { dir: 'ltr', class: 'selectable-text copyable-text' }, h('span', {}, shown))));
    }
    S.conversation.append(
      h('div', { role: 'row', class: 'message-row' },
        h('div', { class: 'message-out focusable-list-item', 'data-id': m.id },
          h('div', { class: 'bubble' },
            content,
            h('div', { class: 'msg-meta' }, h('span', { class: 'msg-clock' }, clock(m.time)), iconEl)))));
    S.bubbles.set(m.id, { status: m.status, iconEl });
    S.conversation.scrollTop = S.conversation.scrollHeight;
  }

  function setStatus(id, status) {
    const b = S.bubbles.get(id);
    if (!b || !(status in RANK) || RANK[status] <= RANK[b.status]) return; // icons never go backwards
    b.status = status;
    b.iconEl.setAttribute('data-icon', ICON_BY_STATUS[status]);
  }

  function applyStatuses(statuses) {
    for (const [id, status] of Object.entries(statuses || {})) setStatus(id, status);
  }

  function watchedIds() {
    if (S.screen !== 'main') return [];
    const ids = [];
    for (const [id, b] of S.bubbles) if (b.status !== 'read') ids.push(id);
    return ids;
  }

  // ------------------------------------------------------------------ attachments

  function toggleAttachMenu() {
    if (S.attachMenu) return closeAttachMenu();
    const item = (label, iconName, accept) => {
      const input = h('input', { type: 'file', accept, class: 'file-input' });
      input.addEventListener('change', () => {
        const file = input.files && input.files[0];
        closeAttachMenu();
        if (file) showPreview(file);
      });
      return h('li', { class: 'attach-item' },
        h('div', { role: 'button', tabindex: 0, 'aria-label': label, onclick: () => input.click() }, icon(iconName), h('span', {}, label)),
        input);
    };
    S.attachMenu = h('ul', { class: 'attach-menu', role: 'menu' },
      item('Document', 'document-filled', '*'),
      item('Photos & videos', 'media-filled-refreshed', 'image/*,video/mp4,video/3gpp,video/quicktime'));
    S.attachWrap.append(S.attachMenu);
  }

  function closeAttachMenu() {
    if (S.attachMenu) S.attachMenu.remove();
    S.attachMenu = null;
  }

  function showPreview(file) {
    const v = S.variant;
    const caption = h('div', {
      contenteditable: 'true', role: 'textbox', 'data-tab': 'undefined', class: 'caption-input',
      title: 'Add a caption', 'aria-label': 'Add a caption', 'data-placeholder': 'Add a caption',
    });
    const send = () => sendMedia(file, caption);
    caption.addEventListener('keydown', e => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); send(); } });
    const body = file.type.startsWith('image/')
      ? h('img', { src: URL.createObjectURL(file), alt: file.name, class: 'preview-image' })
      : h('div', { class: 'preview-doc' }, icon('document'), h('div', { class: 'preview-doc-name' }, file.name), h('div', {}, formatSize(file.size)));
    S.preview = h('div', { class: 'media-preview', 'data-media-preview': 'true' },
      h('div', { class: 'preview-header' },
        h('div', { role: 'button', tabindex: 0, 'aria-label': 'Close', class: 'preview-close', onclick: closePreview }, icon('x')),
        h('span', { class: 'preview-title' }, file.name)),
      h('div', { class: 'preview-body' }, body),
      h('div', { class: 'preview-footer' },
        h('div', { class: 'caption-wrap' }, caption),
        h('div', { role: 'button', tabindex: 0, 'aria-label': 'Send', class: 'preview-send', onclick: send }, icon(v.sendIcon))));
    // The preview replaces conversation and footer, so exactly one send icon is on the page.
    S.footer.remove();
    S.conversation.hidden = true;
    S.mainPanel.append(S.preview);
    caption.focus();
  }

  function closePreview() {
    if (!S.preview) return;
    S.preview.remove();
    S.preview = null;
    S.conversation.hidden = false;
    S.mainPanel.append(S.footer);
    S.compose.focus();
  }

  function readBase64(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
  }

  async function sendMedia(file, captionEl) {
    if (S.sendingMedia) return;
    S.sendingMedia = true;
    try {
      const caption = editableText(captionEl);
      const chat = S.chat;
      const mime = file.type || 'application/octet-stream';
      closePreview();
      const id = newMessageId(chat);
      addBubble({ id, text: '', caption, media: { name: file.name, mime, size: file.size }, time: Date.now(), status: 'pending' });
      const data = await readBase64(file);
      post(id, { chat: chat.jid, id, caption, media: { name: file.name, mime, data } });
    } finally {
      S.sendingMedia = false;
    }
  }

  document.addEventListener('keydown', e => {
    if (e.key !== 'Escape') return;
    const popup = document.querySelector('[data-animate-modal-popup]');
    if (popup) popup.remove();
    else if (S.attachMenu) closeAttachMenu();
    else if (S.preview) closePreview();
  });

  boot();
})();
