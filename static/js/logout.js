/* Logging out on a shared phone or computer: first send this person's sessions that are
   still waiting on the device, then log out, then remove everything of theirs the timer
   kept (unsent sessions, a session in progress with its pain scores and note), so the
   next person finds nothing of it. Sessions that cannot be sent are deleted only if the
   person says so; while offline, nothing happens (the log-out could not reach us). */

import { browserStorage, createOutbox, forget, pendingFor, send } from "./timer/outbox.js";

const form = document.getElementById("logout-form");
if (form) form.addEventListener("submit", leave);

const PERSONAL_CACHE = "backtp-personal"; // the service worker's cache of their pages
const TIMEOUT = 8000; // ms: a hanging network must not hold the button for long
const OFFLINE = "You seem to be offline. Log out when you are back online: your sessions " +
  "saved on this device will be sent to your journal first.";
const FAILED = "Logging out did not work this time. Please try again.";

function within(url, init) {
  const signal = typeof AbortSignal.timeout === "function" ? AbortSignal.timeout(TIMEOUT) : undefined;
  return window.fetch(url, { ...init, signal });
}

function unsentQuestion(count) {
  const sessions = count === 1 ? "1 session" : count + " sessions";
  return sessions + " you saved on this device could not be sent to your journal. " +
    "Log out anyway and delete " + (count === 1 ? "it" : "them") + " from this device? " +
    "Choose Cancel to stay logged in and try again later.";
}

function leave(event) {
  event.preventDefault();
  if (!navigator.onLine) {
    window.alert(OFFLINE);
    return;
  }
  const button = form.querySelector("button[type=submit]");
  const storage = browserStorage();
  let owners = [];
  try { owners = JSON.parse(form.dataset.owners || "[]"); } catch { owners = []; }
  const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const outbox = createOutbox(storage, (log) => send(within, form.dataset.logUrl, token, log), owners);
  button.disabled = true;
  outbox.flush()
    .then(() => {
      const left = pendingFor(storage, owners).length;
      if (left && !window.confirm(unsentQuestion(left))) return null;
      return within(form.action, { method: "POST", credentials: "same-origin", body: new FormData(form) });
    })
    .then((response) => {
      if (response === null) return;
      if (!response.ok) throw new Error(FAILED);
      // Logged out: now nothing of this person's stays on the device, nor the copies of
      // their session plan and timer kept for offline use (static/js/service-worker.js).
      forget(storage, owners);
      const kept = window.caches ? window.caches.delete(PERSONAL_CACHE).catch(() => false) : null;
      // The server has removed this device's reminders; end the browser's subscription too.
      const push = "serviceWorker" in navigator
        ? navigator.serviceWorker.getRegistration()
          .then((found) => (found ? found.pushManager.getSubscription() : null))
          .then((subscription) => (subscription ? subscription.unsubscribe() : false))
          .catch(() => false)
        : null;
      return Promise.all([kept, push]).then(() => window.location.assign(response.url || "/"));
    })
    .catch((error) => window.alert(error.message === FAILED ? FAILED : OFFLINE))
    .finally(() => { button.disabled = false; });
}
