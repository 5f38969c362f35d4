/* backtp session timer: what it keeps on the device and how it sends a finished session.
   The storage (anything with getItem, setItem and removeItem, like localStorage, and keys()
   to list what it holds) and the fetch function are passed in.

   Devices are shared, so everything kept is tagged with its owner ("u:<id>" for a
   logged-in person, "a:<token>" for one who is not; see backtp/journal/device.py). A page
   says which tags its visitor may send or resume (`owners`, the first for new sessions);
   nothing of anyone else's is ever sent, shown or resumed. */

export const OUTBOX = "backtp:outbox"; // finished sessions not yet sent
export const MUTE = "backtp:timer:muted";
export const VOICE = "backtp:timer:voice"; // { on, rate, volume } (speech.js settings())
const STATE_PREFIX = "backtp:timer:";

export function stateKey(owner, planId) {
  return STATE_PREFIX + owner + ":" + planId;
}

// Whether a kept session is one these owners may send. Sessions kept before they were
// tagged are sent only by someone not logged in, so never into somebody's account.
export function belongsTo(log, owners) {
  if (!log || typeof log !== "object") return false;
  if (log.owner) return owners.includes(log.owner);
  return owners.length === 1 && owners[0].startsWith("a:");
}

/* Storage ------------------------------------------------------------------------------ */

// The browser's localStorage in the shape these functions take. localStorage itself may
// throw (storage disabled): every use goes through read() and write(), which catch it.
export function browserStorage() {
  return {
    getItem: (key) => window.localStorage.getItem(key),
    setItem: (key, value) => window.localStorage.setItem(key, value),
    removeItem: (key) => window.localStorage.removeItem(key),
    keys: () => Object.keys(window.localStorage),
  };
}

export function read(storage, key, fallback) {
  try {
    const raw = storage.getItem(key);
    return raw ? JSON.parse(raw) : fallback;
  } catch {
    return fallback;
  }
}

// Stores a value as JSON; null removes it.
export function write(storage, key, value) {
  try {
    if (value === null) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(value));
  } catch { /* private mode or full: the timer still runs */ }
}

/* Sending ------------------------------------------------------------------------------ */

function refusal(status) {
  return "The session could not be saved (" + status + ").";
}

// Posts a log; resolves "saved", "queued" (network, server or token trouble: keep it and
// try again later) or the message of a refusal of the log itself (400 invalid, 409 id
// taken), which is final. Never rejects.
export function send(fetchFn, url, csrfToken, log) {
  let request;
  try {
    request = Promise.resolve(fetchFn(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify(log),
    }));
  } catch {
    request = Promise.reject(new Error("fetch failed"));
  }
  return request.then((response) => {
    if (response.status === 200 || response.status === 201) return "saved";
    // Server trouble, a missing CSRF cookie or throttling: keep it and try again later.
    if (response.status >= 500 || response.status === 403 || response.status === 429) return "queued";
    return response.json().then(
      (data) => (data && data.error) || refusal(response.status),
      () => refusal(response.status),
    );
  }, () => "queued");
}

/* The outbox --------------------------------------------------------------------------- */

export function pending(storage) {
  const box = read(storage, OUTBOX, []);
  return Array.isArray(box) ? box : [];
}

// The kept sessions these owners may send.
export function pendingFor(storage, owners) {
  return pending(storage).filter((log) => belongsTo(log, owners));
}

// Keeps a log to send later (replacing an older copy of the same session).
export function queue(storage, log) {
  const box = pending(storage).filter((item) => item && item.id !== log.id);
  box.push(log);
  write(storage, OUTBOX, box);
}

function drop(storage, id) {
  const rest = pending(storage).filter((item) => item && item.id !== id);
  write(storage, OUTBOX, rest.length ? rest : null);
}

// An outbox on this storage that sends through `sendLog(log)` (a promise of send()'s
// answers), for these owners. flush() sends each of their kept logs in turn: a saved or
// finally refused one leaves the outbox, a queued one stays, and other people's are left
// alone. It resolves the number saved, or null when there was nothing to send or a flush
// is already under way.
export function createOutbox(storage, sendLog, owners) {
  let flushing = false;
  function flush() {
    const box = pendingFor(storage, owners);
    if (flushing || !box.length) return Promise.resolve(null);
    flushing = true;
    let sent = 0;
    let chain = Promise.resolve();
    box.forEach((log) => {
      chain = chain.then(() => sendLog(log).then((result) => {
        if (result === "queued") return;
        // Saved, or refused for good: either way it leaves the outbox.
        drop(storage, log.id);
        if (result === "saved") sent += 1;
      }));
    });
    return chain.then(() => {
      flushing = false;
      return sent;
    });
  }
  return { queue: (log) => queue(storage, log), flush };
}

/* The timer's own state ---------------------------------------------------------------- */

// The state of this plan kept by the first of these owners that has one.
export function loadState(storage, owners, planId) {
  for (const owner of owners) {
    const state = read(storage, stateKey(owner, planId), null);
    if (state) return state;
  }
  return null;
}

export function saveState(storage, owner, planId, state) {
  write(storage, stateKey(owner, planId), state);
}

export function clearState(storage, owners, planId) {
  for (const owner of owners) write(storage, stateKey(owner, planId), null);
}

/* Leaving a shared device ----------------------------------------------------------------- */

// Removes everything these owners keep on the device: their unsent sessions (send them
// first) and their sessions in progress, with the pain scores and notes in them.
export function forget(storage, owners) {
  const others = pending(storage).filter((log) => !belongsTo(log, owners));
  write(storage, OUTBOX, others.length ? others : null);
  let keys = [];
  try { keys = storage.keys(); } catch { /* storage disabled: nothing was kept */ }
  for (const key of keys) {
    const mine = owners.some((owner) => key.startsWith(STATE_PREFIX + owner + ":"));
    if (mine || UNTAGGED_STATE.test(key)) write(storage, key, null);
  }
}

// A session in progress kept before states were tagged: nobody's to resume, so it goes.
const UNTAGGED_STATE = /^backtp:timer:[0-9a-f]{16}$/;
