// The registries management page. Plain JavaScript, no dependencies: it calls the Registries HTTP API of the same
// origin, sends the antiforgery token with every state-changing call, and writes every value with textContent.
'use strict';

(function () {
  const api = document.documentElement.dataset.api;
  const validationProblem = 'urn:registry-credentials:problem:validation-failed';
  const antiforgeryProblem = 'urn:registry-credentials:problem:antiforgery-token-invalid';
  const $ = (id) => document.getElementById(id);
  // Errors come as RFC 9457 problems only to clients that ask for them (others get Anchore's error body).
  const accept = 'application/json, application/problem+json';

  let antiforgery = null;
  let editing = null; // { scope, etag } while the dialog edits an entry
  let deleting = null;
  let opener = null;

  class ApiError extends Error {
    constructor(status, problem) {
      super(describeProblem(status, problem));
      this.status = status;
      this.problem = problem || {};
    }
  }

  function describeProblem(status, problem) {
    if (!problem || typeof problem !== 'object') {
      return 'The server answered ' + status + '.';
    }
    if (problem.type === validationProblem) {
      return 'Validation failed (' + (problem.outcome || 'unknown') + '): ' + (problem.reason || problem.detail || '');
    }
    if (status === 412) {
      return 'This entry was changed by somebody else since you opened it. Close the form and try again.';
    }
    return (problem.title ? problem.title + ': ' : '') + (problem.detail || ('The server answered ' + status + '.'));
  }

  async function token(refresh) {
    if (!antiforgery || refresh) {
      const response = await fetch(api + '/_antiforgery', { credentials: 'same-origin', cache: 'no-store', headers: { Accept: accept } });
      if (!response.ok) {
        throw new ApiError(response.status, await body(response));
      }
      antiforgery = await response.json();
    }
    return antiforgery;
  }

  async function body(response) {
    const text = await response.text();
    if (!text) {
      return null;
    }
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  }

  async function call(method, path, payload, headers, retried) {
    const all = Object.assign({ Accept: accept }, headers || {});
    if (method !== 'GET') {
      const t = await token(false);
      all[t.header_name] = t.request_token;
    }
    if (payload !== undefined) {
      all['Content-Type'] = 'application/json';
    }
    const response = await fetch(api + path, {
      method: method,
      headers: all,
      body: payload === undefined ? undefined : JSON.stringify(payload),
      credentials: 'same-origin',
      cache: 'no-store',
    });
    const data = await body(response);
    if (!response.ok) {
      if (!retried && data && data.type === antiforgeryProblem) {
        await token(true);
        return call(method, path, payload, headers, true);
      }
      throw new ApiError(response.status, data);
    }
    return { data: data, etag: response.headers.get('ETag'), status: response.status };
  }

  const entryPath = (scope) => '/' + encodeURIComponent(scope);

  // "2026-11-25T09:47:12Z" shown as the date, then the time (UTC) on a second line.
  function dateCell(row, value) {
    const td = cell(row, '', 'date');
    const text = value ? String(value) : '';
    const time = document.createElement('time');
    time.dateTime = text;
    time.append(text.slice(0, 10), document.createElement('br'), text.slice(11, 16));
    td.appendChild(time);
  }

  function cell(row, text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) {
      td.className = className;
    }
    row.appendChild(td);
    return td;
  }

  function button(text, label, handler, className) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.setAttribute('aria-label', label);
    if (className) {
      b.className = className;
    }
    b.addEventListener('click', handler);
    return b;
  }

  function setStatus(text) {
    $('status').textContent = text;
  }

  function showError(element, text) {
    element.textContent = text ? 'Error: ' + text : '';
    element.hidden = !text;
  }

  async function load() {
    try {
      const result = await call('GET', '');
      render(result.data || []);
    } catch (e) {
      setStatus('Error: ' + e.message);
    }
  }

  function render(entries) {
    const tbody = $('entries-body');
    tbody.replaceChildren();
    $('empty').hidden = entries.length > 0;
    for (const entry of entries) {
      const row = document.createElement('tr');
      row.dataset.registry = entry.registry;
      const state = cell(row, entry.active ? 'Active' : 'Inactive', entry.active ? 'state state-active' : 'state state-inactive');
      state.setAttribute('data-state', entry.active ? 'active' : 'inactive');
      const registry = document.createElement('th');
      registry.scope = 'row';
      // A line may break after each '/' of a long scope (and nowhere else).
      entry.registry.split('/').forEach((part, index, parts) => {
        registry.append(part + (index < parts.length - 1 ? '/' : ''));
        if (index < parts.length - 1) {
          registry.append(document.createElement('wbr'));
        }
      });
      registry.className = 'registry';
      row.appendChild(registry);
      cell(row, entry.registry_name);
      cell(row, entry.registry_type, 'nowrap');
      cell(row, entry.registry_user, 'nowrap');
      cell(row, entry.registry_email || '');
      cell(row, entry.registry_verify ? 'Verified' : 'Not verified', entry.registry_verify ? 'nowrap' : 'nowrap warning');
      dateCell(row, entry.created_at);
      dateCell(row, entry.last_updated);
      const actions = cell(row, '', 'actions');
      actions.appendChild(button('Edit', 'Edit ' + entry.registry, (event) => openEdit(entry.registry, event.currentTarget)));
      actions.appendChild(entry.active
        ? button('Deactivate', 'Deactivate ' + entry.registry, () => setActive(entry.registry, false))
        : button('Activate', 'Activate ' + entry.registry, () => setActive(entry.registry, true)));
      actions.appendChild(button('Delete', 'Delete ' + entry.registry, (event) => openDelete(entry.registry, event.currentTarget), 'danger'));
      tbody.appendChild(row);
    }
  }

  function resetForm() {
    const form = $('entry-form');
    form.reset();
    $('f-registry').readOnly = false;
    $('f-verify').checked = true;
    $('f-validate').checked = true;
    $('f-pass').required = true;
    $('f-pass-hint').textContent = 'Stored encrypted and never shown again.';
    showError($('form-error'), '');
  }

  function openAdd(event) {
    editing = null;
    opener = event.currentTarget;
    resetForm();
    $('entry-dialog-title').textContent = 'Add registry';
    $('entry-dialog').showModal();
    $('f-registry').focus();
  }

  async function openEdit(scope, source) {
    opener = source;
    try {
      const result = await call('GET', entryPath(scope));
      const entry = result.data[0];
      editing = { scope: entry.registry, etag: result.etag };
      resetForm();
      $('entry-dialog-title').textContent = 'Edit registry';
      $('f-registry').value = entry.registry;
      $('f-registry').readOnly = true;
      $('f-name').value = entry.registry_name || '';
      $('f-type').value = entry.registry_type || '';
      $('f-user').value = entry.registry_user || '';
      $('f-email').value = entry.registry_email || '';
      $('f-verify').checked = !!entry.registry_verify;
      $('f-pass').required = false;
      $('f-pass-hint').textContent = 'Leave empty to keep the stored password.';
      $('entry-dialog').showModal();
      $('f-name').focus();
    } catch (e) {
      setStatus('Error: ' + e.message);
    }
  }

  function closeDialog(dialog) {
    if (dialog.open) {
      dialog.close();
    }
  }

  function restoreFocus() {
    if (opener && document.body.contains(opener)) {
      opener.focus();
    } else {
      $('add-button').focus();
    }
    opener = null;
  }

  async function submitEntry(event) {
    event.preventDefault();
    const errorBox = $('form-error');
    showError(errorBox, '');
    const registry = $('f-registry').value.trim();
    const user = $('f-user').value;
    const password = $('f-pass').value;
    if (!editing && !registry) {
      showError(errorBox, 'Enter the registry address.');
      $('f-registry').focus();
      return;
    }
    if (!user) {
      showError(errorBox, 'Enter the user name.');
      $('f-user').focus();
      return;
    }
    if (!editing && !password) {
      showError(errorBox, 'Enter the password or token.');
      $('f-pass').focus();
      return;
    }
    const payload = {
      registry_name: $('f-name').value,
      registry_type: $('f-type').value || null,
      registry_user: user,
      registry_email: $('f-email').value,
      registry_verify: $('f-verify').checked,
    };
    if (password) {
      payload.registry_pass = password;
    }
    const query = '?validate=' + ($('f-validate').checked ? 'true' : 'false');
    const save = $('f-save');
    save.disabled = true;
    save.textContent = $('f-validate').checked ? 'Checking…' : 'Saving…';
    try {
      if (editing) {
        await call('PUT', entryPath(editing.scope) + query, payload, editing.etag ? { 'If-Match': editing.etag } : {});
        setStatus('Saved ' + editing.scope + '.');
      } else {
        payload.registry = registry;
        let result;
        try {
          result = await call('POST', query, payload);
        } catch (e) {
          // Rancher: the newest credential wins, but only when the user says so.
          if (!(e instanceof ApiError) || e.status !== 409
            || !window.confirm('A credential for ' + registry + ' already exists. Replace it with this one? (It keeps its creation date.)')) {
            throw e;
          }
          result = await call('POST', query + '&replace=true', payload);
        }
        setStatus((result.status === 200 ? 'Replaced ' : 'Added ') + result.data[0].registry + '.');
      }
      $('f-pass').value = '';
      opener = null; // the row is drawn again: focus goes back to "Add registry"
      closeDialog($('entry-dialog'));
      await load();
    } catch (e) {
      showError(errorBox, e.message);
      errorBox.focus();
    } finally {
      save.disabled = false;
      save.textContent = 'Save';
    }
  }

  async function setActive(scope, active) {
    try {
      await call('POST', entryPath(scope) + (active ? '/activate' : '/deactivate'));
      setStatus((active ? 'Activated ' : 'Deactivated ') + scope + '.');
      await load();
      const row = document.querySelector('tr[data-registry="' + CSS.escape(scope) + '"]');
      const next = row && row.querySelector('button[aria-label^="' + (active ? 'Deactivate' : 'Activate') + ' "]');
      if (next) {
        next.focus();
      }
    } catch (e) {
      setStatus('Error: ' + e.message);
    }
  }

  function openDelete(scope, source) {
    deleting = scope;
    opener = source;
    $('confirm-text').textContent = 'Delete the credential for ' + scope + '? Its password is deleted too; this cannot be undone.';
    showError($('confirm-error'), '');
    $('confirm-dialog').showModal();
    $('confirm-cancel').focus();
  }

  async function confirmDelete() {
    const scope = deleting;
    try {
      await call('DELETE', entryPath(scope));
      opener = null;
      closeDialog($('confirm-dialog'));
      setStatus('Deleted ' + scope + '.');
      await load();
    } catch (e) {
      showError($('confirm-error'), e.message);
    }
  }

  async function loadSettings() {
    try {
      const result = await call('GET', '/_settings');
      $('default-registry').value = result.data.default_registry || '';
      $('allowed-registries').value = (result.data.allowed_registries || []).join('\n');
    } catch (e) {
      showError($('settings-error'), e.message);
    }
  }

  async function saveSettings(event) {
    event.preventDefault();
    showError($('settings-error'), '');
    $('settings-status').textContent = '';
    const allowed = $('allowed-registries').value.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
    try {
      const result = await call('PATCH', '/_settings', { default_registry: $('default-registry').value.trim() || null, allowed_registries: allowed });
      $('default-registry').value = result.data.default_registry || '';
      $('allowed-registries').value = (result.data.allowed_registries || []).join('\n');
      $('settings-status').textContent = 'Settings saved.';
    } catch (e) {
      showError($('settings-error'), e.message);
    }
  }

  async function tryImage(event) {
    event.preventDefault();
    const output = $('try-result');
    output.replaceChildren();
    const image = $('try-image').value.trim();
    if (!image) {
      output.textContent = 'Enter an image reference, such as nginx:latest.';
      return;
    }
    try {
      const result = await call('GET', '/_resolve?image=' + encodeURIComponent(image));
      const r = result.data;
      const heading = document.createElement('p');
      heading.className = 'result-kind result-' + r.result;
      heading.textContent = {
        credential: 'Uses a stored credential',
        anonymous: 'Anonymous pull',
        denied: 'Denied',
      }[r.result] || r.result;
      const message = document.createElement('p');
      message.className = 'result-message';
      message.textContent = r.message;
      const where = document.createElement('p');
      where.className = 'hint';
      where.textContent = 'Pulls from ' + r.registry + '/' + r.repository + (r.reason ? ' (reason: ' + r.reason + ')' : '') + '.';
      output.append(heading, message, where);
    } catch (e) {
      output.textContent = 'Error: ' + e.message;
    }
  }

  function start() {
    $('add-button').addEventListener('click', openAdd);
    $('entry-form').addEventListener('submit', submitEntry);
    $('f-cancel').addEventListener('click', () => closeDialog($('entry-dialog')));
    $('entry-dialog').addEventListener('close', () => {
      editing = null;
      $('f-pass').value = '';
      restoreFocus();
    });
    $('confirm-delete').addEventListener('click', confirmDelete);
    $('confirm-cancel').addEventListener('click', () => closeDialog($('confirm-dialog')));
    $('confirm-dialog').addEventListener('close', () => {
      deleting = null;
      restoreFocus();
    });
    $('settings-form').addEventListener('submit', saveSettings);
    $('try-form').addEventListener('submit', tryImage);
    $('form-error').tabIndex = -1;
    load();
    loadSettings();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
