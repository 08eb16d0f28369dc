// Elements with data-since="<ISO-8601 instant>" show the time elapsed since then as m:ss (or
// h:mm:ss), updated once a second. Optional data-warn-seconds and data-alert-seconds add the
// classes "is-warn" and "is-alert" when crossed. The server only sends the start instant, so a
// ticking timer never needs a round trip.

export function formatElapsed(totalSeconds) {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

function tick(root) {
  const now = Date.now();
  for (const el of root.querySelectorAll('[data-since]')) {
    const since = Date.parse(el.dataset.since);
    if (Number.isNaN(since)) continue;
    const seconds = (now - since) / 1000;
    el.textContent = formatElapsed(seconds);
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
