// wasched console: a small single-page app over the API at api/v1 (same origin, session cookie + CSRF header).
'use strict';

const ROLES = ['VIEWER', 'OPERATOR', 'ADMIN'];
const state = { user: null, role: null, csrf: null, events: null, page: null, importId: null };

function esc(v) {
  return String(v ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
function may(role) { return state.role && ROLES.indexOf(state.role) >= ROLES.indexOf(role); }
function $(sel, root = document) { return root.querySelector(sel); }
function toast(text, bad) {
  const t = $('#toast');
  t.textContent = text;
  t.className = bad ? 'error' : '';
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 4000);
}
function when(t) { return t ? new Date(t).toLocaleString() : ''; }
/** The query part of the location's hash (#contacts?q=ann&cursor=…). */
function hashQuery() { return new URLSearchParams(location.hash.split('?')[1] || ''); }
/** Rows a list page shows; the API's cursor leads to the next ones. */
const PAGE = 50;
/** The API path of a list: the filters named (those given in the hash), the page size and the hash's cursor. */
function listPath(path, q, filters) {
  const ask = new URLSearchParams({ limit: PAGE });
  filters.concat('cursor').forEach(k => { if (q.get(k)) ask.set(k, q.get(k)); });
  return path + '?' + ask;
}
/** Links to the first and the next page of a list, keeping the hash's filters. */
function pager(page, q, list) {
  const to = cursor => {
    const p = new URLSearchParams(q);
    if (cursor) p.set('cursor', cursor); else p.delete('cursor');
    return '#' + page + (String(p) ? '?' + p : '');
  };
  const links = (q.get('cursor') ? `<a class="button secondary" href="${esc(to(null))}">First page</a>` : '')
    + (list.nextCursor ? `<a class="button secondary" href="${esc(to(list.nextCursor))}">Next</a>` : '');
  return links ? `<nav class="pager">${links}</nav>` : '';
}

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error && body.error.message) || ('HTTP ' + status));
    this.status = status;
    this.code = body && body.error && body.error.code;
    this.field = body && body.error && body.error.field;
  }
}

async function api(method, path, body, type) {
  const headers = {};
  if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
  let payload;
  if (body !== undefined) {
    if (type) { headers['Content-Type'] = type; payload = body; }
    else { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
  }
  const r = await fetch('api/v1' + path, { method, headers, body: payload, credentials: 'same-origin' });
  const text = await r.text();
  const json = text && (r.headers.get('Content-Type') || '').startsWith('application/json') ? JSON.parse(text) : null;
  if (!r.ok) {
    if (r.status === 401 && path !== '/session') { signedOut(); }
    throw new ApiError(r.status, json);
  }
  return json;
}

// ---- session -----------------------------------------------------------------------------------------------

function signedIn(me) {
  Object.assign(state, { user: me.user, role: me.role, csrf: me.csrfToken });
  $('#nav').hidden = false;
  document.querySelectorAll('[data-role]').forEach(e => { e.hidden = !may(e.dataset.role); });
  $('#me').innerHTML = `${esc(me.user)} <span class="muted">(${esc(me.role.toLowerCase())})</span> <button class="secondary" id="signout">Sign out</button>`;
  $('#signout').onclick = async () => { await api('DELETE', '/session').catch(() => {}); signedOut(); };
  listen();
  route();
}

function signedOut() {
  Object.assign(state, { user: null, role: null, csrf: null });
  if (state.events) { state.events.close(); state.events = null; }
  $('#nav').hidden = true;
  $('#me').textContent = '';
  showLogin();
}

function showLogin(message) {
  $('#main').innerHTML = `<section class="card"><h1>Sign in</h1>
    <form id="login"><label>User <input name="user" autocomplete="username" required></label>
    <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
    <button>Sign in</button><p id="login-error" class="error">${esc(message || '')}</p></form></section>`;
  $('#login').onsubmit = async e => {
    e.preventDefault();
    const f = new FormData(e.target);
    try {
      signedIn(await api('POST', '/session', { user: f.get('user'), password: f.get('password') }));
    } catch (err) {
      $('#login-error').textContent = err.code === 'locked' ? 'Locked: ' + err.message : err.message;
    }
  };
}

// ---- live events -------------------------------------------------------------------------------------------

function listen() {
  if (state.events) return;
  const es = new EventSource('api/v1/events');
  state.events = es;
  // Redrawn a moment later, and only if the page that asked is still the one shown: a redraw must never wipe a
  // form the user went on to fill on another page.
  const refreshSoon = () => {
    const asked = location.hash;
    clearTimeout(listen.timer);
    listen.timer = setTimeout(() => { if (location.hash === asked) refresh(); }, 250);
  };
  es.addEventListener('delivery', () => { if (['deliveries', 'dlq', 'campaign'].includes(state.page)) refreshSoon(); });
  es.addEventListener('account', () => { if (state.page === 'accounts') refreshSoon(); });
  es.addEventListener('qr', e => {
    const d = JSON.parse(e.data);
    const img = document.querySelector(`img.qr[data-account="${CSS.escape(d.account)}"]`);
    if (img) img.src = `api/v1/sessions/${encodeURIComponent(d.account)}/qr.svg?at=${encodeURIComponent(d.at)}`;
    else if (state.page === 'accounts') refreshSoon();
  });
  es.addEventListener('pairing', e => { const d = JSON.parse(e.data); toast(`Pairing code for ${d.account}: ${d.code}`); });
  es.addEventListener('import', e => showImport(JSON.parse(e.data)));
}

// ---- pages -------------------------------------------------------------------------------------------------

const pages = {
  async accounts() {
    const [sessions, accounts] = await Promise.all([api('GET', '/sessions'), api('GET', '/accounts')]);
    const byName = Object.fromEntries(accounts.items.map(a => [a.name, a]));
    return `<h1>Accounts</h1>` + sessions.items.map(s => {
      const a = byName[s.account] || {};
      const qr = s.state === 'QR' && may('OPERATOR')
        ? `<p>Scan with WhatsApp: Settings &gt; Linked devices &gt; Link a device.</p>
           <img class="qr" alt="login QR code for ${esc(s.account)}" data-account="${esc(s.account)}" src="api/v1/sessions/${encodeURIComponent(s.account)}/qr.svg?at=${Date.now()}">
           <form class="inline pairing" data-account="${esc(s.account)}"><label>Or a pairing code for the number <input name="phone" placeholder="+49 151 …"></label><button class="secondary">Get code</button></form>` : '';
      const actions = may('ADMIN') ? (a.status === 'PAUSED'
        ? `<button data-act="resume" data-account="${esc(s.account)}">Resume</button>`
        : `<button class="secondary" data-act="pause" data-account="${esc(s.account)}">Pause</button>`)
        + (s.state === 'READY' ? ` <button class="danger" data-act="logout" data-confirm="Log ${esc(s.account)} out of WhatsApp? It must be linked again." data-account="${esc(s.account)}">Log out</button>` : '') : '';
      return `<section class="card account" data-account="${esc(s.account)}"><h2>${esc(s.account)}</h2>
        <p>State <b class="state">${esc(s.state)}</b> ${s.detail ? '<span class="muted">' + esc(s.detail) + '</span>' : ''}
        · ${esc(a.status || '')} · run by ${esc(s.owner || 'nobody')}</p>${qr}${actions}</section>`;
    }).join('');
  },
  async contacts() {
    const q = hashQuery();
    const list = await api('GET', listPath('/contacts', q, ['q']));
    const edit = may('OPERATOR');
    return `<h1>Contacts</h1>
      <section class="card"><form class="inline" id="search"><label>Search <input name="q" value="${esc(q.get('q'))}"></label><button class="secondary">Search</button></form></section>
      ${edit ? `<section class="card"><h2>Import a spreadsheet</h2><form class="inline" id="import">
        <label>CSV or XLSX file <input type="file" name="file" accept=".csv,.xlsx" required></label>
        <label>Tag <input name="tag"></label><button>Import</button></form>
        <div id="import-progress"></div></section>
      <section class="card"><h2>Add a contact</h2><form class="inline" id="add-contact">
        <label>Name <input name="name"></label><label>Phone <input name="phone" required></label>
        <label>Tags <input name="tags" placeholder="vip, berlin"></label><button>Add</button></form></section>` : ''}
      <section class="card table-wrap"><table><thead><tr><th>Name</th><th>Phone</th><th>Tags</th><th></th></tr></thead><tbody>
      ${list.items.map(c => `<tr data-id="${esc(c.id)}"><td>${esc(c.name)}</td><td>${esc(c.phone)}</td><td>${esc(c.tags.join(', '))}</td>
        <td>${c.optedOut ? 'opted out' : ''} ${edit ? `<a class="button secondary" href="#contact/${esc(c.id)}">Edit</a> ` + (c.optedOut
          ? `<button class="secondary" data-act="opt-in" data-id="${esc(c.id)}">Opt in</button>`
          : `<button class="secondary" data-act="opt-out" data-id="${esc(c.id)}">Opt out</button>`)
          + ` <button class="danger" data-act="delete-contact" data-confirm="Delete ${esc(c.name || c.phone)}?" data-id="${esc(c.id)}">Delete</button>` : ''}</td></tr>`).join('')}
      </tbody></table>${list.items.length ? '' : '<p class="muted">None.</p>'}${pager('contacts', q, list)}</section>`;
  },
  async contact(id) {
    const c = await api('GET', '/contacts/' + encodeURIComponent(id));
    const fields = Object.entries(c.fields).map(([k, v]) => `${k}=${v}`).join('\n');
    if (!may('OPERATOR')) {
      return `<h1>${esc(c.name || c.phone)}</h1><section class="card table-wrap"><table><tbody>
        <tr><th>Phone</th><td>${esc(c.phone)}</td></tr><tr><th>Tags</th><td>${esc(c.tags.join(', '))}</td></tr>
        <tr><th>Fields</th><td>${esc(fields).replace(/\n/g, '<br>')}</td></tr></tbody></table></section>`;
    }
    return `<h1>Edit ${esc(c.name || c.phone)}</h1><section class="card"><form id="edit-contact" data-id="${esc(c.id)}" data-zone="${esc(c.zone)}">
      <label>Name <input name="name" value="${esc(c.name)}"></label>
      <label>Phone <input name="phone" value="${esc(c.phone)}" required></label>
      <label>Tags <input name="tags" value="${esc(c.tags.join(', '))}" placeholder="vip, berlin"></label>
      <label>Fields, one name=value a line (each a {{placeholder}} for templates) <textarea name="fields" placeholder="city=Berlin">${esc(fields)}</textarea></label>
      <div class="inline"><button>Save</button> <a class="button secondary" href="#contacts">Back</a></div></form></section>`;
  },
  async templates() {
    const list = await api('GET', '/templates');
    const edit = may('OPERATOR');
    return `<h1>Templates</h1>
      ${edit ? `<section class="card"><h2>Write a template</h2><form id="template">
        <label>Name <input name="name" pattern="[a-z0-9_-]{1,64}" required></label>
        <label>Text, with {{placeholders}} such as {{name}} <textarea name="body" required></textarea></label>
        <label>Preview for contact id (optional) <input name="contactId"></label>
        <div class="inline"><button type="button" class="secondary" id="preview">Preview</button> <button>Save</button></div>
        <p id="rendered" class="muted"></p></form></section>` : ''}
      <section class="card table-wrap"><table><thead><tr><th>Name</th><th>Text</th><th>Variables</th><th></th></tr></thead><tbody>
      ${list.items.map(t => `<tr><td>${esc(t.name)}</td><td>${esc(t.body)}</td><td>${esc(t.variables.join(', '))}</td>
        <td>${edit ? `<button class="danger" data-act="delete-template" data-confirm="Delete template ${esc(t.name)}?" data-name="${esc(t.name)}">Delete</button>` : ''}</td></tr>`).join('')}
      </tbody></table></section>`;
  },
  async schedules() {
    const q = hashQuery();
    const [list, accounts] = await Promise.all([api('GET', listPath('/schedules', q, [])), api('GET', '/accounts')]);
    const edit = may('OPERATOR');
    return `<h1>Schedules</h1>
      ${edit ? `<section class="card"><h2>New schedule</h2>${scheduleForm(accounts)}</section>` : ''}
      <section class="card table-wrap"><table><thead><tr><th>Name / id</th><th>Account</th><th>When</th><th>Next</th><th></th></tr></thead><tbody>
      ${list.items.map(s => `<tr data-id="${esc(s.id)}"><td><a href="#campaign/${esc(s.id)}">${esc(s.name || s.id)}</a></td><td>${esc(s.accounts ? s.accounts.join(', ') : s.account)}</td>
        <td>${esc(s.trigger.expression || s.trigger.at || (s.trigger.intervalMs ? (s.trigger.intervalMs / 60000) + " min" : s.trigger.type))}</td><td>${esc(when(s.nextFireAt))}</td>
        <td>${edit ? `<a class="button secondary" href="#schedule/${esc(s.id)}">Edit</a> ` + (s.paused ? `<button data-act="resume-schedule" data-id="${esc(s.id)}">Resume</button>`
          : `<button class="secondary" data-act="pause-schedule" data-id="${esc(s.id)}">Pause</button>`)
          + ` <button class="danger" data-act="delete-schedule" data-confirm="Delete this schedule? Its pending messages are cancelled." data-id="${esc(s.id)}">Delete</button>` : (s.paused ? 'paused' : '')}</td></tr>`).join('')}
      </tbody></table>${pager('schedules', q, list)}</section>`;
  },
  async schedule(id) {
    const [s, accounts] = await Promise.all([api('GET', '/schedules/' + encodeURIComponent(id)), api('GET', '/accounts')]);
    if (!may('OPERATOR')) return `<section class="card"><p>Changing a schedule needs the operator role. <a href="#campaign/${esc(s.id)}">Its campaign</a></p></section>`;
    return `<h1>Edit ${s.name ? esc(s.name) : 'schedule ' + esc(s.id)}</h1><section class="card">${scheduleForm(accounts, s)}</section>`;
  },
  async campaign(id) {
    const r = await api('GET', '/schedules/' + encodeURIComponent(id) + '/report');
    const t = r.totals;
    const n = (label, v, cls) => `<div class="${cls}"><b>${v}</b>${label}</div>`;
    return `<h1>Campaign ${esc(id)}</h1><section class="card"><div class="counts" id="counts">
      ${n('total', t.total, 'total')}${n('sent', t.sent, 'sent')}${n('delivered', t.delivered, 'delivered')}${n('read', t.read, 'read')}
      ${n('failed', t.failed, 'failed')}${n('replied', t.replied, 'replied')}</div>
      <p class="muted">Counts move as WhatsApp reports them.</p></section>`;
  },
  async deliveries() {
    const q = hashQuery();
    const [list, accounts] = await Promise.all([api('GET', listPath('/deliveries', q, ['status', 'account'])), api('GET', '/accounts')]);
    const select = (name, values, any) => `<select name="${name}">` + [''].concat(values).map(o => `<option value="${esc(o)}"${o === (q.get(name) || '') ? ' selected' : ''}>${o ? esc(o.toLowerCase()) : any}</option>`).join('') + '</select>';
    const statuses = ['PENDING', 'SENDING', 'SENT', 'DELIVERED', 'READ', 'DEAD', 'UNCERTAIN', 'CANCELLED'];
    // The export streams every delivery the filters match, not just the page shown.
    const csv = new URLSearchParams([...q].filter(([k, v]) => k !== 'cursor' && v));
    return `<section class="card"><form class="inline" id="filter"><label>Status ${select('status', statuses, 'any status')}</label>
      <label>Account ${select('account', accounts.items.map(a => a.name), 'any account')}</label>
      <button class="secondary">Show</button> <a class="button secondary" id="export" href="api/v1/deliveries.csv${String(csv) ? '?' + esc(String(csv)) : ''}" download="deliveries.csv">Export CSV</a></form></section>`
      + deliveryTable('Deliveries', list, false, may('OPERATOR'), pager('deliveries', q, list));
  },
  async dlq() {
    const q = hashQuery();
    const list = await api('GET', listPath('/deliveries', new URLSearchParams([...q, ['status', 'DEAD']]), ['status']));
    return deliveryTable('Dead letters', list, may('OPERATOR'), false, pager('dlq', q, list));
  },
  async users() {
    const q = hashQuery();
    const [users, keys, audit] = await Promise.all([api('GET', '/users'), api('GET', '/keys'), api('GET', listPath('/audit', q, []))]);
    return `<h1>Users</h1><section class="card"><h2>Add a user</h2><form class="inline" id="add-user">
      <label>Name <input name="name" required></label><label>Role <select name="role"><option>VIEWER</option><option>OPERATOR</option><option>ADMIN</option></select></label>
      <label>Password (12+) <input name="password" type="password" minlength="12" required></label><button>Add</button></form>
      <table><tbody>${users.items.map(u => `<tr><td>${esc(u.name)}</td><td>${esc(u.role)}</td><td>${u.lockedUntil ? 'locked until ' + esc(when(u.lockedUntil)) : ''}</td></tr>`).join('')}</tbody></table></section>
      <section class="card"><h2>API keys</h2><form class="inline" id="add-key"><label>Name <input name="name" required></label>
      <label>Role <select name="role"><option>VIEWER</option><option>OPERATOR</option><option>ADMIN</option></select></label><button>Make key</button></form>
      <p id="secret" class="muted"></p>
      <table><tbody>${keys.items.map(k => `<tr><td>${esc(k.name)}</td><td>${esc(k.role)}</td><td>${k.revokedAt ? 'revoked' : `<button class="danger" data-act="revoke" data-id="${esc(k.id)}">Revoke</button>`}</td></tr>`).join('')}</tbody></table></section>
      <section class="card table-wrap" id="audit"><h2>Audit log</h2><table><thead><tr><th>When</th><th>Who</th><th>What</th><th>To what</th></tr></thead><tbody>${audit.items.map(e => `<tr><td>${esc(when(e.at))}</td><td>${esc(e.actor)}</td><td>${esc(e.action)}</td><td>${esc(e.target)}</td></tr>`).join('')}</tbody></table>${pager('users', q, audit)}</section>`;
  },
};

function deliveryTable(title, list, requeue, cancel, more) {
  return `<h1>${esc(title)}</h1><section class="card table-wrap"><table><thead><tr><th>To</th><th>Account</th><th>Status</th><th>Sent</th><th>Error</th><th></th></tr></thead><tbody>
    ${list.items.map(d => `<tr data-id="${esc(d.id)}"><td>${esc(d.recipient)}</td><td>${esc(d.account)}</td><td class="status">${esc(d.status)}</td>
      <td>${esc(when(d.sentAt))}</td><td>${esc(d.lastError)}</td>
      <td>${requeue ? `<button data-act="requeue" data-id="${esc(d.id)}" data-version="${esc(d.version)}">Requeue</button>` : ''}
        ${cancel && d.status === 'PENDING' ? `<button class="secondary" data-act="cancel" data-id="${esc(d.id)}">Cancel</button>` : ''}</td></tr>`).join('')}
    </tbody></table>${list.items.length ? '' : '<p class="muted">None.</p>'}${more}</section>`;
}

// ---- actions -----------------------------------------------------------------------------------------------

const actions = {
  'pause': b => api('POST', `/accounts/${encodeURIComponent(b.dataset.account)}/pause`),
  'resume': b => api('POST', `/accounts/${encodeURIComponent(b.dataset.account)}/resume`),
  'opt-out': b => api('POST', `/contacts/${encodeURIComponent(b.dataset.id)}/opt-out`),
  'opt-in': b => api('POST', `/contacts/${encodeURIComponent(b.dataset.id)}/opt-in`),
  'pause-schedule': b => api('POST', `/schedules/${encodeURIComponent(b.dataset.id)}/pause`),
  'resume-schedule': b => api('POST', `/schedules/${encodeURIComponent(b.dataset.id)}/resume`),
  'requeue': b => api('POST', `/deliveries/${encodeURIComponent(b.dataset.id)}/requeue?version=${encodeURIComponent(b.dataset.version)}`),
  'revoke': b => api('DELETE', `/keys/${encodeURIComponent(b.dataset.id)}`),
  'logout': b => api('POST', `/sessions/${encodeURIComponent(b.dataset.account)}/logout`),
  'delete-contact': b => api('DELETE', `/contacts/${encodeURIComponent(b.dataset.id)}`),
  'delete-template': b => api('DELETE', `/templates/${encodeURIComponent(b.dataset.name)}`),
  'delete-schedule': b => api('DELETE', `/schedules/${encodeURIComponent(b.dataset.id)}`),
  'cancel': b => api('POST', `/deliveries/${encodeURIComponent(b.dataset.id)}/cancel`),
};

function showImport(p) {
  const box = $('#import-progress');
  if (!box || (state.importId && p.id !== state.importId)) return;
  const total = p.rowsTotal == null ? '' : ` max="${p.rowsTotal}"`;
  box.innerHTML = `<progress value="${p.rowsDone}"${total}></progress>
    <p class="import-state">${esc(p.state)}: ${p.rowsDone} rows, ${p.imported} imported, ${p.updated} updated, ${p.rejected} rejected</p>
    ${p.state === 'COMPLETED' && p.rejected > 0 ? `<a href="api/v1/contacts/imports/${encodeURIComponent(p.id)}/rejected.csv">Rejected rows (CSV)</a>` : ''}`;
}

/** Comma-separated input as a list, blanks left out. */
function commaList(v) { return (v || '').split(',').map(s => s.trim()).filter(Boolean); }

/** An instant as the local date and time the form reads back (2026-05-04T09:30:00). */
function localTime(iso) {
  const d = new Date(iso), p = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Milliseconds as an ISO-8601 duration (PT1H30M). */
function isoDuration(ms) {
  const h = Math.floor(ms / 3600000), m = Math.floor(ms / 60000) % 60, s = (ms % 60000) / 1000;
  return 'PT' + (h ? h + 'H' : '') + (m ? m + 'M' : '') + (s || (!h && !m) ? s + 'S' : '');
}

/**
 * The form that makes a schedule, or edits {@code s}: what the form has no field for (variables, misfire policy,
 * cron dialect, a trigger of another kind, the file sent) rides along in data attributes and
 * goes back unchanged, and so does the version read, so a change made meanwhile is refused rather than overwritten.
 */
function scheduleForm(accounts, s) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const t = s ? s.trigger : { type: 'cron', expression: '0 9 * * MON-FRI', zone };
  const target = s ? s.target : { type: 'tag', tag: '' };
  const m = s ? s.message : {};
  if (!['contacts', 'tag', 'group'].includes(target.type)) return '<p class="muted">This schedule goes to a number the console cannot show; change it through the API.</p>';
  const kinds = { cron: 'repeat (cron)', once: 'once', every: 'every (interval)' };
  const kind = kinds[t.type] ? t.type : 'keep';
  const whenText = { cron: t.expression, once: t.at && localTime(t.at), every: t.intervalMs && isoDuration(t.intervalMs) }[kind]
    || `${t.field} at ${t.at}`;
  const data = (name, v) => v ? ` data-${name}="${esc(typeof v === 'string' ? v : JSON.stringify(v))}"` : '';
  const option = (v, label, on) => `<option value="${esc(v)}"${on ? ' selected' : ''}>${esc(label)}</option>`;
  const account = s && s.accounts ? `<label>Accounts, comma-separated <input name="accounts" value="${esc(s.accounts.join(', '))}" required></label>`
    : `<label>Account <select name="account">${accounts.items.filter(a => a.status !== 'REMOVED').map(a => option(a.name, a.name, s && a.name === s.account)).join('')}</select></label>`;
  return `<form id="schedule"${s ? data('id', s.id) + ` data-version="${esc(s.version)}"` : ''}${data('variables', Object.keys(m.variables || {}).length && m.variables)}${data('misfire', s && s.misfire.kind)}
      ${data('dialect', t.dialect)}${data('media', m.media)}${data('trigger', kind === 'keep' && { yearlyOn: t.field, at: t.at, zone: t.zone })}>
    <label>Name (optional) <input name="name" value="${esc(s && s.name)}"></label>
    ${account}
    <label>To <select name="toKind">${option('tag', 'contacts with tag', target.type === 'tag')}${option('group', 'group chat', target.type === 'group')}${option('contacts', 'contact ids', target.type === 'contacts')}</select></label>
    <label>Tag, group name or contact ids (comma-separated) <input name="to" value="${esc(target.tag || target.name || (target.ids || []).join(', '))}" required></label>
    <label>Text (or leave empty and name a template; with a file, its caption) <textarea name="text">${esc(m.text)}</textarea></label>
    <label>Template <input name="template" value="${esc(m.template)}"></label>
    <label>Picture or file to send (optional) <input type="file" name="media"></label>
    ${m.media ? `<label class="check"><input type="checkbox" name="keepMedia" checked> Keep sending ${esc(m.media.fileName)}</label>` : ''}
    <label>When <select name="kind">${Object.entries(kinds).map(([k, label]) => option(k, label, k === kind)).join('')}${kind === 'keep' ? option('keep', 'as it is: ' + whenText, true) : ''}</select></label>
    <label>Cron (minute hour day month weekday), instant, or interval such as PT1H <input name="when" value="${esc(whenText)}" required></label>
    <label>Time zone <input name="zone" value="${esc(t.zone || zone)}"></label>
    <p id="cron-text" class="muted"></p><ul id="next" class="muted"></ul>
    <p id="schedule-error" class="error"></p>
    <div class="inline"><button>${s ? 'Save' : 'Create'}</button>${s ? ' <a class="button secondary" href="#schedules">Back</a>' : ''}</div></form>`;
}

function triggerOf(f, form) {
  const kind = f.get('kind'), when = f.get('when'), kept = form.dataset;
  if (kind === 'cron') return Object.assign({ cron: when, zone: f.get('zone') }, kept.dialect ? { dialect: kept.dialect } : {});
  if (kind === 'once') return { once: new Date(when).toISOString() };
  // An interval keeps its start when it stays the same length (the server's rule), else counts from the save.
  if (kind === 'every') return { every: when };
  return JSON.parse(kept.trigger);
}

/** The schedule the form describes; a file chosen is uploaded first, and the text goes with it as its caption. */
async function scheduleSpec(f, form) {
  const kept = form.dataset;
  const to = f.get('toKind') === 'contacts' ? { contacts: commaList(f.get('to')) } : { [f.get('toKind')]: f.get('to') };
  const spec = f.has('accounts') ? { accounts: commaList(f.get('accounts')) } : { account: f.get('account') };
  Object.assign(spec, { name: f.get('name') || null, to, trigger: triggerOf(f, form) });
  if (kept.variables) spec.variables = JSON.parse(kept.variables);
  if (kept.misfire) spec.misfire = kept.misfire;
  if (f.get('template')) spec.template = f.get('template'); else spec.text = f.get('text');
  const file = f.get('media');
  if (file && file.size) {
    spec.media = await api('POST', '/media?name=' + encodeURIComponent(file.name), file, file.type || 'application/octet-stream');
  } else if (kept.media && f.get('keepMedia')) {
    spec.media = JSON.parse(kept.media);
  }
  return spec;
}

/** Vixie cron's macros as the five fields the server reads them as. */
const CRON_MACROS = { '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *' };

/** The cron expression in words: minute hour day-of-month month day-of-week, or a macro. */
function describeCron(expr) {
  const f = (CRON_MACROS[expr.trim().toLowerCase()] || expr).trim().split(/\s+/);
  if (f.length !== 5) return 'A cron expression has five fields (minute hour day month weekday) or is a macro such as @daily.';
  const [mi, ho, dom, mon, dow] = f;
  const days = { SUN: 'Sunday', MON: 'Monday', TUE: 'Tuesday', WED: 'Wednesday', THU: 'Thursday', FRI: 'Friday', SAT: 'Saturday',
    0: 'Sunday', 1: 'Monday', 2: 'Tuesday', 3: 'Wednesday', 4: 'Thursday', 5: 'Friday', 6: 'Saturday', 7: 'Sunday' };
  const day = d => days[d.toUpperCase()] || d;
  let time;
  if (/^\d+$/.test(mi) && /^\d+$/.test(ho)) time = `at ${ho.padStart(2, '0')}:${mi.padStart(2, '0')}`;
  else if (mi === '*' && ho === '*') time = 'every minute';
  else if (/^\*\/\d+$/.test(mi) && ho === '*') time = `every ${mi.slice(2)} minutes`;
  else if (/^\d+$/.test(mi) && ho === '*') time = `at minute ${mi} of every hour`;
  else if (/^\d+$/.test(mi)) time = `at minute ${mi} past hour ${ho}`;
  else time = `at minute ${mi}, hour ${ho}`;
  let when = 'every day';
  if (dow !== '*') {
    when = 'on ' + dow.split(',').map(p => p.includes('-') ? p.split('-').map(day).join(' to ') : day(p)).join(', ');
  }
  if (dom !== '*') when = `on day ${dom} of the month` + (dow !== '*' ? ' and ' + when : '');
  if (mon !== '*') when += ` in month ${mon}`;
  return `Runs ${time}, ${when}.`;
}

async function previewTrigger(form) {
  const f = new FormData(form);
  $('#cron-text').textContent = f.get('kind') === 'cron' ? describeCron(f.get('when')) : '';
  try {
    const r = await api('POST', '/triggers/preview', { trigger: triggerOf(f, form) });
    $('#next').innerHTML = r.next.map(t => `<li>${esc(when(t))}</li>`).join('');
  } catch (err) {
    $('#next').innerHTML = `<li class="error">${esc(err.message)}</li>`;
  }
}

function wire(main) {
  main.querySelectorAll('button[data-act]').forEach(b => b.onclick = async () => {
    if (b.dataset.confirm && !confirm(b.dataset.confirm)) return;
    try { await actions[b.dataset.act](b); toast('Done'); refresh(); } catch (err) { toast(err.message, true); }
  });
  main.querySelectorAll('form.pairing').forEach(f => f.onsubmit = async e => {
    e.preventDefault();
    try {
      const r = await api('POST', `/sessions/${encodeURIComponent(f.dataset.account)}/pairing-code`, { phone: new FormData(f).get('phone') });
      toast(`Type ${r.code} on the phone`);
    } catch (err) { toast(err.message, true); }
  });
  const on = (id, fn) => { const f = $('#' + id, main); if (f) f.onsubmit = async e => { e.preventDefault(); try { await fn(new FormData(f), f); } catch (err) { toast(err.message, true); } }; };
  on('search', f => { location.hash = 'contacts?q=' + encodeURIComponent(f.get('q')); });
  on('filter', f => { location.hash = 'deliveries?' + new URLSearchParams([...f].filter(([, v]) => v)); });
  on('add-contact', async f => {
    await api('POST', '/contacts', { name: f.get('name') || null, phone: f.get('phone'), tags: commaList(f.get('tags')) });
    toast('Added'); refresh();
  });
  on('import', async f => {
    const file = f.get('file');
    const tag = f.get('tag') ? '&tag=' + encodeURIComponent(f.get('tag')) : '';
    const job = await api('POST', `/contacts/imports?name=${encodeURIComponent(file.name)}${tag}`, file, file.type || 'text/csv');
    state.importId = job.id;
    showImport(job);
    // The live events carry the progress; ask once more in case the end came before the stream saw the job.
    setTimeout(async () => showImport(await api('GET', '/contacts/imports/' + encodeURIComponent(job.id))), 1500);
  });
  on('template', async f => {
    await api('PUT', '/templates/' + encodeURIComponent(f.get('name')), { body: f.get('body') });
    toast('Saved'); refresh();
  });
  const preview = $('#preview', main);
  if (preview) preview.onclick = async () => {
    const f = new FormData($('#template'));
    try {
      const ask = { body: f.get('body') };
      if (f.get('contactId')) ask.contactId = f.get('contactId');
      const r = await api('POST', `/templates/${encodeURIComponent(f.get('name') || 'draft')}/preview`, ask);
      $('#rendered').textContent = r.text;
    } catch (err) { $('#rendered').textContent = err.message; }
  };
  const schedule = $('#schedule', main);
  if (schedule) {
    schedule.oninput = () => { clearTimeout(wire.timer); wire.timer = setTimeout(() => previewTrigger(schedule), 300); };
    previewTrigger(schedule);
  }
  on('schedule', async (f, form) => {
    const spec = await scheduleSpec(f, form);
    if (!form.dataset.id) {
      const s = await api('POST', '/schedules', spec);
      toast('Created'); location.hash = 'campaign/' + s.id;
      return;
    }
    try {
      await api('PUT', '/schedules/' + encodeURIComponent(form.dataset.id), Object.assign(spec, { version: Number(form.dataset.version) }));
    } catch (err) {
      if (err.status !== 409) throw err;
      // Saving anyway would undo what the other person did: show their version first.
      $('#schedule-error', form).innerHTML = `Not saved: this schedule was changed by someone else (or ran) after you opened it.
        <button type="button" class="secondary" id="reload">Load the current version</button> Your changes here are then lost; make them again.`;
      $('#reload', form).onclick = () => refresh();
      return;
    }
    toast('Saved'); location.hash = 'schedules';
  });
  on('edit-contact', async (f, form) => {
    const fields = {};
    for (const line of f.get('fields').split('\n').map(s => s.trim()).filter(Boolean)) {
      const eq = line.indexOf('=');
      if (eq < 1) throw new Error(`A field is name=value, one a line: '${line}'`);
      fields[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    }
    const c = { name: f.get('name') || null, phone: f.get('phone'), tags: commaList(f.get('tags')), fields };
    if (form.dataset.zone) c.zone = form.dataset.zone;
    await api('PUT', '/contacts/' + encodeURIComponent(form.dataset.id), c);
    toast('Saved'); location.hash = 'contacts';
  });
  on('add-user', async f => { await api('POST', '/users', { name: f.get('name'), role: f.get('role'), password: f.get('password') }); toast('Added'); refresh(); });
  on('add-key', async f => {
    const k = await api('POST', '/keys', { name: f.get('name'), role: f.get('role') });
    await refresh();
    $('#secret').textContent = `Key ${k.name}: ${k.secret} (shown once; keep it now)`;
  });
}

async function refresh() {
  // Only the latest refresh draws: one started for the page before a click must not land on the page after it.
  const turn = refresh.turn = (refresh.turn || 0) + 1;
  const [name, arg] = (location.hash.slice(1).split('?')[0] || 'accounts').split('/');
  const page = Object.prototype.hasOwnProperty.call(pages, name) ? name : 'accounts';
  state.page = page;
  const section = { contact: 'contacts', schedule: 'schedules', campaign: 'schedules' }[page] || page;
  document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', a.getAttribute('href') === '#' + section));
  const main = $('#main');
  // Another page asked for: the one shown goes at once, so nobody fills a form that is about to be replaced.
  const route = page + '/' + (arg || '');
  if (refresh.drawn !== route) {
    refresh.drawn = null;
    main.innerHTML = '<p class="muted">Loading…</p>';
  }
  try {
    const html = await pages[page](arg);
    if (turn !== refresh.turn) return;
    main.innerHTML = html;
    refresh.drawn = route;
    wire(main);
  } catch (err) {
    if (state.user && turn === refresh.turn) main.innerHTML = `<section class="card"><p class="error">${esc(err.message)}</p></section>`;
  }
}

function route() { if (state.user) refresh(); }

window.addEventListener('hashchange', route);
window.addEventListener('DOMContentLoaded', async () => {
  try { signedIn(await api('GET', '/session')); } catch (err) { showLogin(); }
});
