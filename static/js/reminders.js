/* The reminders page: the time zone filled in from the browser, the fields of the chosen
   way of setting times, and push notifications on this device (asked for only when the
   person taps "Remind me", never on page load). */

const zoneField = document.getElementById("id_time_zone");
if (zoneField && !zoneField.value) {
  try {
    zoneField.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch { /* the person types it */ }
}

// Only the fields of the chosen way show: first and last time, or a list of times.
const modes = document.querySelectorAll("input[name=mode]");
function showMode() {
  const chosen = document.querySelector("input[name=mode]:checked");
  for (const block of document.querySelectorAll("[data-mode]")) {
    block.hidden = Boolean(chosen) && block.dataset.mode !== chosen.value;
  }
}
for (const radio of modes) radio.addEventListener("change", showMode);
showMode();

const offer = document.querySelector("[data-push]");
const status = document.querySelector("[data-push-status]");
const supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
const READY_TIMEOUT = 10000; // ms for the service worker to be ready

function say(text) {
  if (status) status.textContent = text;
}

// The VAPID public key, base64url, as the bytes pushManager.subscribe wants.
function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

function registration() {
  return Promise.race([
    navigator.serviceWorker.ready,
    new Promise((_, reject) => setTimeout(() => reject(new Error("no worker")), READY_TIMEOUT)),
  ]);
}

function currentSubscription() {
  if (!supported) return Promise.resolve(null);
  return navigator.serviceWorker.getRegistration()
    .then((found) => (found ? found.pushManager.getSubscription() : null))
    .catch(() => null);
}

function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function sendSubscription(subscription) {
  const keys = subscription.toJSON().keys || {};
  const body = new URLSearchParams({
    endpoint: subscription.endpoint,
    p256dh: keys.p256dh || "",
    auth: keys.auth || "",
  });
  return fetch(offer.dataset.url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrfToken() },
    body,
  }).then((response) => response.json().catch(() => ({})).then((answer) => {
    if (!response.ok) throw new Error(answer.error || "The server did not take it. Please try again.");
    return answer;
  }));
}

function start(button) {
  button.disabled = true;
  say("Asking your browser…");
  Notification.requestPermission()
    .then((permission) => {
      if (permission !== "granted") {
        throw new Error("Notifications are blocked for this site. You can allow them in your " +
          "browser's site settings, or use the calendar below.");
      }
      return registration();
    })
    .then((found) => found.pushManager.getSubscription().then((existing) => existing ||
      found.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(offer.dataset.key) })))
    .then(sendSubscription)
    .then(() => {
      say("Done: this device will remind you at your times.");
      window.location.reload();
    })
    .catch((error) => {
      say(error && error.message && error.message !== "no worker" ? error.message :
        "This device could not be set up for notifications. Please try again, or use the calendar below.");
      button.disabled = false;
    });
}

if (offer) {
  const button = offer.querySelector("[data-push-start]");
  if (!supported) {
    button.disabled = true;
    say("This browser cannot show notifications from websites. On an iPhone, add backtp to " +
      "your home screen first; otherwise use the calendar below.");
  } else {
    button.addEventListener("click", () => start(button));
  }
}

// This device in the list: say so, and stopping it also ends the browser's subscription.
currentSubscription().then((subscription) => {
  if (!subscription) return;
  for (const row of document.querySelectorAll(".device-list li[data-endpoint]")) {
    if (row.dataset.endpoint !== subscription.endpoint) continue;
    row.querySelector(".this-device").hidden = false;
    row.classList.add("is-this-device");
    const stop = row.querySelector("form button");
    stop.textContent = "Stop on this device";
    stop.removeAttribute("aria-label");
    if (offer) {
      offer.querySelector("[data-push-start]").hidden = true;
      say("This device reminds you at your times.");
    }
    row.querySelector("form").addEventListener("submit", () => { subscription.unsubscribe(); });
  }
  const all = document.querySelector("[data-device-stop-all]");
  if (all) all.addEventListener("submit", () => { subscription.unsubscribe(); });
});
