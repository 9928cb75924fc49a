// Small DOM helpers: elements are built with text nodes only (never innerHTML), so a message's
// text or a user's note cannot inject markup into the console.

/**
 * h('button', { type: 'button', onclick: fn }, 'Log in') → <button type="button">Log in</button>.
 * Attributes starting with "on" are listeners; `false`/`undefined` attributes are left out.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElementNS(
    tag === 'svg' || SVG_TAGS.has(tag) ? 'http://www.w3.org/2000/svg' : 'http://www.w3.org/1999/xhtml',
    tag,
  );
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false || value === null) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'text') el.textContent = String(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

const SVG_TAGS = new Set(['g', 'line', 'text', 'rect', 'title', 'polygon', 'path', 'defs', 'marker']);

function append(el, children) {
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** fetch + JSON; a problem body (RFC 9457) becomes an Error with its title and detail. */
export async function api(method, path, body) {
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = { detail: text };
  }
  if (!res.ok) {
    const err = new Error(`${json.title ?? res.status}${json.detail ? `: ${json.detail}` : ''}`);
    err.problem = json;
    throw err;
  }
  return json;
}

/** `sip:jane@domain2.lab` → `Jane`. */
export function displayName(node) {
  if (/^(ps\d*|iwf)$/i.test(node)) return node.toUpperCase();
  return node.charAt(0).toUpperCase() + node.slice(1);
}
