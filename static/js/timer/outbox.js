/* backtp session timer: what it keeps on the device and how it sends a finished session.
   The storage (anything with getItem, setItem and removeItem, like localStorage) and the
   fetch function are passed in. */

export const OUTBOX = "backtp:outbox"; // finished sessions not yet sent
export const MUTE = "backtp:timer:muted";

export function stateKey(planId) {
  return "backtp:timer:" + planId;
}

/* Storage ------------------------------------------------------------------------------ */

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
// answers). flush() sends each kept log in turn: a saved or finally refused one leaves the
// outbox, a queued one stays. It resolves the number saved, or null when there was nothing
// to send or a flush is already under way.
export function createOutbox(storage, sendLog) {
  let flushing = false;
  function flush() {
    const box = read(storage, OUTBOX, []);
    if (flushing || !Array.isArray(box) || !box.length) return Promise.resolve(null);
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

export function loadState(storage, planId) {
  return read(storage, stateKey(planId), null);
}

export function saveState(storage, planId, state) {
  write(storage, stateKey(planId), state);
}

export function clearState(storage, planId) {
  write(storage, stateKey(planId), null);
}
