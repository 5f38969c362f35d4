// The service worker's pure parts (static/js/service-worker.js): which requests it
// answers and how, what a request sent changes in the person's cache, and which caches
// an update deletes. The file is a classic script; it is run here in a bare context,
// where it only defines its functions (no `self`, so no worker is wired).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import vm from "node:vm";

const source = readFileSync(new URL("../../static/js/service-worker.js", import.meta.url), "utf8");
const worker = { URL };
vm.runInNewContext(source, worker);
const { route, afterSending, oneByOne, staleCaches } = worker;

const site = { origin: "https://backtp.example", staticUrl: "/static/", personal: ["/session/", "/session/plan/"] };
const at = (path, method = "GET", mode = "cors") => ({ url: site.origin + path, method, mode });

describe("route", () => {
  test("hashed static files come from the cache", () => {
    assert.equal(route(at("/static/css/backtp.0123456789ab.css", "GET", "no-cors"), site), "static");
    assert.equal(route(at("/static/js/timer/clock.0123456789ab.js"), site), "static");
  });

  test("opening a page is network first, the person's own pages apart", () => {
    assert.equal(route(at("/muscles/quadratus-lumborum/", "GET", "navigate"), site), "page");
    assert.equal(route(at("/accounts/login/", "GET", "navigate"), site), "page");
    assert.equal(route(at("/session/", "GET", "navigate"), site), "personal");
    assert.equal(route(at("/session/plan/", "GET", "navigate"), site), "personal");
    assert.equal(route(at("/session/?from=app", "GET", "navigate"), site), "personal");
  });

  test("a form sent by the page goes through us, for the offline page", () => {
    assert.equal(route(at("/where-does-it-hurt/body-map/", "POST", "navigate"), site), "send");
    assert.equal(route(at("/accounts/login/", "POST", "navigate"), site), "send");
  });

  test("a script's change to the plan or the account goes through us, the timer's log does not", () => {
    assert.equal(route(at("/session/plan/0/remove/", "POST"), site), "send");
    assert.equal(route(at("/accounts/logout/", "POST"), site), "send");
    // The timer keeps what it cannot send in its outbox: nothing of ours in between.
    assert.equal(route(at("/session/log/", "POST"), site), "network");
  });

  test("htmx's requests, other sites and the rest are left alone", () => {
    assert.equal(route(at("/muscles/?tool=ball"), site), "network");
    assert.equal(route(at("/manifest.webmanifest"), site), "network");
    assert.equal(route({ url: "https://elsewhere.example/static/x.js", method: "GET", mode: "cors" }, site), "network");
    assert.equal(route({ url: "https://elsewhere.example/", method: "GET", mode: "navigate" }, site), "network");
  });
});

describe("afterSending", () => {
  test("a change to the plan or the safety check refreshes the person's pages", () => {
    assert.equal(afterSending("POST", "/session/plan/add/ql-ball-wall/"), "refresh");
    assert.equal(afterSending("POST", "/session/plan/from-routine/tennis-ball-trio/"), "refresh");
    assert.equal(afterSending("POST", "/where-does-it-hurt/safety/"), "refresh");
  });

  test("logging in or out, or any account change, forgets them", () => {
    for (const path of ["/accounts/login/", "/accounts/logout/", "/accounts/delete/"]) {
      assert.equal(afterSending("POST", path), "forget", path);
    }
  });

  test("reading changes nothing, nor do the questionnaire's other steps", () => {
    assert.equal(afterSending("GET", "/accounts/logout/"), "");
    assert.equal(afterSending("POST", "/where-does-it-hurt/body-map/"), "");
    assert.equal(afterSending("POST", "/session/log/"), "");
  });
});

describe("staleCaches", () => {
  test("an update deletes the shared caches of other versions, never the person's or other sites'", () => {
    const names = ["backtp-shell-aaa-111", "backtp-shell-bbb-222", "backtp-personal", "someone-else"];
    assert.deepEqual(staleCaches(names, "backtp-shell-bbb-222"), ["backtp-shell-aaa-111"]);
    assert.deepEqual(staleCaches(["backtp-shell-bbb-222"], "backtp-shell-bbb-222"), []);
  });
});

describe("oneByOne", () => {
  test("starts each step only after the one before has finished, in order", async () => {
    const log = [];
    let running = 0;
    await oneByOne([1, 2, 3], async (n) => {
      running += 1;
      assert.equal(running, 1);
      log.push("start " + n);
      await new Promise((resolve) => setTimeout(resolve, 3 - n));
      log.push("end " + n);
      running -= 1;
    });
    assert.deepEqual(log, ["start 1", "end 1", "start 2", "end 2", "start 3", "end 3"]);
  });

  test("stops at the first failure, as an install must", async () => {
    const done = [];
    await assert.rejects(oneByOne([1, 2, 3], async (n) => {
      if (n === 2) throw new Error("404");
      done.push(n);
    }), /404/);
    assert.deepEqual(done, [1]);
  });
});

describe("reminderNotification", () => {
  const { reminderNotification } = worker;

  test("shows the reminder's words and opens its page on this site", () => {
    const shown = reminderNotification(
      { title: "backtp", body: "Time for a two-minute release?", url: "/session/plan/", tag: "backtp-reminder" },
      "/static/icons/icon-192.png",
    );
    assert.equal(shown.title, "backtp");
    assert.equal(shown.options.body, "Time for a two-minute release?");
    assert.equal(shown.options.data.url, "/session/plan/");
    assert.equal(shown.options.tag, "backtp-reminder");
    assert.equal(shown.options.icon, "/static/icons/icon-192.png");
  });

  test("never opens another site, whatever the message says", () => {
    for (const url of ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", 42]) {
      assert.equal(reminderNotification({ url }, "").options.data.url, "/", String(url));
    }
  });

  test("an empty or broken message still shows a kind reminder", () => {
    for (const payload of [null, undefined, "text", {}]) {
      const shown = reminderNotification(payload, "");
      assert.equal(shown.title, "backtp");
      assert.equal(shown.options.body, "Time for a short release?");
    }
  });
});
