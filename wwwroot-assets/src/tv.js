// The showroom TV's start-up (§5: an unattended TV heals itself). Blazor starts here, with
// reconnection that never gives up and backs off to one try every ten seconds. When the server
// answers but no longer knows this page's circuit (it restarted, or a deploy replaced it), the
// page waits for /health and reloads itself. While the board is not live the banner says so,
// with the time of the last update this screen received, instead of showing stale numbers as
// if current.
import { now, setClockOffset, startTimers, tick } from './timers.js';

const banner = document.getElementById('components-reconnect-modal');
const lastUpdateText = document.getElementById('tv-last-update');
const root = document.documentElement;

let lastUpdate = Date.now();
let lastVersion = null;
let reloading = false;

// 0 s, then about 0.5, 1, 2, 4, 8 s, then every 10 s; ±20 % so a fleet of TVs spreads out
// after a deploy.
export function retryDelay(attempt) {
  const base = attempt === 0 ? 0 : Math.min(10000, 500 * 2 ** (attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function zone() {
  return document.querySelector('[data-store-zone]')?.dataset.storeZone;
}

function clockText(instant, options) {
  try {
    return new Intl.DateTimeFormat('en-US', { ...options, timeZone: zone() }).format(instant);
  } catch {
    return new Intl.DateTimeFormat('en-US', options).format(instant);
  }
}

function setState(state) {
  root.dataset.tvState = state;
}

function showReconnecting() {
  if (lastUpdateText) {
    lastUpdateText.textContent = clockText(lastUpdate, { hour: 'numeric', minute: '2-digit', second: '2-digit' });
  }
  if (root.dataset.tvState !== 'reloading') setState('reconnecting');
}

// The server is back but this page's circuit is gone: reload once the app says it is ready, so
// the reload does not land on an error page while the server is still starting.
async function reloadWhenHealthy() {
  if (reloading) return;
  reloading = true;
  showReconnecting();
  setState('reloading');
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch('health', { cache: 'no-store' });
      if (response.ok) {
        location.reload();
        return;
      }
    } catch {
      // Not reachable yet.
    }
    await sleep(retryDelay(attempt));
  }
}

// Blazor reports its reconnection through the banner element (found by its id).
banner?.addEventListener('components-reconnect-state-changed', (event) => {
  switch (event.detail.state) {
    case 'show':
    case 'retrying':
      showReconnecting();
      break;
    case 'hide':
      setState('live');
      break;
    case 'paused':
      Blazor.resumeCircuit().then((resumed) => resumed || reloadWhenHealthy(), reloadWhenHealthy);
      break;
    default: // 'failed', 'rejected', 'resume-failed'
      reloadWhenHealthy();
      break;
  }
});

// Each board update re-renders the board with a new version: remember when it came, take the
// server's clock from it, and correct the timers Blazor has just rendered at once.
function onBoardRendered() {
  const board = document.querySelector('[data-board-version]');
  if (!board) return;
  if (board.dataset.boardVersion !== lastVersion) {
    lastVersion = board.dataset.boardVersion;
    lastUpdate = Date.now();
    const renderedAt = Date.parse(board.dataset.renderedAt);
    if (!Number.isNaN(renderedAt)) setClockOffset(renderedAt - Date.now());
  }
  tick(document);
}

let pending = false;
new MutationObserver(() => {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    onBoardRendered();
  });
}).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-board-version'] });

// An unhandled error ends the circuit and shows the error element: nobody will click "reload".
const errorUi = document.getElementById('blazor-error-ui');
function watchErrorUi(el) {
  new MutationObserver(() => {
    if (el.style.display && el.style.display !== 'none') reloadWhenHealthy();
  }).observe(el, { attributes: true, attributeFilter: ['style'] });
}
if (errorUi) watchErrorUi(errorUi);

function tickClock() {
  const text = clockText(now(), { hour: 'numeric', minute: '2-digit' });
  for (const el of document.querySelectorAll('[data-clock]')) {
    if (el.textContent !== text) el.textContent = text;
  }
}

onBoardRendered();
startTimers(document);
tickClock();
setInterval(tickClock, 1000);
setState('connecting');

Blazor.start({
  circuit: {
    reconnectionOptions: {
      maxRetries: Infinity,
      retryIntervalMilliseconds: (previousAttempts) => retryDelay(previousAttempts),
    },
  },
}).then(() => setState('live'), reloadWhenHealthy);

window.wallboard = window.wallboard || {};
window.wallboard.tv = { reloadWhenHealthy, retryDelay };
