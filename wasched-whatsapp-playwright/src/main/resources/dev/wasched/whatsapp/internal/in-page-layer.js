async (a) => {
  // wasched's in-page layer: calls WhatsApp Web's own modules instead of clicking (InPageLayer.java says when and
  // why). Modules are found by what they export, never by their id, which changes between builds. The only state
  // kept in the page is window.__waschedLayer: the modules found and the acks heard since the last drain; a reload
  // clears it, and the transport finds the modules again.
  const loader = () => {
    try {
      const map = typeof window.require === 'function' ? window.require('__debug').modulesMap : null;
      return map && typeof map === 'object' ? map : null;
    } catch (e) {
      return null;
    }
  };
  const fn = (o, name) => !!o && typeof o[name] === 'function';
  // The shapes, by role: what a module must export to be taken for it.
  const SHAPES = {
    widFactory: (m) => fn(m, 'createWid'),
    msgKey: (m) => typeof m === 'function' && fn(m, 'newId'),
    collections: (m) => !!m && fn(m.Msg, 'on') && fn(m.Msg, 'get') && fn(m.Chat, 'get'),
    socket: (m) => !!m && !!m.Socket && typeof m.Socket.state === 'string' && fn(m.Socket, 'on'),
    lid: (m) => fn(m, 'getCurrentLid'),
    exists: (m) => fn(m, 'queryWidExists') || fn(m, 'queryPhoneExists'),
    findChat: (m) => fn(m, 'findOrCreateLatestChat'),
    sendMsg: (m) => fn(m, 'addAndSendMsgToChat'),
    cmd: (m) => !!m && fn(m.Cmd, 'openChatBottom'),
    activeChat: (m) => !!m && fn(m.Chat, 'getActive'),
    opaqueData: (m) => typeof m === 'function' && fn(m, 'createFromData'),
    mediaPrep: (m) => fn(m, 'prepRawMedia') && typeof m.MediaPrep === 'function',
  };
  // Which roles each capability needs; a capability is in-page only when all of them are found.
  const NEEDS = {
    SEND_TEXT: ['widFactory', 'msgKey', 'findChat', 'sendMsg'],
    SEND_MEDIA: ['widFactory', 'msgKey', 'findChat', 'collections', 'opaqueData', 'mediaPrep'],
    OPEN_CHAT: ['widFactory', 'findChat', 'cmd', 'activeChat'],
    ACKS: ['collections'],
    INCOMING_MESSAGES: ['collections'],
    REGISTRATION_CHECK: ['widFactory', 'exists'],
    CONNECTION_STATE: ['socket'],
  };
  const L = window.__waschedLayer;
  const key = (id) => (id && typeof id === 'object' ? String(id.id) : String(id));
  const wid = (digits) => L.m.widFactory.createWid(String(digits) + '@c.us');
  // A send's result as {messageSendResult}: the text path settles with that object, the media path with the value.
  const verdict = (result) => Promise.resolve(result).then(
    r => (r && typeof r === 'object' ? r : { messageSendResult: r }),
    e => ({ messageSendResult: 'ERROR_' + String(e && e.message || e) }));

  // A send action that threw: nothing left when the message is not in the page's message collection; one the page
  // holds may still go out, so that is nobody's to tell (added: null).
  const failed = (e, id) => {
    const held = L.m.collections && L.m.collections.Msg.getModelsArray()
      .some(m => m && m.id && m.id.fromMe && String(m.id.id) === id);
    return held ? { added: null } : { added: false, error: String(e && e.message || e) };
  };

  // The chat for a number, or why there is none: the page offline, the number not on WhatsApp, no LID for it (the
  // 2025-26 send path needs one; asking the registration query teaches the page the number's LID).
  const chatOf = async (digits) => {
    if (L.m.socket && L.m.socket.Socket.state !== 'CONNECTED') return { offline: L.m.socket.Socket.state };
    const w = wid(digits);
    if (L.m.lid && !L.m.lid.getCurrentLid(w)) {
      if (L.m.exists) {
        const r = fn(L.m.exists, 'queryWidExists') ? await L.m.exists.queryWidExists(w) : await L.m.exists.queryPhoneExists(digits);
        if (!r || !r.wid) return { invalid: true };
      }
      if (!L.m.lid.getCurrentLid(w)) return { noLid: true };
    }
    const found = await L.m.findChat.findOrCreateLatestChat(w);
    return found && found.chat ? { chat: found.chat } : { noChat: true };
  };

  switch (a.op) {
    case 'count': {
      const map = loader();
      return map ? Object.keys(map).length : -1;
    }
    case 'find': {
      const map = loader();
      const m = {};
      if (map) {
        for (const id of Object.keys(map)) {
          if (id === '__debug') continue;
          let exports;
          try { exports = window.require(id); } catch (e) { continue; }
          const candidates = [exports, exports && exports.default];
          for (const [role, shape] of Object.entries(SHAPES)) {
            if (m[role]) continue;
            for (const c of candidates) {
              let ok = false;
              try { ok = shape(c); } catch (e) { ok = false; }
              if (ok) { m[role] = c; break; }
            }
          }
        }
      }
      const found = Object.keys(NEEDS).filter(cap => NEEDS[cap].every(role => m[role]));
      // Looking again (the registry grew): the earlier listeners go, the sends awaiting their verdict stay.
      if (L && L.off) L.off.forEach(f => { try { f(); } catch (e) { /* gone with its module */ } });
      const state = { m, acks: [], incoming: [], found, pending: L && L.pending ? L.pending : new Map(), off: [] };
      // The sender as a number where the page can tell it (a LID sender through the page's LID mapping).
      const senderOf = (msg) => {
        const w = msg.author || msg.from || (msg.id && msg.id.remote);
        if (!w) return null;
        if (w.server === 'lid' && m.lid && typeof m.lid.getPhoneNumber === 'function') {
          try { const pn = m.lid.getPhoneNumber(w); if (pn && pn.user) return '+' + pn.user; } catch (e) { /* unknown */ }
        }
        return w.server === 'c.us' ? '+' + w.user : String(w._serialized || w);
      };
      if (m.collections) {
        const onAdd = (msg) => {
          try {
            if (!msg || !msg.isNewMsg || !msg.id || msg.id.fromMe) return;
            state.incoming.push({
              id: key(msg.id), sender: senderOf(msg), chat: String(msg.id.remote && msg.id.remote._serialized || msg.id.remote),
              text: String(msg.body || msg.caption || ''), media: msg.type && msg.type !== 'chat' ? String(msg.type) : null,
              quoted: msg.quotedStanzaID ? String(msg.quotedStanzaID) : null, t: Number(msg.t) || Math.floor(Date.now() / 1000),
            });
          } catch (e) { /* a model this layer cannot read is left to the page */ }
        };
        m.collections.Msg.on('add', onAdd);
        state.off.push(() => m.collections.Msg.off('add', onAdd));
        const onAck = (msg, ack) => {
          try {
            if (msg && msg.id && msg.id.fromMe) state.acks.push({ id: key(msg.id), ack: Number(ack != null ? ack : msg.ack) });
          } catch (e) { /* a model without an id is nobody's send */ }
        };
        m.collections.Msg.on('change:ack', onAck);
        state.off.push(() => m.collections.Msg.off('change:ack', onAck));
      }
      window.__waschedLayer = state;
      return { found, roles: Object.keys(m) };
    }
    case 'drain': {
      if (!L) return { installed: false };
      const acks = L.acks.splice(0, L.acks.length);
      const incoming = L.incoming.splice(0, L.incoming.length);
      return { installed: true, acks, incoming, socket: L.m.socket ? L.m.socket.Socket.state : null };
    }
    case 'acks': {
      // The ack levels of the account's own messages the page holds, by the ids the transport reported for them.
      const wanted = new Set(a.ids);
      const out = [];
      for (const msg of L.m.collections.Msg.getModelsArray()) {
        if (!msg || !msg.id || !msg.id.fromMe) continue;
        const id = wanted.has(key(msg.id)) ? key(msg.id) : wanted.has(String(msg.id._serialized)) ? String(msg.id._serialized) : null;
        if (id !== null && typeof msg.ack === 'number') out.push({ id, ack: msg.ack });
      }
      return out;
    }
    case 'exists': {
      const q = L.m.exists;
      const r = fn(q, 'queryWidExists') ? await q.queryWidExists(wid(a.digits)) : await q.queryPhoneExists(a.digits);
      return { registered: !!(r && r.wid) };
    }
    case 'prepare': {
      // Everything short of the send: the chat, the LID the send path needs, the new message's id. Nothing leaves.
      const c = await chatOf(a.digits);
      return c.chat ? { id: String(await L.m.msgKey.newId()) } : c;
    }
    case 'open': {
      // The chat opened as a click on its row opens it; taken only when the page then says that chat is the active one.
      const c = await chatOf(a.digits);
      if (!c.chat) return c;
      const r = await L.m.cmd.Cmd.openChatBottom({ chat: c.chat, chatEntryPoint: 'Chatlist' });
      const active = L.m.activeChat.Chat.getActive();
      const same = !!active && (active === c.chat || String(active.id && active.id._serialized) === String(c.chat.id._serialized));
      return { opened: r !== false && same };
    }
    case 'send': {
      let added, result;
      try {
        const { chat } = await L.m.findChat.findOrCreateLatestChat(wid(a.digits));
        const msg = {
          id: new L.m.msgKey({ fromMe: true, remote: chat.id, id: a.id }), body: a.text, type: 'chat',
          t: Math.floor(Date.now() / 1000), to: chat.id, self: 'out', isNewMsg: true, local: true, ack: 0,
        };
        [added, result] = L.m.sendMsg.addAndSendMsgToChat(chat, msg);
      } catch (e) {
        return failed(e, a.id);
      }
      L.pending.set(a.id, verdict(result));
      await added;
      return { added: true };
    }
    case 'sendMedia': {
      // wa-js's path: the file wrapped, prepared, then sent to the chat with the chosen id merged into the message.
      // The message counts as added once the message collection has it; a call that fails before that sent nothing.
      const Msg = L.m.collections.Msg;
      let onAdd;
      let wasAdded = false;
      const added = new Promise(res => {
        onAdd = (msg) => { if (msg && msg.id && String(msg.id.id) === a.id) { wasAdded = true; res('added'); } };
        Msg.on('add', onAdd);
      });
      try {
        let result;
        try {
          const { chat } = await L.m.findChat.findOrCreateLatestChat(wid(a.digits));
          const bytes = Uint8Array.from(atob(a.data), c => c.charCodeAt(0));
          const file = new File([bytes], a.name, { type: a.mime });
          const prep = L.m.mediaPrep.prepRawMedia(await L.m.opaqueData.createFromData(file, a.mime),
            { asDocument: !/^(image|video)\//.test(a.mime) });
          await prep.waitForPrep();
          const id = new L.m.msgKey({ fromMe: true, remote: chat.id, id: a.id });
          result = Promise.resolve(prep.sendToChat(chat, { caption: a.caption || undefined, productMsgOptions: { id } }));
        } catch (e) {
          return wasAdded ? { added: null } : failed(e, a.id);
        }
        const settled = result.then(() => 'settled', e => ({ error: String(e && e.message || e) }));
        const first = await Promise.race([added, settled,
          new Promise(res => setTimeout(() => res('timeout'), a.timeoutMs))]);
        if (first && first.error && !wasAdded) {
          return { added: false, error: first.error };
        }
        if (first === 'timeout') return { added: null }; // neither added nor refused: nobody can tell
        L.pending.set(a.id, verdict(result));
        return { added: true };
      } finally {
        Msg.off('add', onAdd);
      }
    }
    case 'confirm': {
      // WhatsApp Web's verdict on a send: its result settles once the server has the message.
      const result = L && L.pending.get(a.id);
      if (!result) return { lost: true }; // the page loaded again since the send action
      const r = await Promise.race([result, new Promise(res => setTimeout(() => res(null), a.timeoutMs))]);
      if (r) L.pending.delete(a.id);
      return { result: r ? String(r.messageSendResult) : null };
    }
    default:
      throw new Error('unknown operation ' + a.op);
  }
}
