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
    const q = new URLSearchParams(location.hash.split('?')[1] || '');
    const list = await api('GET', '/contacts?limit=100' + (q.get('q') ? '&q=' + encodeURIComponent(q.get('q')) : ''));
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
      ${list.items.map(c => `<tr><td>${esc(c.name)}</td><td>${esc(c.phone)}</td><td>${esc(c.tags.join(', '))}</td>
        <td>${c.optedOut ? 'opted out' : ''} ${edit ? (c.optedOut
          ? `<button class="secondary" data-act="opt-in" data-id="${esc(c.id)}">Opt in</button>`
          : `<button class="secondary" data-act="opt-out" data-id="${esc(c.id)}">Opt out</button>`)
          + ` <button class="danger" data-act="delete-contact" data-confirm="Delete ${esc(c.name || c.phone)}?" data-id="${esc(c.id)}">Delete</button>` : ''}</td></tr>`).join('')}
      </tbody></table></section>`;
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
    const [list, accounts] = await Promise.all([api('GET', '/schedules?limit=100'), api('GET', '/accounts')]);
    const edit = may('OPERATOR');
    return `<h1>Schedules</h1>
      ${edit ? `<section class="card"><h2>New schedule</h2><form id="schedule">
        <label>Account <select name="account">${accounts.items.filter(a => a.status !== 'REMOVED').map(a => `<option>${esc(a.name)}</option>`).join('')}</select></label>
        <label>To <select name="toKind"><option value="tag">contacts with tag</option><option value="group">group chat</option><option value="contacts">contact ids</option></select></label>
        <label>Tag, group name or contact ids (comma-separated) <input name="to" required></label>
        <label>Text (or leave empty and name a template) <textarea name="text"></textarea></label>
        <label>Template <input name="template"></label>
        <label>When <select name="kind"><option value="cron">repeat (cron)</option><option value="once">once</option><option value="every">every (interval)</option></select></label>
        <label>Cron (minute hour day month weekday), instant, or interval such as PT1H <input name="when" value="0 9 * * MON-FRI" required></label>
        <label>Time zone <input name="zone" value="${esc(Intl.DateTimeFormat().resolvedOptions().timeZone)}"></label>
        <p id="cron-text" class="muted"></p><ul id="next" class="muted"></ul>
        <button>Create</button></form></section>` : ''}
      <section class="card table-wrap"><table><thead><tr><th>Name / id</th><th>Account</th><th>When</th><th>Next</th><th></th></tr></thead><tbody>
      ${list.items.map(s => `<tr><td><a href="#campaign/${esc(s.id)}">${esc(s.name || s.id)}</a></td><td>${esc(s.account)}</td>
        <td>${esc(s.trigger.expression || s.trigger.at || (s.trigger.intervalMs ? (s.trigger.intervalMs / 60000) + " min" : s.trigger.type))}</td><td>${esc(when(s.nextFireAt))}</td>
        <td>${edit ? (s.paused ? `<button data-act="resume-schedule" data-id="${esc(s.id)}">Resume</button>`
          : `<button class="secondary" data-act="pause-schedule" data-id="${esc(s.id)}">Pause</button>`)
          + ` <button class="danger" data-act="delete-schedule" data-confirm="Delete this schedule? Its pending messages are cancelled." data-id="${esc(s.id)}">Delete</button>` : (s.paused ? 'paused' : '')}</td></tr>`).join('')}
      </tbody></table></section>`;
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
    const status = new URLSearchParams(location.hash.split('?')[1] || '').get('status') || '';
    const list = await api('GET', '/deliveries?limit=100' + (status ? '&status=' + encodeURIComponent(status) : ''));
    const options = ['', 'PENDING', 'SENDING', 'SENT', 'DELIVERED', 'READ', 'DEAD', 'UNCERTAIN', 'CANCELLED']
      .map(o => `<option value="${o}"${o === status ? ' selected' : ''}>${o ? o.toLowerCase() : 'any status'}</option>`).join('');
    return `<section class="card"><form class="inline" id="filter"><label>Status <select name="status">${options}</select></label>
      <button class="secondary">Show</button></form></section>` + deliveryTable('Deliveries', list, false, may('OPERATOR'));
  },
  async dlq() { return deliveryTable('Dead letters', await api('GET', '/deliveries?status=DEAD&limit=100'), may('OPERATOR')); },
  async users() {
    const [users, keys, audit] = await Promise.all([api('GET', '/users'), api('GET', '/keys'), api('GET', '/audit?limit=50')]);
    return `<h1>Users</h1><section class="card"><h2>Add a user</h2><form class="inline" id="add-user">
      <label>Name <input name="name" required></label><label>Role <select name="role"><option>VIEWER</option><option>OPERATOR</option><option>ADMIN</option></select></label>
      <label>Password (12+) <input name="password" type="password" minlength="12" required></label><button>Add</button></form>
      <table><tbody>${users.items.map(u => `<tr><td>${esc(u.name)}</td><td>${esc(u.role)}</td><td>${u.lockedUntil ? 'locked until ' + esc(when(u.lockedUntil)) : ''}</td></tr>`).join('')}</tbody></table></section>
      <section class="card"><h2>API keys</h2><form class="inline" id="add-key"><label>Name <input name="name" required></label>
      <label>Role <select name="role"><option>VIEWER</option><option>OPERATOR</option><option>ADMIN</option></select></label><button>Make key</button></form>
      <p id="secret" class="muted"></p>
      <table><tbody>${keys.items.map(k => `<tr><td>${esc(k.name)}</td><td>${esc(k.role)}</td><td>${k.revokedAt ? 'revoked' : `<button class="danger" data-act="revoke" data-id="${esc(k.id)}">Revoke</button>`}</td></tr>`).join('')}</tbody></table></section>
      <section class="card table-wrap"><h2>Audit log</h2><table><tbody>${audit.items.map(e => `<tr><td>${esc(when(e.at))}</td><td>${esc(e.actor)}</td><td>${esc(e.action)}</td><td>${esc(e.target)}</td></tr>`).join('')}</tbody></table></section>`;
  },
};

function deliveryTable(title, list, requeue, cancel) {
  return `<h1>${esc(title)}</h1><section class="card table-wrap"><table><thead><tr><th>To</th><th>Account</th><th>Status</th><th>Sent</th><th>Error</th><th></th></tr></thead><tbody>
    ${list.items.map(d => `<tr data-id="${esc(d.id)}"><td>${esc(d.recipient)}</td><td>${esc(d.account)}</td><td class="status">${esc(d.status)}</td>
      <td>${esc(when(d.sentAt))}</td><td>${esc(d.lastError)}</td>
      <td>${requeue ? `<button data-act="requeue" data-id="${esc(d.id)}" data-version="${esc(d.version)}">Requeue</button>` : ''}
        ${cancel && d.status === 'PENDING' ? `<button class="secondary" data-act="cancel" data-id="${esc(d.id)}">Cancel</button>` : ''}</td></tr>`).join('')}
    </tbody></table>${list.items.length ? '' : '<p class="muted">None.</p>'}</section>`;
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

function triggerOf(f) {
  const kind = f.get('kind'), when = f.get('when');
  if (kind === 'cron') return { cron: when, zone: f.get('zone') };
  if (kind === 'once') return { once: new Date(when).toISOString() };
  return { every: when };
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
    const r = await api('POST', '/triggers/preview', { trigger: triggerOf(f) });
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
  on('filter', f => { location.hash = 'deliveries?status=' + encodeURIComponent(f.get('status')); });
  on('add-contact', async f => {
    await api('POST', '/contacts', { name: f.get('name') || null, phone: f.get('phone'), tags: f.get('tags').split(',').map(s => s.trim()).filter(Boolean) });
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
  on('schedule', async f => {
    const to = f.get('toKind') === 'contacts' ? { contacts: f.get('to').split(',').map(s => s.trim()) } : { [f.get('toKind')]: f.get('to') };
    const spec = { account: f.get('account'), to, trigger: triggerOf(f) };
    if (f.get('template')) spec.template = f.get('template'); else spec.text = f.get('text');
    const s = await api('POST', '/schedules', spec);
    toast('Created'); location.hash = 'campaign/' + s.id;
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
  document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', a.getAttribute('href') === '#' + page));
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
