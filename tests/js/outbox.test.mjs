// The session timer's storage and outbox (static/js/timer/outbox.js), with a fake
// localStorage and a fake fetch: run with `node --test tests/js/`.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import * as clock from "../../static/js/timer/clock.js";
import * as outbox from "../../static/js/timer/outbox.js";

// localStorage's interface over a Map: strings in, strings (or null) out.
class FakeStorage {
  constructor(items = {}) { this.items = new Map(Object.entries(items)); }
  getItem(key) { return this.items.has(key) ? this.items.get(key) : null; }
  setItem(key, value) { this.items.set(key, String(value)); }
  removeItem(key) { this.items.delete(key); }
  keys() { return [...this.items.keys()]; }
}

// Storage that refuses everything, as a browser with storage disabled (or full) does.
const brokenStorage = {
  getItem() { throw new Error("SecurityError"); },
  setItem() { throw new Error("QuotaExceededError"); },
  removeItem() { throw new Error("SecurityError"); },
  keys() { throw new Error("SecurityError"); },
};

// Who the sessions belong to: Ana logged in (who recorded one before logging in, in this
// browser session), and Bob, who used the same phone before her.
const ANA = "u:1";
const ANA_BEFORE_LOGIN = "a:ana-token";
const BOB = "u:2";
const OWNERS = [ANA, ANA_BEFORE_LOGIN];

const response = (status, body) => ({
  status,
  json: () => (body === undefined ? Promise.reject(new SyntaxError("not JSON")) : Promise.resolve(body)),
});

// A fetch that answers each call from `answers` in turn (a status, an [status, body], or
// "offline" for a network error) and records the requests.
function fakeFetch(...answers) {
  const calls = [];
  const fetch = (url, init) => {
    calls.push({ url, init, log: JSON.parse(init.body) });
    const answer = answers.length > 1 ? answers.shift() : answers[0];
    if (answer === "offline") return Promise.reject(new TypeError("Failed to fetch"));
    const [status, body] = Array.isArray(answer) ? answer : [answer];
    return Promise.resolve(response(status, body));
  };
  return { fetch, calls };
}

const log = (id, extra = {}) => ({ id, owner: ANA, pain_before: 6, pain_after: 2, steps: [], ...extra });
const kept = (storage) => JSON.parse(storage.getItem(outbox.OUTBOX));

describe("storage", () => {
  test("the keys a session in progress is stored under are unchanged", () => {
    assert.equal(outbox.stateKey(ANA, "abc123"), "backtp:timer:u:1:abc123");
    assert.equal(outbox.OUTBOX, "backtp:outbox");
    assert.equal(outbox.MUTE, "backtp:timer:muted");
  });

  test("values are stored as JSON, and null removes them", () => {
    const storage = new FakeStorage();
    outbox.write(storage, "k", { a: [1, 2] });
    assert.equal(storage.getItem("k"), '{"a":[1,2]}');
    assert.deepEqual(outbox.read(storage, "k", null), { a: [1, 2] });
    outbox.write(storage, "k", null);
    assert.equal(storage.getItem("k"), null);
    assert.equal(outbox.read(storage, "k", "fallback"), "fallback");
  });

  test("unreadable or refused storage falls back quietly", () => {
    assert.equal(outbox.read(new FakeStorage({ k: "{not json" }), "k", 7), 7);
    assert.equal(outbox.read(brokenStorage, "k", 7), 7);
    assert.doesNotThrow(() => outbox.write(brokenStorage, "k", 1));
    assert.doesNotThrow(() => outbox.write(brokenStorage, "k", null));
  });

  test("the timer state survives a reload through storage", () => {
    const plan = { id: "abc123", steps: [{ passes: ["right"], duration_seconds: 60, rest_seconds: 0 }] };
    const tl = clock.timeline(plan);
    const state = clock.freshState(plan, "id-1");
    clock.start(state, 5, 1_000_000);
    const storage = new FakeStorage();
    outbox.saveState(storage, ANA, plan.id, clock.summarize(tl, state, 1_010_000));
    assert.ok(storage.getItem("backtp:timer:u:1:abc123"));
    const back = outbox.loadState(storage, OWNERS, plan.id);
    assert.equal(clock.isUsable(back, plan), true);
    // 15 s after the start: 10 s to get ready (the plan gives no time to move), 5 s held.
    clock.catchUp(tl, back, 1_015_000);
    assert.equal(clock.position(tl, back, 1_015_000).left, 55_000);
    assert.equal(outbox.loadState(storage, [BOB], plan.id), null, "never another person's");
    outbox.clearState(storage, OWNERS, plan.id);
    assert.equal(outbox.loadState(storage, OWNERS, plan.id), null);
  });
});

describe("send", () => {
  test("posts the log as JSON with the CSRF token, and 200 or 201 is saved", async () => {
    for (const status of [200, 201]) {
      const { fetch, calls } = fakeFetch(status);
      assert.equal(await outbox.send(fetch, "/session/log/", "tok", log("a")), "saved");
      assert.equal(calls.length, 1);
      assert.equal(calls[0].url, "/session/log/");
      assert.deepEqual({ ...calls[0].init, body: undefined }, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": "tok" },
        body: undefined,
      });
      assert.equal(calls[0].init.body, JSON.stringify(log("a")));
    }
  });

  test("no network, server trouble, a refused token or throttling: keep it for later", async () => {
    for (const answer of ["offline", 500, 502, 503, 504, 403, 429]) {
      const { fetch } = fakeFetch(answer);
      assert.equal(await outbox.send(fetch, "/session/log/", "tok", log("a")), "queued", String(answer));
    }
    const throwing = () => { throw new TypeError("fetch is not a function"); };
    assert.equal(await outbox.send(throwing, "/session/log/", "tok", log("a")), "queued");
  });

  test("a refusal of the log itself is final and says why", async () => {
    const invalid = fakeFetch([400, { error: "Pain after must be 0 to 10." }]);
    assert.equal(await outbox.send(invalid.fetch, "/session/log/", "", log("a")), "Pain after must be 0 to 10.");
    const taken = fakeFetch([409, {}]);
    assert.equal(await outbox.send(taken.fetch, "/session/log/", "", log("a")), "The session could not be saved (409).");
    const html = fakeFetch(404);
    assert.equal(await outbox.send(html.fetch, "/session/log/", "", log("a")), "The session could not be saved (404).");
  });
});

describe("the outbox", () => {
  test("queueing keeps one copy of each session", () => {
    const storage = new FakeStorage();
    outbox.queue(storage, log("a", { note: "first" }));
    outbox.queue(storage, log("b"));
    outbox.queue(storage, log("a", { note: "again" }));
    assert.deepEqual(kept(storage).map((item) => [item.id, item.note]), [["b", undefined], ["a", "again"]]);
  });

  test("a session stays in the outbox while the network or the server fails", async () => {
    for (const answer of ["offline", 500, 503]) {
      const storage = new FakeStorage();
      const { fetch, calls } = fakeFetch(answer);
      const box = outbox.createOutbox(storage, (item) => outbox.send(fetch, "/session/log/", "tok", item), OWNERS);
      box.queue(log("a"));
      assert.equal(await box.flush(), 0);
      assert.equal(calls.length, 1);
      assert.deepEqual(kept(storage).map((item) => item.id), ["a"]);
    }
  });

  test("sent sessions leave the outbox, and so do those refused for good; the others stay", async () => {
    const storage = new FakeStorage();
    const { fetch, calls } = fakeFetch(201, [400, { error: "bad" }], "offline", 200, 503);
    const box = outbox.createOutbox(storage, (item) => outbox.send(fetch, "/session/log/", "tok", item), OWNERS);
    for (const id of ["a", "b", "c", "d", "e"]) box.queue(log(id));
    assert.equal(await box.flush(), 2);
    assert.deepEqual(calls.map((call) => call.log.id), ["a", "b", "c", "d", "e"]);
    assert.deepEqual(kept(storage).map((item) => item.id), ["c", "e"]);
  });

  test("an outbox emptied is removed from storage", async () => {
    const storage = new FakeStorage();
    const { fetch } = fakeFetch(200);
    const box = outbox.createOutbox(storage, (item) => outbox.send(fetch, "/session/log/", "tok", item), OWNERS);
    box.queue(log("a"));
    assert.equal(await box.flush(), 1);
    assert.equal(storage.getItem("backtp:outbox"), null);
  });

  test("nothing to send: no request", async () => {
    const { fetch, calls } = fakeFetch(200);
    for (const storage of [new FakeStorage(), new FakeStorage({ "backtp:outbox": "[]" }),
      new FakeStorage({ "backtp:outbox": '{"id": "a"}' }), brokenStorage]) {
      const box = outbox.createOutbox(storage, (item) => outbox.send(fetch, "/session/log/", "", item), OWNERS);
      assert.equal(await box.flush(), null);
    }
    assert.equal(calls.length, 0);
  });

  test("a flush under way is not started twice, so nothing is sent twice", async () => {
    const storage = new FakeStorage();
    let answer;
    const sendLog = () => new Promise((resolve) => { answer = resolve; });
    const box = outbox.createOutbox(storage, sendLog, OWNERS);
    box.queue(log("a"));
    const first = box.flush();
    await new Promise((resolve) => setImmediate(resolve)); // the request is out
    assert.equal(await box.flush(), null);
    answer("saved");
    assert.equal(await first, 1);
    assert.equal(storage.getItem("backtp:outbox"), null);
  });

  test("a session queued during a flush is kept", async () => {
    const storage = new FakeStorage();
    let answer;
    const box = outbox.createOutbox(storage, () => new Promise((resolve) => { answer = resolve; }), OWNERS);
    box.queue(log("a"));
    const flushing = box.flush();
    await new Promise((resolve) => setImmediate(resolve)); // the request is out
    box.queue(log("b"));
    answer("saved");
    assert.equal(await flushing, 1);
    assert.deepEqual(kept(storage).map((item) => item.id), ["b"]);
  });
});

describe("a shared device", () => {
  test("a person sends their own sessions, and those they saved before logging in; never another's", async () => {
    const storage = new FakeStorage();
    for (const [id, owner] of [["mine", ANA], ["before-login", ANA_BEFORE_LOGIN], ["bobs", BOB],
      ["strangers", "a:other-token"]]) outbox.queue(storage, log(id, { owner }));
    const { fetch, calls } = fakeFetch(201);
    const box = outbox.createOutbox(storage, (item) => outbox.send(fetch, "/session/log/", "tok", item), OWNERS);
    assert.equal(await box.flush(), 2);
    assert.deepEqual(calls.map((call) => call.log.id), ["mine", "before-login"]);
    assert.deepEqual(kept(storage).map((item) => item.id), ["bobs", "strangers"]);
  });

  test("sessions kept before they were tagged are sent only by someone not logged in", () => {
    const untagged = log("old", { owner: undefined });
    assert.equal(outbox.belongsTo(untagged, OWNERS), false);
    assert.equal(outbox.belongsTo(untagged, ["u:1"]), false);
    assert.equal(outbox.belongsTo(untagged, ["a:token"]), true);
    assert.equal(outbox.belongsTo(null, ["a:token"]), false);
  });

  test("a 403 (recorded by someone else, as the server sees it) keeps the session", async () => {
    const storage = new FakeStorage();
    const { fetch } = fakeFetch([403, { error: "This session was recorded by someone else on this device." }]);
    const box = outbox.createOutbox(storage, (item) => outbox.send(fetch, "/session/log/", "tok", item), OWNERS);
    box.queue(log("a"));
    assert.equal(await box.flush(), 0);
    assert.deepEqual(kept(storage).map((item) => item.id), ["a"]);
  });

  test("forgetting a person removes their unsent sessions and sessions in progress, and nobody else's", () => {
    const storage = new FakeStorage({
      [outbox.stateKey(ANA, "plan1")]: '{"note": "ana in progress"}',
      [outbox.stateKey(ANA_BEFORE_LOGIN, "plan2")]: '{"note": "ana before login"}',
      [outbox.stateKey(BOB, "plan1")]: '{"note": "bob"}',
      "backtp:timer:0123456789abcdef": '{"note": "untagged, from before"}',
      [outbox.MUTE]: "true",
    });
    for (const [id, owner] of [["mine", ANA], ["before-login", ANA_BEFORE_LOGIN], ["bobs", BOB]]) {
      outbox.queue(storage, log(id, { owner }));
    }
    outbox.forget(storage, OWNERS);
    assert.deepEqual(kept(storage).map((item) => item.id), ["bobs"]);
    assert.deepEqual(storage.keys().sort(), [outbox.OUTBOX, outbox.stateKey(BOB, "plan1"), outbox.MUTE].sort());
    outbox.forget(storage, [BOB]);
    assert.equal(storage.getItem(outbox.OUTBOX), null);
    assert.doesNotThrow(() => outbox.forget(brokenStorage, OWNERS));
  });

  test("pendingFor lists only the sessions these owners may send", () => {
    const storage = new FakeStorage();
    outbox.queue(storage, log("mine"));
    outbox.queue(storage, log("bobs", { owner: BOB }));
    assert.deepEqual(outbox.pendingFor(storage, OWNERS).map((item) => item.id), ["mine"]);
    assert.deepEqual(outbox.pendingFor(storage, [BOB]).map((item) => item.id), ["bobs"]);
  });
});
