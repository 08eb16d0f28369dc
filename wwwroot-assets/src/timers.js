// Elements with data-since="<ISO-8601 instant>" show the time elapsed since then as m:ss (or
// h:mm:ss), updated once a second. Optional data-warn-seconds and data-alert-seconds add the
// classes "is-warn" and "is-alert" when crossed. data-format="ago" prints "2 min ago" instead;
// data-format="none" leaves the text alone and only sets the classes (a whole tile can turn amber).
// The server only sends the start instant, so a ticking timer never needs a round trip.

let offsetMs = 0;

// The server's clock minus this browser's: a TV with a wrong clock still counts right.
export function setClockOffset(ms) {
  offsetMs = Number.isFinite(ms) ? ms : 0;
}

export function now() {
  return Date.now() + offsetMs;
}

export function formatElapsed(totalSeconds) {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function formatAgo(totalSeconds) {
  const s = Math.max(0, totalSeconds);
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.max(1, Math.round(s / 60))} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

// Change the text node Blazor rendered rather than replacing it, so Blazor's own updates of the
// same element still land on the node that is on screen.
function setText(el, text) {
  const node = el.firstChild;
  if (node && node.nodeType === Node.TEXT_NODE && node.nextSibling === null) {
    if (node.nodeValue !== text) node.nodeValue = text;
  } else if (el.textContent !== text) {
    el.textContent = text;
  }
}

export function tick(root) {
  const current = now();
  for (const el of root.querySelectorAll('[data-since]')) {
    const since = Date.parse(el.dataset.since);
    if (Number.isNaN(since)) continue;
    const seconds = (current - since) / 1000;
    const format = el.dataset.format;
    if (format === 'ago') setText(el, formatAgo(seconds));
    else if (format !== 'none') setText(el, formatElapsed(seconds));
    const warn = Number(el.dataset.warnSeconds);
    const alert = Number(el.dataset.alertSeconds);
    el.classList.toggle('is-warn', warn > 0 && seconds >= warn && !(alert > 0 && seconds >= alert));
    el.classList.toggle('is-alert', alert > 0 && seconds >= alert);
  }
}

let handle = null;

export function startTimers(root) {
  if (handle !== null) return;
  tick(root);
  handle = setInterval(() => tick(root), 1000);
}
