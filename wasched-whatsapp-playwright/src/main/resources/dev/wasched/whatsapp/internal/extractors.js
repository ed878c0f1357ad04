// Typed readers of WhatsApp Web's page, shared by every page script. One expression: a function of the selector
// profile S (key -> ordered candidate list) that returns the readers. Nothing is installed in the page.
(S) => {
  const list = (key) => (S && S[key]) || [];
  const tryAll = (sel, root) => {
    try { return Array.from((root || document).querySelectorAll(sel)); } catch (e) { return []; }
  };
  const tryOne = (sel, root) => {
    try { return (root || document).querySelector(sel); } catch (e) { return null; }
  };
  // Lower case, one space between words, typographic apostrophes as plain ones, no sentence punctuation at the ends.
  const normText = (t) => String(t || '').replace(/[\u00a0\s]+/g, ' ').replace(/[\u2018\u2019]/g, "'")
    .trim().toLowerCase().replace(/^[\s.!?:;,]+|[\s.!?:;,]+$/g, '');

  // Index of the first candidate of a CSS key that matches under root, or -1.
  const matchIndex = (key, root) => {
    const c = list(key);
    for (let i = 0; i < c.length; i++) if (tryOne(c[i], root)) return i;
    return -1;
  };
  // The first element of the first candidate that matches.
  const first = (key, root) => {
    for (const sel of list(key)) { const el = tryOne(sel, root); if (el) return el; }
    return null;
  };
  // Every element of the first candidate that matches anything (not a union: candidates describe the same thing
  // in different releases, and a union could count one thing twice).
  const all = (key, root) => {
    for (const sel of list(key)) { const els = tryAll(sel, root); if (els.length) return els; }
    return [];
  };
  // Every element any candidate matches, in document order (for keys whose candidates describe different parts).
  const union = (key, root) => {
    const seen = new Set();
    for (const sel of list(key)) for (const el of tryAll(sel, root)) seen.add(el);
    return Array.from(seen).sort((x, y) => x === y ? 0 : (x.compareDocumentPosition(y) & 4 ? -1 : 1));
  };
  // The value of the first attribute (of the key's candidate names) the element carries.
  const attr = (el, key) => {
    if (!el) return null;
    for (const name of list(key)) { const v = el.getAttribute(name); if (v !== null && v !== '') return v; }
    return null;
  };

  // ---- ack state -------------------------------------------------------------------------------------------
  const STATES = [['PENDING', 'iconPending'], ['SENT', 'iconSent'], ['DELIVERED', 'iconDelivered'], ['READ', 'iconRead']];
  const stateOfName = (name) => {
    const n = normText(name);
    if (!n) return null;
    for (const [state, key] of STATES) if (list(key).some(c => normText(c) === n)) return state;
    return null;
  };
  // A colour whose blue channel dominates: WhatsApp draws the read double tick blue and the delivered one grey,
  // which in the dark theme is a translucent white with a high blue channel too, hence "dominates", not "high".
  const isBlue = (colour) => {
    const m = /rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)(?:[,\s/]+([\d.]+%?))?/.exec(colour || '');
    if (!m) return false;
    const [r, g, b] = [+m[1], +m[2], +m[3]];
    if (m[4] !== undefined && parseFloat(m[4]) === 0) return false;
    return b >= 150 && b - r >= 60 && b >= g;
  };
  const drawnBlue = (el) => {
    const icon = el.tagName && el.tagName.toLowerCase() === 'title' ? el.parentElement : el;
    for (const e of [icon, icon && icon.querySelector && icon.querySelector('path')]) {
      if (!e) continue;
      const cs = getComputedStyle(e);
      if (isBlue(cs.color) || isBlue(cs.fill)) return true;
    }
    return false;
  };
  // The names an element offers for its status: the configured attributes, and the text of an SVG <title>.
  const namesOf = (el) => {
    const out = [];
    for (const a of list('statusIconAttribute')) { const v = el.getAttribute && el.getAttribute(a); if (v) out.push(v); }
    if (el.tagName && el.tagName.toLowerCase() === 'title') out.push(el.textContent);
    return out;
  };
  const isTitle = (el) => !!el.tagName && el.tagName.toLowerCase() === 'title';
  // PENDING, SENT, DELIVERED, READ or null (unknown): the last status element in the row decides. A status named
  // by an attribute (data-icon, data-testid, aria-label " Delivered " / " Read ") outranks an SVG <title>: the
  // 2025-26 page draws delivered and read with the same icon (wds-ic-read, read only by its blue), and names the
  // single tick (sent) wds-ic-delivered, so the title decides only where no attribute says.
  const ackState = (row) => {
    if (!row) return null;
    let byAttribute = null;
    let byTitle = null;
    for (const el of union('messageStatusIcon', row)) {
      for (const name of namesOf(el)) {
        let state = stateOfName(name);
        if (!state) continue;
        if (list('iconReadWhenBlue').some(c => normText(c) === normText(name))) {
          state = drawnBlue(el) ? 'READ' : state;
        }
        if (isTitle(el) && normText(el.textContent) === normText(name)) byTitle = state; else byAttribute = state;
      }
    }
    return byAttribute || byTitle;
  };
  // The profile's first name for a state: the token the Java side compares with.
  const ackToken = (state) => {
    for (const [s, key] of STATES) if (s === state) return list(key)[0] || null;
    return null;
  };

  // ---- message id ------------------------------------------------------------------------------------------
  // On the element, else the nearest ancestor carrying it (2025-26: the row wrapper), else a descendant.
  const messageId = (row) => {
    if (!row) return null;
    const own = attr(row, 'messageIdAttribute');
    if (own) return own;
    for (const name of list('messageIdAttribute')) {
      const sel = '[' + name + ']';
      let up = null;
      try { up = row.parentElement ? row.parentElement.closest(sel) : null; } catch (e) { up = null; }
      if (up && up.getAttribute(name)) return up.getAttribute(name);
      const down = tryOne(sel, row);
      if (down && down.getAttribute(name)) return down.getAttribute(name);
    }
    return null;
  };

  // ---- pairing code ----------------------------------------------------------------------------------------
  // ABCD-EFGH, A,B,C,D,E,F,G,H, ABCDEFGH or one span per character: to ABCD-EFGH; null when it is not 8 characters.
  const canonicalPairingCode = (raw) => {
    const s = String(raw || '').replace(/[^A-Za-z0-9]/g, '').toUpperCase();
    return s.length === 8 ? s.slice(0, 4) + '-' + s.slice(4) : null;
  };
  const pairingCode = (el) => {
    if (!el) return null;
    const fromAttr = canonicalPairingCode(attr(el, 'pairingCodeAttribute'));
    if (fromAttr) return fromAttr;
    const fromText = canonicalPairingCode(el.innerText || el.textContent);
    if (fromText) return fromText;
    const cells = Array.from(el.querySelectorAll('span, div')).filter(c => c.children.length === 0);
    return canonicalPairingCode(cells.map(c => c.textContent).join(''));
  };

  // ---- popups ----------------------------------------------------------------------------------------------
  const POPUPS = [['invalidNumber', 'invalidNumberText']];
  // What a popup's text means, by the profile's wordings per meaning; null when none matches.
  const popupMeaning = (text) => {
    const t = normText(text);
    if (!t) return null;
    for (const [meaning, key] of POPUPS) if (list(key).some(w => normText(w) && t.includes(normText(w)))) return meaning;
    return null;
  };

  // ---- build -----------------------------------------------------------------------------------------------
  // WhatsApp Web's build, e.g. 2.3000.1012345678. Debug.VERSION is what whatsapp-web.js waits for and wa-js
  // compares against; WhatsApp's own build constants module (VERSION_STR, VERSION_BASE) where Debug is missing.
  const webBuild = () => {
    try { if (window.Debug && window.Debug.VERSION) return String(window.Debug.VERSION); } catch (e) { /* none */ }
    try {
      if (typeof window.require === 'function') {
        const c = window.require('WAWebBuildConstants');
        if (c && (c.VERSION_STR || c.VERSION_BASE)) return String(c.VERSION_STR || c.VERSION_BASE);
      }
    } catch (e) { /* not loaded, or no such module */ }
    return null;
  };

  return { list, first, all, union, attr, matchIndex, normText, isBlue, stateOfName, ackState, ackToken, messageId,
    canonicalPairingCode, pairingCode, popupMeaning, webBuild };
}
