// Wallboard's own browser code. Blazor renders the markup; this file only does what must not
// cost a server round trip: live timers that tick every second on the client.
import { startTimers } from './timers.js';

window.wallboard = window.wallboard || {};
window.wallboard.startTimers = startTimers;

startTimers(document);
