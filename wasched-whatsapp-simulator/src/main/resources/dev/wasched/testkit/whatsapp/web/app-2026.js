// WhatsApp Web simulator page, 2025-26 generation. Plain DOM, no framework, no network beyond its own origin.
// The DOM it builds is a contract with browser-automation transports: see package-info.java of
// dev.wasched.testkit.whatsapp before renaming anything here. The 2024 page (app.js) is kept unchanged.
'use strict';
(function () {
  // Status of an own message as the 2025-26 page shows it: an aria-label on the status span, and an SVG whose
  // <title> names the icon. Field observations: one tick is titled wds-ic-delivered despite its name, delivered and
  // read share wds-ic-read and differ only by colour; only the aria-label tells them apart reliably.
  const STATUS = {
    pending: { label: ' Pending ', title: 'wds-ic-pending', cls: 'status-pending' },
    sent: { label: ' Sent ', title: 'wds-ic-delivered', cls: 'status-sent' },
    delivered: { label: ' Delivered ', title: 'wds-ic-read', cls: 'status-delivered' },
    read: { label: ' Read ', title: 'wds-ic-read', cls: 'status-read' },
  };
  const RANK = { pending: 0, sent: 1, delivered: 2, read: 3 };
  const SVG_NS = 'http://www.w3.org/2000/svg';
  // Session storage, as on the 2024 page: a non-extractable AES-GCM CryptoKey in IndexedDB ('wawc_db_enc'/'keys'),
  // the login data encrypted with it in localStorage (or sessionStorage when "Stay logged in" was unchecked).
  const KEY_DB = 'wawc_db_enc';
  const KEY_STORE = 'keys';
  const KEY_ID = 1;
  const SESSION_KEY = 'WASimSession';
  // Chat history lives in WhatsApp's 'model-storage' database; the page fills its 'message' store once per profile.
  const HISTORY_DB = 'model-storage';
  const HISTORY_STORE = 'message';
  const HISTORY_MARKER = '__history';
  const IDB_NAMES = [KEY_DB, 'wawc', HISTORY_DB];
  // 1x1 transparent GIF: emoji are images whose alt holds the character, like WhatsApp's sprites.
  const EMOJI_SRC = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
  const EMOJI = /\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F|\u200D\p{Extended_Pictographic}\uFE0F?)*/gu;

  const app = document.getElementById('app');
  const S = {
    clientId: null,
    config: null,
    variant: null,
    viewVersion: -1,
    screen: null,
    qrPayload: null,
    pairingCode: null,
    busy: false,
    stopped: false,
    pollTimer: null,
    progressTimer: null,
    chats: [],
    chatsVersion: -1,
    chat: null,
    msgs: [],            // messages of the open chat, oldest first: { id, key, text, caption, media, time, status, expanded }
    msgById: new Map(),
    winEnd: 0,           // the rows in the DOM are msgs[max(0, winEnd - visible) .. winEnd)
    outbox: new Map(),
    sendingMedia: false,
    storedToken: null,   // the login this page found in storage and the server still accepts
    stayLoggedIn: true,
    screens: { whatsNew: false, conflict: false, passkey: false, restricted: false, connection: 'ONLINE' },
    whatsNewClosings: 0,
    pendingOpen: null,   // a /send link waiting for the connection
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

  // The 2025-26 icons: an SVG with a <title>, no data-icon.
  function svgIcon(title, cls) {
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '16');
    svg.setAttribute('height', '16');
    svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
    if (cls) svg.setAttribute('class', cls);
    const t = document.createElementNS(SVG_NS, 'title');
    t.textContent = title;
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('fill', 'currentColor');
    path.setAttribute('d', 'M4 12l5 5L20 6');
    svg.append(t, path);
    return svg;
  }

  function pad(n) { return String(n).padStart(2, '0'); }
  function clock(ms) { const d = new Date(ms); return pad(d.getHours()) + ':' + pad(d.getMinutes()); }
  function prePlain(ms) {
    return prePlainOf(ms, S.config.profileName);
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
  function editableText(el) {
    return el.innerText.replace(/\u00a0/g, ' ').trim();
  }
  function keyOf(id) {
    // true_CHAT_KEY or true_GROUP_KEY_SENDER: the key is the third part.
    return id.split('_')[2];
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

  // ------------------------------------------------------------------ formatting

  // WhatsApp's markup: *bold*, _italic_, ~strike~, `inline code`, ```monospace```. A marker opens after a start,
  // space or punctuation, closes before an end, space or punctuation, and encloses no edge spaces; markers are
  // dropped from the text. Emoji become <img alt="😀" class="emoji">.
  const FORMATS = [
    { re: /```([\s\S]+?)```/u, tag: 'code', cls: 'mono-block', plain: true },
    { re: /`([^`\n]+)`/u, tag: 'code', cls: 'inline-code', plain: true },
    { re: /(^|[\s\p{P}])\*(\S(?:[^*\n]*\S)?)\*(?=$|[\s\p{P}])/u, tag: 'strong' },
    { re: /(^|[\s\p{P}])_(\S(?:[^_\n]*\S)?)_(?=$|[\s\p{P}])/u, tag: 'em' },
    { re: /(^|[\s\p{P}])~(\S(?:[^~\n]*\S)?)~(?=$|[\s\p{P}])/u, tag: 'del' },
  ];

  function renderRich(text) {
    let best = null;
    for (const f of FORMATS) {
      const m = f.re.exec(text);
      if (!m) continue;
      const lead = f.plain ? '' : m[1];
      const start = m.index + lead.length;
      if (!best || start < best.start) best = { f, m, start, end: m.index + m[0].length, inner: f.plain ? m[1] : m[2] };
    }
    if (!best) return renderEmoji(text);
    const el = h(best.f.tag, { class: best.f.cls || null });
    el.append(...(best.f.plain ? [document.createTextNode(best.inner)] : renderRich(best.inner)));
    return [...renderEmoji(text.slice(0, best.start)), el, ...renderRich(text.slice(best.end))];
  }

  function renderEmoji(text) {
    const out = [];
    let last = 0;
    for (const m of text.matchAll(EMOJI)) {
      if (m.index > last) out.push(document.createTextNode(text.slice(last, m.index)));
      out.push(h('img', { src: EMOJI_SRC, alt: m[0], draggable: 'false', class: 'emoji' }));
      last = m.index + m[0].length;
    }
    if (last < text.length) out.push(document.createTextNode(text.slice(last)));
    return out;
  }

  // ------------------------------------------------------------------ storage

  function idbOpen(name, store, keyPath) {
    return new Promise((resolve, reject) => {
      const r = indexedDB.open(name, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(store, { keyPath, autoIncrement: keyPath === 'id' && name === KEY_DB });
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
  }

  function idbTx(db, store, mode, fn) {
    return new Promise((resolve, reject) => {
      const tx = db.transaction(store, mode);
      const req = fn(tx.objectStore(store));
      let result;
      if (req) req.onsuccess = () => { result = req.result; };
      tx.oncomplete = () => resolve(result);
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
  }

  function toB64(buf) {
    const bytes = new Uint8Array(buf);
    let s = '';
    for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
    return btoa(s);
  }
  function fromB64(s) { return Uint8Array.from(atob(s), c => c.charCodeAt(0)); }

  async function loadKey() {
    const db = await idbOpen(KEY_DB, KEY_STORE, 'id');
    try {
      const rec = await idbTx(db, KEY_STORE, 'readonly', s => s.get(KEY_ID));
      return rec && rec.key instanceof CryptoKey ? rec.key : null;
    } finally { db.close(); }
  }

  async function loadToken() {
    try {
      const item = localStorage.getItem(SESSION_KEY) || sessionStorage.getItem(SESSION_KEY);
      if (!item) return null;
      // Where the login was found: the choice made at the link.
      S.stayLoggedIn = localStorage.getItem(SESSION_KEY) !== null;
      const key = await loadKey();
      if (!key) return null;
      const { iv, data } = JSON.parse(item);
      const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromB64(iv) }, key, fromB64(data));
      return new TextDecoder().decode(plain);
    } catch (e) {
      return null;
    }
  }

  // Unchecking "Stay logged in on this browser" keeps the login data in sessionStorage: it dies with the browser
  // session, so the next browser start shows the QR code. The key stays in IndexedDB either way.
  async function saveToken(token, wid) {
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(token));
    const db = await idbOpen(KEY_DB, KEY_STORE, 'id');
    try {
      await idbTx(db, KEY_STORE, 'readwrite', s => s.put({ id: KEY_ID, key, _expiration: Date.now() + 4 * 365 * 86400000 }));
    } finally { db.close(); }
    const store = S.stayLoggedIn ? localStorage : sessionStorage;
    store.setItem(SESSION_KEY, JSON.stringify({ iv: toB64(iv), data: toB64(data) }));
    store.setItem('last-wid-md', JSON.stringify(wid));
  }

  // Fills the history store up to the configured size, once per profile; random bodies, so that compression
  // cannot shrink the profile on disk.
  async function ensureHistory() {
    const target = S.config.historyBytes;
    if (!target) return;
    const db = await idbOpen(HISTORY_DB, HISTORY_STORE, 'id');
    try {
      const marker = await idbTx(db, HISTORY_STORE, 'readonly', s => s.get(HISTORY_MARKER));
      let written = marker ? marker.bytes : 0;
      let n = marker ? marker.records : 0;
      const chunk = 48 * 1024; // base64 makes 64 KiB of text of it
      while (written < target && !S.stopped) {
        const recs = [];
        for (let i = 0; i < 16 && written < target; i++) {
          const raw = new Uint8Array(Math.min(chunk, Math.max(3, Math.ceil((target - written) * 3 / 4))));
          for (let j = 0; j < raw.length; j += 65536) crypto.getRandomValues(raw.subarray(j, Math.min(raw.length, j + 65536)));
          const body = toB64(raw);
          recs.push({ id: 'false_' + S.ownDigits + '@c.us_HIST' + (++n), t: Date.now(), body });
          written += body.length;
        }
        const w = written;
        const count = n;
        await idbTx(db, HISTORY_STORE, 'readwrite', s => {
          for (const r of recs) s.put(r);
          return s.put({ id: HISTORY_MARKER, bytes: w, records: count });
        });
      }
    } finally { db.close(); }
  }

  // Every message sent is kept in the same store, as WhatsApp Web keeps its messages in IndexedDB: a busy page
  // writes to its profile all the time.
  async function storeMessage(id, text) {
    try {
      const db = await idbOpen(HISTORY_DB, HISTORY_STORE, 'id');
      try {
        await idbTx(db, HISTORY_STORE, 'readwrite', s => s.put({ id, t: Date.now(), body: text }));
      } finally { db.close(); }
    } catch (e) { /* storage disabled or closing: the server has the message anyway */ }
  }

  async function clearStorage() {
    try { localStorage.clear(); } catch (e) { /* storage disabled */ }
    try { sessionStorage.clear(); } catch (e) { /* storage disabled */ }
    for (const name of IDB_NAMES) {
      await new Promise(resolve => {
        const r = indexedDB.deleteDatabase(name);
        r.onsuccess = r.onerror = r.onblocked = () => resolve();
      });
    }
  }

  // ------------------------------------------------------------------ in-page modules
  // WhatsApp Web's own modules, reached by scripts in the page (the facts and their sources: package-info.java,
  // "In-page modules"). A Meta-style loader: window.__d defines, window.require returns a module's exports and throws
  // for an id it does not know, require('__debug').modulesMap lists what is defined so far. The ids come from the
  // server's config (they differ per build); what a module exports (its shape) does not. Registration is
  // progressive: the page's helpers at once, the models once the chat list shows, the send action last.

  const REG = new Map();
  const MODULES_MAP = Object.create(null);
  function defineModule(id, factory) {
    const entry = { factory, exports: undefined, done: false };
    REG.set(id, entry);
    MODULES_MAP[id] = entry;
  }
  function requireModule(id) {
    const entry = REG.get(id);
    if (!entry) throw new Error('Requiring unknown module "' + id + '"');
    if (!entry.done) { entry.exports = entry.factory(); entry.done = true; }
    return entry.exports;
  }
  window.__d = function (id, deps, factory) { defineModule(id, typeof deps === 'function' ? deps : factory); };
  window.require = requireModule;
  defineModule('__debug', () => ({ modulesMap: MODULES_MAP }));

  // Backbone-style events, as WhatsApp's collections and models have: on, off, once; listeners get the arguments.
  function events(target) {
    const handlers = new Map();
    target.on = (name, fn) => { if (!handlers.has(name)) handlers.set(name, []); handlers.get(name).push(fn); return target; };
    target.off = (name, fn) => { const l = handlers.get(name); if (l) handlers.set(name, fn ? l.filter(f => f !== fn) : []); return target; };
    target.once = (name, fn) => { const w = (...a) => { target.off(name, w); fn(...a); }; return target.on(name, w); };
    target.trigger = (name, ...args) => {
      for (const fn of (handlers.get(name) || []).slice()) {
        try { fn(...args); } catch (e) { console.warn('listener of ' + name + ' failed', e); }
      }
    };
    return target;
  }

  function createWid(serialized) {
    const s = String(serialized && serialized._serialized ? serialized._serialized : serialized);
    const at = s.indexOf('@');
    if (at < 1) throw new Error('Invalid wid: ' + s);
    const user = s.slice(0, at);
    const server = s.slice(at + 1);
    return {
      user, server, _serialized: s,
      toString() { return s; },
      equals(o) { return !!o && String(o._serialized || o) === s; },
      isUser() { return server === 'c.us' || server === 'lid'; },
      isLid() { return server === 'lid'; },
      isGroup() { return server === 'g.us'; },
    };
  }

  const ACK = { pending: 0, sent: 1, delivered: 2, read: 3 };
  const IN = {
    lids: new Map(),       // phone-number jid -> LID jid, filled by the registration query when the build has it
    sent: new Map(),       // message id -> model, for messages sent through the send action, until read
    registered: false,
  };
  const Msg = events({
    _models: new Map(),
    get(id) { return this._models.get(String(id && id._serialized ? id._serialized : id)); },
    getModelsArray() { return Array.from(this._models.values()); },
    add(model) { this._models.set(model.id._serialized, model); this.trigger('add', model); return model; },
    processMultipleMessages() { return Promise.resolve([]); },
  });
  const Chat = events({
    _models: new Map(),
    get(id) { return this._models.get(String(id && id._serialized ? id._serialized : id)); },
    getActive() { return S.chat ? this.findOrAdd(createWid(S.chat.jid)) : undefined; },
    getModelsArray() { return Array.from(this._models.values()); },
    findOrAdd(wid) {
      let c = this.get(wid);
      if (!c) { c = { id: createWid(wid), kind: wid.isGroup() ? 'group' : 'chat' }; this._models.set(c.id._serialized, c); this.trigger('add', c); }
      return c;
    },
  });
  const Socket = events({ state: 'OPENING', stream: 'DISCONNECTED', hasSynced: false });

  function socketState() {
    if (S.screen === 'main' || S.screen === 'passkey') {
      if (S.screens.conflict) return 'CONFLICT';
      if (S.screens.connection === 'CONNECTING') return 'OPENING';
      return S.screens.connection === 'ONLINE' ? 'CONNECTED' : 'TIMEOUT';
    }
    if (S.screen === 'loading') return 'OPENING';
    if (S.screen === 'qr-expired') return 'UNPAIRED_IDLE';
    if (S.screen === 'qr' || S.screen === 'phone-entry' || S.screen === 'pairing') return 'UNPAIRED';
    return 'OPENING';
  }
  function syncSocket() {
    const state = socketState();
    if (state !== Socket.state) {
      Socket.state = state;
      Socket.stream = state === 'CONNECTED' ? 'CONNECTED' : 'DISCONNECTED';
      Socket.trigger('change:state', Socket, state);
    }
    if (S.screen === 'main' && !Socket.hasSynced) {
      Socket.hasSynced = true;
      Socket.trigger('change:hasSynced', Socket, true);
    }
  }

  function newKeyId() {
    const bytes = new Uint8Array(8);
    crypto.getRandomValues(bytes);
    return '3EB0' + Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('').toUpperCase();
  }

  async function queryExists(user) {
    const r = await call('GET', clientPath('/exists?phone=' + encodeURIComponent(user)));
    if (!r.registered) return null;
    const wid = createWid(r.jid);
    if (r.lid) IN.lids.set(r.jid, r.lid);
    return { wid, lid: r.lid ? createWid(r.lid) : undefined };
  }

  // A send from the page's own code: the message is built by the caller (id, body, type), the chat must be one the
  // page knows; a phone-number chat needs its LID, as the send path of the 2025-26 builds does.
  function addAndSendMsgToChat(chat, data) {
    const jid = chatForSend(chat, 'addAndSendMsgToChat');
    const body = String(data && data.body != null ? data.body : '');
    const { model, result } = sendFromPage(chat, data && data.id && data.id.id, { body, type: 'chat' },
      { chat: jid, text: body }, r => ({ messageSendResult: r }));
    if (S.chat && S.chat.jid === jid) {
      addMessage({ id: model.id._serialized, text: body, caption: '', media: null, time: Date.now(), status: 'pending' });
    }
    return [Promise.resolve(model), result];
  }

  function chatForSend(chat, name) {
    if (!chat || !chat.id) throw new Error(name + ': no chat');
    const jid = chat.id._serialized;
    if (chat.id.server === 'c.us' && !IN.lids.has(jid)) throw new Error('No LID for user');
    return jid;
  }

  // Adds the message to the message collection and hands it to the server; the result settles when the server has
  // it (its ack reaches "sent"); a refused send settles with an error and leaves the message pending in the chat.
  // When the real result settles is not documented publicly (whatsapp-web.js and wa-js only await it): settling late
  // is the cautious reading, since a transport must not take an early "OK" for the server's.
  function sendFromPage(chat, key, fields, post, wrap) {
    const jid = chat.id._serialized;
    key = key || newKeyId();
    const id = 'true_' + jid + '_' + key + (chat.id.isGroup() ? '_' + S.ownDigits + '@c.us' : '');
    const model = Object.assign({
      id: { fromMe: true, remote: chat.id, id: key, _serialized: id },
      ack: ACK.pending, t: Math.floor(Date.now() / 1000),
      from: createWid(S.ownDigits + '@c.us'), to: chat.id, self: 'out', local: true, isNewMsg: true,
    }, fields);
    const result = new Promise(settle => { model._settle = r => settle(wrap(r)); });
    Msg.add(model);
    IN.sent.set(id, model);
    call('POST', clientPath('/messages'), Object.assign({ id, t: Date.now() }, post))
      .then(r => setInPageAck(id, r.status))
      .catch(e => {
        const settle = model._settle;
        model._settle = null;
        if (settle) settle(e && e.status === 503 ? 'ERROR_NETWORK' : 'ERROR_UNKNOWN');
      });
    return { model, result };
  }

  // The media path of the page's own code (wa-js sendFileMessage): the file wrapped as opaque data, prepared, then
  // sent to a chat with the message's fields (its id among them) merged in; the result is the send result itself.
  function OpaqueData(blob, type) {
    this._blob = blob;
    this._type = type || blob.type || 'application/octet-stream';
  }
  OpaqueData.prototype.type = function () { return this._type; };
  OpaqueData.prototype.size = function () { return this._blob.size; };
  OpaqueData.createFromData = (blob, type) => Promise.resolve(new OpaqueData(blob, type));

  function prepRawMedia(opaque, options) {
    const o = options || {};
    const mime = opaque.type();
    const type = o.asDocument ? 'document' : mime.startsWith('image/') ? 'image' : mime.startsWith('video/') ? 'video'
      : mime.startsWith('audio/') ? 'audio' : 'document';
    const name = opaque._blob.name || 'file';
    const prep = readBase64(opaque._blob).then(data => ({ type, mimetype: mime, filename: name, size: opaque.size(), data }));
    return {
      waitForPrep: () => prep,
      sendToChat: async (chat, opts) => {
        const jid = chatForSend(chat, 'sendToChat');
        const media = await prep;
        const caption = String(opts && opts.caption != null ? opts.caption : '');
        const given = opts && opts.productMsgOptions && opts.productMsgOptions.id;
        const { model, result } = sendFromPage(chat, given && given.id,
          { type: media.type, caption, body: '', mimetype: media.mimetype, filename: media.filename, size: media.size },
          { chat: jid, caption, media: { name: media.filename, mime: media.mimetype, data: media.data } }, r => r);
        if (S.chat && S.chat.jid === jid) {
          addMessage({ id: model.id._serialized, text: '', caption, media: { name: media.filename, mime: media.mimetype, size: media.size },
            time: Date.now(), status: 'pending' });
        }
        return result;
      },
    };
  }

  // Opens a chat in the page as a click on its row does, resolving to whether it opened. The 2026 builds take
  // {chat, chatEntryPoint}, older ones the chat itself (both forms are in recorded WhatsApp Web code).
  async function openChatBottom(arg) {
    const chat = arg && arg.chat ? arg.chat : arg;
    if (!chat || !chat.id) return false;
    const wid = chat.id;
    let r;
    try {
      r = await call('GET', clientPath(wid.server === 'c.us' ? '/chat?phone=' + encodeURIComponent(wid.user)
        : '/chat?jid=' + encodeURIComponent(wid._serialized)));
    } catch (e) {
      return false;
    }
    if (!r.ok) return false;
    openChat(r, '');
    return true;
  }

  function setInPageAck(id, status) {
    const model = IN.sent.get(id);
    if (!model || !(status in ACK) || ACK[status] <= model.ack) return;
    model.ack = ACK[status];
    if (model.ack >= ACK.sent && model._settle) { const settle = model._settle; model._settle = null; settle('OK'); }
    Msg.trigger('change:ack', model, model.ack);
    if (model.ack >= ACK.read) IN.sent.delete(id);
  }

  // Messages people sent, as the server hands them over: added to the message collection as new ones, the LID
  // mapping learnt from the phone number the server sends beside a LID sender.
  function receiveInbound(list) {
    for (const m of list || []) {
      if (Msg.get(m.id)) continue;
      if (m.chat !== m.pn) IN.lids.set(m.pn, m.chat);
      const chatWid = createWid(m.chat);
      Chat.findOrAdd(chatWid);
      Msg.add({
        id: { fromMe: false, remote: chatWid, id: m.key, _serialized: m.id },
        body: m.text, type: 'chat', t: m.t, from: chatWid, to: createWid(S.ownDigits + '@c.us'),
        self: 'in', isNewMsg: true, recvFresh: true, ack: 1, quotedStanzaID: m.quoted || undefined,
      });
    }
  }

  // A message arriving in the chat on screen shows there at once, and (in a window in front) is read at once.
  function showArrivals(list) {
    for (const m of list || []) {
      if (!S.chat || S.chat.jid !== m.pn) continue;
      addMessage({ id: m.id, in: true, text: m.text, caption: '', sender: m.sender, quoted: m.quotedText,
        time: m.t * 1000, status: 'read' });
      if (S.config.readsArrivals) call('POST', clientPath('/read'), { jid: m.pn }).catch(() => {});
    }
  }

  function moduleFactories() {
    return {
      widFactory: () => ({ createWid, createUserWid: (user, server) => createWid(user + '@' + (server || 'c.us')) }),
      msgKey: () => {
        // The module is the key class itself; whatsapp-web.js builds keys with it and asks it for new ids.
        function MsgKey(o) {
          Object.assign(this, o);
          this._serialized = (o.fromMe ? 'true_' : 'false_') + String(o.remote) + '_' + o.id;
        }
        MsgKey.prototype.toString = function () { return this._serialized; };
        MsgKey.newId = () => Promise.resolve(newKeyId());
        return MsgKey;
      },
      collections: () => ({ Msg, Chat }),
      socketModel: () => ({ Socket }),
      apiContact: () => ({
        getCurrentLid: wid => { const l = IN.lids.get(String(wid && wid._serialized ? wid._serialized : wid)); return l ? createWid(l) : undefined; },
        getPhoneNumber: wid => { for (const [pn, l] of IN.lids) if (l === String(wid && wid._serialized ? wid._serialized : wid)) return createWid(pn); return undefined; },
      }),
      queryExists: () => ({
        queryWidExists: wid => queryExists(createWid(wid).user),
        queryPhoneExists: phone => queryExists(String(phone).replace(/\D/g, '')),
      }),
      findChatAction: () => ({
        findOrCreateLatestChat: async wid => {
          const w = createWid(wid);
          const created = !Chat.get(w);
          return { chat: Chat.findOrAdd(w), created };
        },
      }),
      sendMsgChatAction: () => ({ addAndSendMsgToChat }),
      // whatsapp-web.js requires the module and calls createFromData on it, wa-js on its default export: both work.
      opaqueData: () => { const m = { createFromData: OpaqueData.createFromData, default: OpaqueData }; return m; },
      prepRawMedia: () => ({ prepRawMedia, MediaPrep: function MediaPrep() {} }),
      cmd: () => ({ Cmd: { openChatBottom } }),
    };
  }

  // The page's helpers at once; the models, the queries and the send action once the chat list shows, spread over
  // the build's registration time with the send action last. A reload starts from an empty registry again.
  function registerModules() {
    if (IN.registered) return;
    IN.registered = true;
    const conf = S.config.modules;
    const factories = moduleFactories();
    defineModule(conf.ids.widFactory, factories.widFactory);
    defineModule(conf.ids.msgKey, factories.msgKey);
    const later = ['collections', 'socketModel', 'apiContact', 'queryExists', 'findChatAction', 'opaqueData',
      'prepRawMedia', 'cmd', 'sendMsgChatAction'];
    const step = Math.max(0, conf.spreadMs) / later.length;
    later.forEach((role, i) => setTimeout(() => defineModule(conf.ids[role], factories[role]), Math.round(step * (i + 1))));
  }

  // ------------------------------------------------------------------ boot and poll

  async function boot() {
    const token = await loadToken();
    let r;
    try {
      r = await call('POST', '/api/clients', { token });
    } catch (e) {
      setTimeout(boot, 1000);
      return;
    }
    S.clientId = r.clientId;
    S.config = r.config;
    S.variant = r.config.variant;
    if (token && !r.linked) await clearStorage();
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
      const closings = S.whatsNewClosings;
      r = await call('POST', clientPath('/poll'), { shownQr: S.qrPayload, watch: watchedIds() });
      // A dialog the user closed while this answer was on its way stays closed.
      if (r.screens && S.whatsNewClosings !== closings) r.screens.whatsNew = false;
    } catch (e) {
      if (e.status === 404) return reloadNow();
      schedulePoll();
      return;
    }
    if (r.reload) return reloadNow();
    try {
      await applyView(r.view);
      applyScreens(r.screens);
      syncSocket();
      if (S.screen === 'main') {
        applyStatuses(r.statuses);
        receiveInbound(r.inbound);
        showArrivals(r.inbound);
        if (r.chatsVersion !== S.chatsVersion) await refreshChats();
        if (online()) {
          retryOutbox();
          if (S.pendingOpen) { const p = S.pendingOpen; S.pendingOpen = null; await openFromUrl(p); }
        }
      }
    } catch (e) {
      console.warn('poll handling failed', e);
    }
    schedulePoll();
  }

  function online() {
    return S.screens.connection === 'ONLINE' && !S.screens.conflict;
  }

  async function applyView(v) {
    if (!v || S.busy || v.version < S.viewVersion) return;
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
      const stay = h('input', { type: 'checkbox', class: 'stay-checkbox', checked: S.stayLoggedIn });
      stay.checked = S.stayLoggedIn;
      stay.addEventListener('change', () => { S.stayLoggedIn = stay.checked; });
      landing([
        h('div', { class: 'landing-main' },
          h('h1', { class: 'landing-title' }, 'Scan to log in'),
          h('div', { class: 'landing-subtitle' }, 'Scan the QR code with your phone to log in to WhatsApp Web.'),
          h('ol', { class: 'landing-steps' },
            h('li', {}, 'Open WhatsApp on your phone'),
            h('li', {}, 'On Android tap Menu, on iPhone tap Settings'),
            h('li', {}, 'Tap Linked devices, then Link device'),
            h('li', {}, 'Scan the QR code to confirm')),
          h('label', { class: 'stay-logged-in' }, stay, h('span', {}, 'Stay logged in on this browser')),
          h('div', { class: 'link-phone-row' },
            h('span', { role: 'button', tabindex: 0, class: 'link', onclick: () => userAction('/phone-entry') },
              'Log in with phone number'))),
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
    if (S.screen !== 'qr') showQr({ payload: '' });
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
      h('h1', { class: 'landing-title' }, 'Enter phone number'),
      h('div', { class: 'landing-subtitle' }, 'Select a country and enter your phone number.'),
      input,
      error,
      h('button', { type: 'button', class: 'primary', onclick: next }, 'Next'),
      h('div', { class: 'link-phone-row' },
        h('span', { role: 'button', tabindex: 0, class: 'link', onclick: () => userAction('/qr') },
          'Log in with QR code'))));
    input.focus();
  }

  // The code as WhatsApp's own component renders it: data-link-code holds the characters as a comma-joined
  // list, the cells hold one character each, and a hyphen (aria-hidden) sits between the fourth and fifth.
  function showPairingCode(code) {
    if (S.screen === 'pairing' && S.pairingCode === code) return;
    S.screen = 'pairing';
    const chars = [...code.replace('-', '')];
    const cell = ch => h('span', { class: 'link-code-cell' }, h('span', {}, ch));
    landing(h('div', { class: 'landing-main' },
      h('h1', { class: 'landing-title' }, 'Enter code on phone'),
      h('div', { class: 'link-code', 'data-link-code': chars.join(','), 'aria-details': 'link-device-phone-number-code-screen-instructions' },
        h('div', { class: 'link-code-row' },
          chars.slice(0, 4).map(cell),
          h('span', { class: 'link-code-sep', 'aria-hidden': 'true' }, '-'),
          chars.slice(4).map(cell))),
      h('ol', { class: 'landing-steps', id: 'link-device-phone-number-code-screen-instructions' },
        h('li', {}, 'Open WhatsApp on your phone'),
        h('li', {}, 'On Android tap Menu, on iPhone tap Settings'),
        h('li', {}, 'Tap Linked devices, then Link device'),
        h('li', {}, 'Tap Link with phone number instead and enter this code on your phone')),
      h('div', { class: 'link-phone-row' },
        h('span', { role: 'button', tabindex: 0, class: 'link', onclick: () => userAction('/qr') },
          'Log in with QR code'))));
    S.pairingCode = code;
  }

  // ------------------------------------------------------------------ link, loading, logout

  async function onLinked(token, wid) {
    S.ownDigits = wid.split(':')[0];
    if (S.screen === 'loading' || S.screen === 'main' || S.screen === 'passkey') return;
    S.busy = true;
    try {
      // A login restored from storage stays as it is, where it was found (see onLinked of app.js).
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
    const booted = new Promise(resolve => setTimeout(resolve, S.config.loadingMs));
    const historyWritten = ensureHistory().catch(e => console.warn('could not write the chat history', e));
    Promise.all([booted, historyWritten]).then(() => afterLoading()).catch(handleApiError);
  }

  function afterLoading() {
    clearInterval(S.progressTimer);
    if (S.stopped) return;
    if (S.screens.passkey) return showPasskey();
    return showMain();
  }

  async function onLoggedOut() {
    if (S.stopped) return;
    S.stopped = true;
    S.busy = true;
    clearTimeout(S.pollTimer);
    await clearStorage();
    location.replace('/');
  }

  // ------------------------------------------------------------------ screens

  function applyScreens(sc) {
    if (!sc) return;
    const before = S.screens;
    S.screens = sc;
    if (S.screen === 'main' && sc.passkey) showPasskey();
    else if (S.screen === 'passkey' && !sc.passkey) showMain().catch(handleApiError);
    if (S.screen === 'main') {
      renderBanner();
      if (sc.restricted !== before.restricted || !S.footerShown) renderFooter();
      if (sc.whatsNew) showWhatsNew(); else closeWhatsNew();
    }
    if (sc.conflict) showConflict(); else closeConflict();
  }

  // Passkey step (rolling out 2026): the page asks the browser for the account's passkey before it shows chats.
  function showPasskey() {
    if (S.screen === 'passkey') return;
    S.screen = 'passkey';
    closeWhatsNew();
    const error = h('div', { class: 'passkey-error', role: 'alert' });
    const go = async () => {
      error.textContent = '';
      try {
        const challenge = crypto.getRandomValues(new Uint8Array(32));
        const cred = await navigator.credentials.get({ publicKey: { challenge, timeout: 60000, userVerification: 'preferred' } });
        if (!cred) throw new Error('no credential');
        await call('POST', clientPath('/passkey'), {});
        S.screens.passkey = false;
        await showMain();
      } catch (e) {
        if (e && e.status) return handleApiError(e);
        error.textContent = "Couldn't verify your passkey. Try again.";
      }
    };
    app.replaceChildren(
      h('div', { id: 'passkey', class: 'passkey-screen', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'passkey-title' },
        h('div', { class: 'passkey-box' },
          icon('passkey'),
          h('h1', { id: 'passkey-title', class: 'passkey-title' }, 'Verify it\u2019s you'),
          h('div', { class: 'passkey-text' }, 'Use your passkey to confirm it\u2019s really you. Your passkey is the fingerprint, face or screen lock you use to unlock your device.'),
          error,
          h('button', { type: 'button', class: 'primary', onclick: go }, 'Continue'))));
  }

  function showWhatsNew() {
    if (S.whatsNewEl) return;
    const close = async () => {
      S.whatsNewClosings++;
      closeWhatsNew();
      try { S.screens = (await call('POST', clientPath('/whats-new'), {})).screens; } catch (e) { handleApiError(e); }
    };
    S.whatsNewEl = h('div', { class: 'modal-backdrop whats-new', 'data-animate-modal-popup': 'true' },
      h('div', { class: 'modal', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'whats-new-title' },
        h('div', { class: 'modal-header' },
          h('h2', { id: 'whats-new-title', class: 'modal-title' }, 'What\u2019s new'),
          h('button', { type: 'button', class: 'modal-close', 'aria-label': 'Close', onclick: close }, icon('x'))),
        h('div', { class: 'modal-body' }, 'Chat filters, channels and more: see what\u2019s new on WhatsApp Web.'),
        h('div', { class: 'modal-controls' },
          h('button', { type: 'button', class: 'modal-ok', onclick: close }, 'Continue'))));
    document.body.append(S.whatsNewEl);
  }

  function closeWhatsNew() {
    if (S.whatsNewEl) S.whatsNewEl.remove();
    S.whatsNewEl = null;
  }

  function showConflict() {
    if (S.conflictEl) return;
    const useHere = async () => {
      try {
        S.screens = (await call('POST', clientPath('/use-here'), {})).screens;
        closeConflict();
        retryOutbox();
      } catch (e) { handleApiError(e); }
    };
    S.conflictEl = h('div', { id: 'conflict', class: 'conflict-screen', role: 'dialog', 'aria-modal': 'true' },
      h('div', { class: 'conflict-box' },
        h('div', { class: 'conflict-text' },
          'WhatsApp is open in another window. Click \u201cUse here\u201d to use WhatsApp in this window.'),
        h('div', { class: 'modal-controls' },
          h('button', { type: 'button', class: 'modal-cancel', onclick: () => window.close() }, 'Close'),
          h('button', { type: 'button', class: 'modal-ok', onclick: useHere }, 'Use here'))));
    document.body.append(S.conflictEl);
  }

  function closeConflict() {
    if (S.conflictEl) S.conflictEl.remove();
    S.conflictEl = null;
  }

  function renderBanner() {
    if (!S.bannerSlot) return;
    const c = S.screens.connection;
    if (c === 'ONLINE') { S.bannerSlot.replaceChildren(); S.bannerSlot.dataset.kind = ''; return; }
    if (S.bannerSlot.dataset.kind === c) return;
    S.bannerSlot.dataset.kind = c;
    S.bannerSlot.replaceChildren(c === 'CONNECTING'
      ? h('div', { class: 'connectivity-banner', role: 'status' },
        icon('alert-connecting'),
        h('div', {}, h('div', { class: 'banner-title' }, 'Connecting\u2026'),
          h('div', { class: 'banner-text' }, 'Messages will be sent when WhatsApp is connected.')))
      : h('div', { class: 'connectivity-banner', role: 'status' },
        icon('alert-computer'),
        h('div', {}, h('div', { class: 'banner-title' }, 'Computer not connected'),
          h('div', { class: 'banner-text' }, 'Make sure your computer has an active Internet connection.'))));
  }

  // ------------------------------------------------------------------ main UI

  async function showMain() {
    clearInterval(S.progressTimer);
    if (S.stopped) return;
    S.screen = 'main';
    S.chat = null;
    S.footerShown = false;
    const v = S.variant;
    S.searchBox = h('input', {
      type: 'text', role: 'textbox', 'data-tab': v.searchBoxDataTab, class: 'search-input', autocomplete: 'off',
      'aria-label': 'Search or start a new chat', placeholder: 'Search or start a new chat',
    });
    S.searchBox.addEventListener('input', renderChatList);
    S.searchBox.addEventListener('keydown', e => { if (e.key === 'Enter') e.preventDefault(); });
    S.chatList = h('div', { role: 'grid', 'aria-label': 'Chat list', 'aria-rowcount': 0, class: 'chat-list' });
    S.bannerSlot = h('div', { class: 'banner-slot' });
    S.sideBody = h('div', { class: 'side-body' },
      S.bannerSlot,
      h('div', { class: 'search-bar' }, icon(v.searchIcon), S.searchBox),
      h('div', { id: v.chatListId, class: 'pane-side' }, S.chatList));
    S.side = h('div', { id: 'side', class: 'side' },
      h('header', { class: 'side-header' },
        h('div', { class: 'side-title' }, 'Chats'),
        h('button', { type: 'button', class: 'header-button', 'aria-label': 'New chat', title: 'New chat', onclick: showNewChat },
          icon('new-chat-outline'))),
      S.sideBody);
    S.mainSlot = h('div', { class: 'main-slot' },
      h('div', { class: 'intro' },
        h('div', { class: 'intro-title' }, 'WhatsApp Web'),
        h('div', { class: 'intro-text' }, 'Send and receive messages without keeping your phone online.')));
    app.replaceChildren(h('div', { class: 'two' }, S.side, S.mainSlot));
    renderBanner();
    await refreshChats();
    syncSocket();
    registerModules();
    if (S.screens.whatsNew) showWhatsNew();
    if (location.pathname === '/send') {
      const params = new URLSearchParams(location.search);
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
      if (S.newChatList) renderNewChatList();
    } catch (e) {
      handleApiError(e);
    }
  }

  function matcher(q) {
    const qDigits = q.replace(/[^0-9]/g, '');
    return c => c.name.toLowerCase().includes(q) || (qDigits.length > 0 && c.number && c.number.includes(qDigits));
  }

  // Without a query: chats, most recent first. With one: section headers (rows themselves, without a title span)
  // "Chats" and "Contacts" followed by the matches.
  function renderChatList() {
    const q = S.searchBox.value.trim().toLowerCase();
    let rows;
    if (!q) {
      rows = S.chats.filter(c => !c.contactOnly).map(chatRow);
    } else {
      const match = matcher(q);
      const chats = S.chats.filter(c => !c.contactOnly && match(c));
      const contacts = S.chats.filter(c => c.contactOnly && match(c));
      rows = [];
      if (chats.length) rows.push(sectionRow('Chats'), ...chats.map(chatRow));
      if (contacts.length) rows.push(sectionRow('Contacts'), ...contacts.map(chatRow));
      if (!rows.length) rows.push(h('div', { class: 'no-results' }, 'No chats, contacts or messages found'));
    }
    S.chatList.replaceChildren(...rows);
    S.chatList.setAttribute('aria-rowcount', S.chatList.querySelectorAll('[role="row"]').length);
  }

  function sectionRow(title) {
    return h('div', { role: 'row', class: 'section-row' }, h('div', { role: 'gridcell', class: 'section-title' }, title));
  }

  function statusSvg(status) {
    const s = STATUS[status] || STATUS.pending;
    return svgIcon(s.title, s.cls);
  }

  function chatRow(c) {
    return h('div', { role: 'row', class: 'chat-row', onclick: () => openChatByJid(c.jid) },
      h('div', { role: 'gridcell', tabindex: 0, 'aria-selected': S.chat && S.chat.jid === c.jid ? 'true' : 'false', class: 'chat-cell' },
        h('div', { class: 'avatar small' }, icon(c.group ? 'default-group-refreshed' : 'default-contact-refreshed')),
        h('div', { class: 'chat-info' },
          h('div', { class: 'chat-name' }, h('span', { dir: 'auto', title: c.name, class: 'chat-title' }, c.name)),
          h('div', { class: 'chat-last' }, c.lastStatus ? statusSvg(c.lastStatus) : null,
            h('span', { dir: 'ltr', title: c.lastText || '' }, c.lastText || ''))),
        unreadBadge(c.unread)));
  }

  // The 2025-26 badge: a labelled span around a span with the count, in the row's first column.
  function unreadBadge(n) {
    if (!n) return null;
    return h('div', { role: 'gridcell', 'aria-colindex': 1, class: 'chat-badges' },
      h('span', {}, h('div', {}, h('span', { 'aria-label': n + (n === 1 ? ' unread message' : ' unread messages'), class: 'unread-badge' },
        h('span', {}, String(n))))));
  }

  // "New chat": a panel over the chat list listing the phone's contacts; clicking one opens its chat in place.
  function showNewChat() {
    if (S.newChatPanel) return;
    S.newChatSearch = h('input', {
      type: 'text', role: 'textbox', class: 'search-input', autocomplete: 'off',
      'aria-label': 'Search name or number', placeholder: 'Search name or number',
    });
    S.newChatSearch.addEventListener('input', renderNewChatList);
    S.newChatList = h('div', { class: 'new-chat-list', role: 'list' });
    S.newChatPanel = h('div', { class: 'new-chat-panel', 'aria-label': 'New chat' },
      h('header', { class: 'side-header' },
        h('button', { type: 'button', class: 'header-button', 'aria-label': 'Back', onclick: closeNewChat }, icon('back-refreshed')),
        h('h1', { class: 'side-title' }, 'New chat')),
      h('div', { class: 'search-bar' }, icon(S.variant.searchIcon), S.newChatSearch),
      S.newChatList);
    S.sideBody.hidden = true;
    S.side.append(S.newChatPanel);
    renderNewChatList();
    S.newChatSearch.focus();
  }

  function closeNewChat() {
    if (!S.newChatPanel) return;
    S.newChatPanel.remove();
    S.newChatPanel = null;
    S.newChatList = null;
    S.sideBody.hidden = false;
  }

  function renderNewChatList() {
    const q = S.newChatSearch.value.trim().toLowerCase();
    const people = S.chats.filter(c => !c.group && (!q || matcher(q)(c)));
    people.sort((a, b) => a.name.localeCompare(b.name));
    const item = (label, name) => h('div', { role: 'listitem', class: 'new-chat-item' },
      h('div', { role: 'button', tabindex: 0, class: 'chat-cell inert' }, icon(name), h('span', {}, label)));
    const rows = [];
    if (!q) rows.push(item('New group', 'group-refreshed'), item('New contact', 'person-add-refreshed'), item('New community', 'community-refreshed'));
    for (const c of people) {
      rows.push(h('div', { role: 'listitem', class: 'new-chat-item' },
        h('div', { role: 'button', tabindex: 0, class: 'chat-cell', onclick: () => { closeNewChat(); openChatByJid(c.jid); } },
          h('div', { class: 'avatar small' }, icon('default-contact-refreshed')),
          h('div', { class: 'chat-info' },
            h('div', { class: 'chat-name' }, h('span', { dir: 'auto', title: c.name, class: 'chat-title' }, c.name)),
            h('div', { class: 'chat-last' }, 'Hey there! I am using WhatsApp.')))));
    }
    if (q && !people.length) rows.push(h('div', { class: 'no-results' }, 'No results found for \u2018' + S.newChatSearch.value.trim() + '\u2019'));
    S.newChatList.replaceChildren(...rows);
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
      // Nobody can say whether the number is on WhatsApp while the connection is down: try again once it is up.
      if (e.status === 503 && e.body && e.body.error === 'offline') { S.pendingOpen = params; return; }
      return handleApiError(e);
    }
    if (r.ok) openChat(r, text);
    else showInvalidNumberPopup(phone);
  }

  function showInvalidNumberPopup(phone) {
    const text = S.variant.invalidNumberText.split('{phone}').join('+' + phone);
    const popup = h('div', { 'data-animate-modal-popup': 'true', class: 'modal-backdrop' },
      h('div', { class: 'modal', role: 'dialog', 'aria-modal': 'true' },
        h('div', { class: 'modal-body' }, text),
        h('div', { class: 'modal-controls' },
          h('button', { type: 'button', class: 'modal-ok', onclick: () => popup.remove() }, 'OK'))));
    document.body.append(popup);
  }

  function openChat(r, prefill) {
    closeAttachMenu();
    S.preview = null;
    S.chat = r.chat;
    S.msgs = [];
    S.msgById = new Map();
    for (const m of r.messages) pushMsg(m);
    S.winEnd = S.msgs.length;
    S.conversation = h('div', { class: 'conversation', role: 'application', 'aria-label': 'Message list', 'data-tab': '8', tabindex: 0 });
    S.conversation.addEventListener('scroll', onConversationScroll);
    S.compose = h('div', {
      contenteditable: 'true', role: 'textbox', 'data-tab': S.variant.composeBoxDataTab, 'data-lexical-editor': 'true',
      class: 'compose-input', spellcheck: 'true', 'aria-multiline': 'true',
      'aria-label': (r.chat.group ? 'Type a message to group ' : 'Type a message to ') + r.chat.name,
      'aria-placeholder': 'Type a message',
    });
    S.compose.addEventListener('input', updateSendButton);
    S.compose.addEventListener('keydown', e => {
      if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); sendText(); }
    });
    S.compose.addEventListener('paste', e => {
      e.preventDefault();
      document.execCommand('insertText', false, e.clipboardData.getData('text/plain'));
    });
    S.footer = h('footer', { class: 'compose-footer' });
    S.mainPanel = h('div', { id: 'main', class: 'main' },
      h('header', { class: 'chat-header' },
        h('div', { class: 'avatar small' }, icon(r.chat.group ? 'default-group-refreshed' : 'default-contact-refreshed')),
        h('div', { class: 'chat-header-info' },
          h('div', { class: 'chat-header-title' }, h('span', { dir: 'auto', title: r.chat.name, class: 'chat-title' }, r.chat.name)),
          h('div', { class: 'chat-header-subtitle', title: r.chat.subtitle }, r.chat.subtitle))),
      S.conversation,
      S.footer);
    S.mainSlot.replaceChildren(S.mainPanel);
    renderFooter();
    renderWindow(true);
    renderChatList();
    if (prefill && S.compose.isConnected) S.compose.textContent = prefill;
    if (S.compose.isConnected) {
      updateSendButton();
      S.compose.focus();
      const range = document.createRange();
      range.selectNodeContents(S.compose);
      range.collapse(false);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
    }
  }

  // A restricted account has no compose box: the footer holds a banner instead.
  function renderFooter() {
    if (!S.footer) return;
    S.footerShown = true;
    if (S.screens.restricted) {
      S.footer.replaceChildren(
        h('div', { class: 'restricted-banner', role: 'status' },
          icon('alert-restricted'),
          h('div', {},
            h('div', { class: 'banner-title' }, 'Your account is restricted'),
            h('div', { class: 'banner-text' }, 'You can\u2019t send messages for now because your account is restricted. ',
              h('span', { role: 'button', tabindex: 0, class: 'link' }, 'Learn more')))));
      S.sendSlot = null;
      return;
    }
    S.attachWrap = h('div', { class: 'attach-wrap' },
      h('button', { type: 'button', title: 'Attach', 'aria-label': 'Attach', class: 'attach-button', onclick: toggleAttachMenu },
        icon(S.variant.attachIcon)));
    S.sendSlot = h('div', { class: 'send-slot' });
    S.footer.replaceChildren(S.attachWrap,
      h('button', { type: 'button', class: 'attach-button', 'aria-label': 'Emojis, GIFs, stickers' }, icon('expressions')),
      h('div', { class: 'compose-wrap' }, h('div', { class: 'lexical-rich-text-input' }, S.compose)),
      S.sendSlot);
    updateSendButton();
  }

  function updateSendButton() {
    if (!S.sendSlot) return;
    const mode = editableText(S.compose) ? 'send' : 'ptt';
    if (S.sendSlot.dataset.mode === mode) return;
    S.sendSlot.dataset.mode = mode;
    S.sendSlot.replaceChildren(mode === 'send'
      ? h('button', { type: 'button', class: 'send-button', 'data-tab': '11', 'aria-label': 'Send', onclick: sendText }, sendIcon())
      : h('button', { type: 'button', class: 'ptt-button', 'aria-label': 'Voice message' }, icon('ptt')));
  }

  function sendIcon() {
    const name = S.variant.sendIcon;
    return h('span', { 'data-icon': name, 'aria-hidden': 'true', class: 'svg-icon' }, svgIcon(name));
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
    const time = Date.now();
    addMessage({ id, text, caption: '', media: null, time, status: 'pending' });
    storeMessage(id, text);
    post(id, { chat: S.chat.jid, id, text, t: time });
  }

  async function post(id, body) {
    const entry = S.outbox.get(id) || { body, posting: false };
    S.outbox.set(id, entry);
    if (entry.posting || !online()) return; // queued: it leaves once the connection is back
    entry.posting = true;
    try {
      const r = await call('POST', clientPath('/messages'), entry.body);
      S.outbox.delete(id);
      setStatus(id, r.status);
    } catch (e) {
      const gone = e.status === 401 || (e.body && e.body.error === 'unknown-client');
      if (e.status >= 400 && e.status < 500 && !gone) {
        S.outbox.delete(id);
      }
      if (e.status !== 503) handleApiError(e);
    } finally {
      entry.posting = false;
    }
  }

  function retryOutbox() {
    for (const [id, entry] of S.outbox) if (!entry.posting) post(id, entry.body);
  }

  // ------------------------------------------------------------------ the message list (virtualised)

  function pushMsg(m) {
    const msg = Object.assign({ key: keyOf(m.id), expanded: false }, m);
    S.msgs.push(msg);
    S.msgById.set(m.id, msg);
    return msg;
  }

  function addMessage(m) {
    const atEnd = S.winEnd >= S.msgs.length;
    pushMsg(m);
    // Sending always brings the newest messages into view, as WhatsApp does.
    S.winEnd = S.msgs.length;
    renderWindow(true);
    void atEnd;
  }

  function windowStart() {
    return Math.max(0, S.winEnd - S.config.visibleMessages);
  }

  // Only the rows of the window are in the DOM; rows outside it do not exist until scrolled to.
  function renderWindow(toBottom) {
    const start = windowStart();
    const rows = [];
    if (start > 0) rows.push(h('div', { class: 'older-spacer', 'aria-hidden': 'true' }));
    for (let i = start; i < S.winEnd; i++) rows.push(messageRow(S.msgs[i], i));
    if (S.winEnd < S.msgs.length) rows.push(h('div', { class: 'newer-spacer', 'aria-hidden': 'true' }));
    S.conversation.replaceChildren(...rows);
    if (toBottom) S.conversation.scrollTop = S.conversation.scrollHeight;
    S.lastScrollTop = S.conversation.scrollTop;
  }

  function onConversationScroll() {
    const c = S.conversation;
    const step = Math.ceil(S.config.visibleMessages / 2);
    // Only the user's own direction moves the window, or re-rendering near an edge would bounce it back.
    const down = c.scrollTop > (S.lastScrollTop || 0);
    S.lastScrollTop = c.scrollTop;
    if (c.scrollTop < 60 && !down && windowStart() > 0) {
      const firstId = S.msgs[windowStart()].key;
      S.winEnd = Math.max(S.config.visibleMessages, S.winEnd - step);
      renderWindow(false);
      const keep = c.querySelector('[data-id="' + firstId + '"]');
      if (keep) c.scrollTop = Math.max(61, keep.offsetTop - c.offsetTop - 20);
      S.lastScrollTop = c.scrollTop;
    } else if (down && c.scrollTop + c.clientHeight > c.scrollHeight - 60 && S.winEnd < S.msgs.length) {
      S.winEnd = Math.min(S.msgs.length, S.winEnd + step);
      renderWindow(false);
    }
  }

  // A received message, as the 2026 page draws one (the facts and their sources: package-info.java, "Received
  // messages in the chat list and the chat"): the row's data-id is the bare key, the sender and time are in the
  // text's data-pre-plain-text, a quote shows the quoted text without its id.
  function incomingRow(m) {
    const content = [];
    if (m.quoted) {
      content.push(h('div', { role: 'button', 'aria-label': 'Quoted message', class: 'quoted' },
        h('span', { dir: 'auto', class: 'quoted-mention' }, m.quoted)));
    }
    content.push(h('div', { class: 'copyable-text', 'data-pre-plain-text': prePlainOf(m.time, m.sender) },
      h('span', { 'data-testid': 'selectable-text', dir: 'ltr', class: 'copyable-text' }, h('span', {}, renderRich(m.text)))));
    return h('div', { role: 'row', class: 'message-row' },
      h('div', { 'data-id': m.key, 'data-virtualized': 'false', tabindex: -1 },
        h('div', { class: 'message-in focusable-list-item' },
          h('span', { class: 'sr-only', 'aria-label': m.sender + ':' }),
          h('div', { class: 'bubble bubble-in' }, content,
            h('div', { class: 'msg-meta' }, h('span', { class: 'msg-clock' }, clock(m.time)))))));
  }

  function messageRow(m, i) {
    if (m.in) return incomingRow(m);
    const prev = i > 0 ? S.msgs[i - 1] : null;
    // A tail marks the first bubble of a run; all messages here are the account's own.
    const firstOfRun = !prev || m.time - prev.time > 60000;
    const content = [];
    if (m.media) {
      content.push(h('div', { class: 'media-box', 'data-media-name': m.media.name, 'data-media-mime': m.media.mime },
        icon(m.media.mime.startsWith('image/') ? 'media-image' : 'document-refreshed'),
        h('span', { class: 'media-name' }, m.media.name),
        h('span', { class: 'media-size' }, formatSize(m.media.size))));
    }
    const shown = m.media ? m.caption : m.text;
    if (shown) {
      const limit = S.config.readMoreAfter;
      const cut = !m.expanded && shown.length > limit;
      const textSpan = h('span', {}, renderRich(cut ? shown.slice(0, limit) + '\u2026' : shown));
      content.push(h('div', { class: 'copyable-text', 'data-pre-plain-text': prePlain(m.time) },
        h('div', {}, h('span', { dir: 'ltr', class: 'selectable-text copyable-text' }, textSpan))));
      if (cut) {
        const more = h('div', { role: 'button', tabindex: 0, class: 'read-more-button' }, 'Read more');
        more.addEventListener('click', () => {
          m.expanded = true;
          textSpan.replaceChildren(...renderRich(shown));
          more.remove();
        });
        content.push(more);
      }
    }
    const s = STATUS[m.status] || STATUS.pending;
    m.statusEl = h('span', { 'aria-hidden': 'false', 'aria-label': s.label, class: 'msg-status ' + s.cls }, statusSvg(m.status));
    return h('div', { role: 'row', class: 'message-row' },
      h('div', { 'data-id': m.key, 'data-virtualized': 'false', class: 'focusable-list-item', tabindex: -1 },
        h('span', { class: 'sr-only', 'aria-label': 'You:' }),
        h('div', { class: 'bubble bubble-out' + (firstOfRun ? ' has-tail' : '') },
          firstOfRun ? icon('tail-out') : null,
          content,
          h('div', { class: 'msg-meta' }, h('span', { class: 'msg-clock' }, clock(m.time)), m.statusEl))));
  }

  function setStatus(id, status) {
    const m = S.msgById.get(id);
    if (!m || !(status in RANK) || RANK[status] <= RANK[m.status]) return;
    m.status = status;
    if (m.statusEl && m.statusEl.isConnected) {
      const s = STATUS[status];
      m.statusEl.setAttribute('aria-label', s.label);
      m.statusEl.className = 'msg-status ' + s.cls;
      m.statusEl.replaceChildren(statusSvg(status));
    }
  }

  function applyStatuses(statuses) {
    for (const [id, status] of Object.entries(statuses || {})) {
      setStatus(id, status);
      setInPageAck(id, status);
    }
  }

  function watchedIds() {
    if (S.screen !== 'main') return [];
    const ids = new Set(S.msgs.filter(m => m.status !== 'read').map(m => m.id));
    for (const id of IN.sent.keys()) ids.add(id);
    return Array.from(ids);
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
      return h('li', { class: 'attach-item', role: 'menuitem' },
        h('div', { role: 'button', tabindex: 0, 'aria-label': label, onclick: () => input.click() }, icon(iconName), h('span', {}, label)),
        input);
    };
    S.attachMenu = h('ul', { class: 'attach-menu', role: 'menu' },
      item('Document', 'document-filled-refreshed', '*'),
      item('Photos & videos', 'media-filled-refreshed', 'image/*,video/mp4,video/3gpp,video/quicktime'));
    S.attachWrap.append(S.attachMenu);
  }

  function closeAttachMenu() {
    if (S.attachMenu) S.attachMenu.remove();
    S.attachMenu = null;
  }

  function showPreview(file) {
    const caption = h('div', {
      contenteditable: 'true', role: 'textbox', 'data-lexical-editor': 'true', class: 'caption-input',
      'aria-label': 'Add a caption', 'aria-placeholder': 'Add a caption',
    });
    const send = () => sendMedia(file, caption);
    caption.addEventListener('keydown', e => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); send(); } });
    const body = file.type.startsWith('image/')
      ? h('img', { src: URL.createObjectURL(file), alt: file.name, class: 'preview-image' })
      : h('div', { class: 'preview-doc' }, icon('document-refreshed'), h('div', { class: 'preview-doc-name' }, file.name), h('div', {}, formatSize(file.size)));
    S.preview = h('div', { class: 'media-preview', 'data-media-preview': 'true' },
      h('div', { class: 'preview-header' },
        h('div', { role: 'button', tabindex: 0, 'aria-label': 'Close', class: 'preview-close', onclick: closePreview }, icon('x')),
        h('span', { class: 'preview-title' }, file.name)),
      h('div', { class: 'preview-body' }, body),
      h('div', { class: 'preview-footer' },
        h('div', { class: 'caption-wrap' }, caption),
        h('div', { role: 'button', tabindex: 0, 'aria-label': 'Send', class: 'preview-send', onclick: send }, sendIcon())));
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
    if (S.compose.isConnected) S.compose.focus();
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
      addMessage({ id, text: '', caption, media: { name: file.name, mime, size: file.size }, time: Date.now(), status: 'pending' });
      const data = await readBase64(file);
      post(id, { chat: chat.jid, id, caption, media: { name: file.name, mime, data } });
    } finally {
      S.sendingMedia = false;
    }
  }

  document.addEventListener('keydown', e => {
    if (e.key !== 'Escape') return;
    const popup = document.querySelector('[data-animate-modal-popup]:not(.whats-new)');
    if (popup) popup.remove();
    else if (S.attachMenu) closeAttachMenu();
    else if (S.preview) closePreview();
    else if (S.newChatPanel) closeNewChat();
  });

  boot();
})();
