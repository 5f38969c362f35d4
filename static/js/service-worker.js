/* backtp's service worker. A classic script: /sw.js (templates/pages/sw.js) sets
   self.BACKTP_SW (the cache's version, what to keep) and imports this file.

   - Static files (hashed names, never changed): from the cache first.
   - Pages: from the network; the kept copy when offline or when the network has not
     answered within NETWORK_TIMEOUT (an answer from the server, even its 503 page during a
     database outage, is shown as it is). The shared pages (catalogue, content,
     the offline page) are fetched at install WITHOUT cookies, so this cache holds only
     what any visitor sees; nothing fetched with someone's cookies is put there.
   - The session plan and the timer are personal: kept in their own cache on this device
     only, replaced at each visit online and after each change to the plan or the safety
     check, deleted when someone logs in or out (static/js/logout.js deletes it too).
   - A page that needs the server while offline (a form sent, an account page, the
     journal): the offline page, which says what works offline.
   Anything else (the timer's log, htmx's requests) goes to the network untouched: the
   timer keeps what it could not send in its outbox and sends it when back online.

   The pure parts (route, afterSending, oneByOne, staleCaches) are tested with node --test. */

"use strict";

var SHELL_PREFIX = "backtp-shell-";
var PERSONAL_CACHE = "backtp-personal";
var NETWORK_TIMEOUT = 4000; // ms: on a weak signal, the kept page rather than a blank wait

// How to answer a request ({method, mode, url}) on this site ({origin, staticUrl,
// personal}): "static", "page", "personal", "send" (a request that changes something,
// sent to the network with a fallback) or "network" (not ours to answer).
function route(request, site) {
  var url = new URL(request.url);
  if (url.origin !== site.origin) return "network";
  var path = url.pathname;
  if (request.method !== "GET") {
    if (request.mode === "navigate" || afterSending(request.method, path)) return "send";
    return "network";
  }
  if (request.mode === "navigate") {
    return site.personal.indexOf(path) >= 0 ? "personal" : "page";
  }
  return path.indexOf(site.staticUrl) === 0 ? "static" : "network";
}

// What a request that reached the server changes in the personal cache: "refresh" (the
// plan or the safety check, which the timer shows), "forget" (logging in or out, the
// account) or "".
function afterSending(method, path) {
  if (method === "GET" || method === "HEAD") return "";
  if (path.indexOf("/accounts/") === 0) return "forget";
  if (path.indexOf("/session/plan/") === 0 || path === "/where-does-it-hurt/safety/") return "refresh";
  return "";
}

// Runs `step(item)` for each item in turn, each after the one before has finished.
function oneByOne(items, step) {
  return items.reduce(function (chain, item) {
    return chain.then(function () { return step(item); });
  }, Promise.resolve());
}

// The shared caches of other versions, to delete once this version is active.
function staleCaches(names, current) {
  return names.filter(function (name) {
    return name.indexOf(SHELL_PREFIX) === 0 && name !== current;
  });
}

// A push reminder (backtp/reminders/services.py sends {title, body, url, tag}) as the
// title and options of the notification to show. Only a path on this site is opened
// when the notification is tapped; anything else opens the home page.
function reminderNotification(payload, icon) {
  var data = payload && typeof payload === "object" ? payload : {};
  var url = typeof data.url === "string" && /^\/(?![\/\\])/.test(data.url) ? data.url : "/";
  return {
    title: typeof data.title === "string" && data.title ? data.title : "backtp",
    options: {
      body: typeof data.body === "string" && data.body ? data.body : "Time for a short release?",
      tag: typeof data.tag === "string" && data.tag ? data.tag : "backtp-reminder",
      renotify: true,
      icon: icon,
      data: { url: url },
    },
  };
}

/* The worker ------------------------------------------------------------------------ */

if (typeof self !== "undefined" && self.BACKTP_SW) {
  (function (config) {
    var SHELL = SHELL_PREFIX + config.version;
    var site = { origin: self.location.origin, staticUrl: config.static_url, personal: config.personal };

    // A page kept for the person only if the server gave it as asked (no redirect to the
    // safety check or the log-in page, no error).
    function keepable(response) {
      return response.ok && !response.redirected && response.type === "basic";
    }

    function offlinePage() {
      return caches.open(SHELL)
        .then(function (cache) { return cache.match(config.offline); })
        .then(function (page) {
          return page || new Response("You are offline.", {
            status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" },
          });
        });
    }

    // The network's answer, or `kept()`'s when the network fails or is slow.
    function networkFirst(network, kept) {
      return new Promise(function (resolve) {
        var done = false;
        function answer(response) {
          if (!done) { done = true; resolve(response); }
        }
        var timer = setTimeout(function () {
          kept().then(function (hit) { if (hit) answer(hit); });
        }, NETWORK_TIMEOUT);
        network.then(function (response) {
          // Whatever the server says, its 503 page in an outage included, it says itself.
          clearTimeout(timer);
          answer(response);
        }, function () {
          clearTimeout(timer);
          return kept().then(function (hit) { return hit || offlinePage(); }).then(answer);
        });
      });
    }

    function fromShell(url) {
      return caches.open(SHELL).then(function (cache) {
        return cache.match(url, { ignoreVary: true }).then(function (hit) {
          // /muscles/?region=... offline: the whole list, which holds the filtered one.
          return hit || cache.match(url, { ignoreVary: true, ignoreSearch: true });
        });
      });
    }

    function fromPersonal(url) {
      return caches.match(url, { cacheName: PERSONAL_CACHE, ignoreVary: true });
    }

    // Keeps the server's answer for one of the person's pages, or drops the old copy
    // (without making their cache for nothing: a visitor who never opens the timer has none).
    function keepPersonal(url, response) {
      if (keepable(response)) {
        return caches.open(PERSONAL_CACHE).then(function (cache) { return cache.put(url, response); });
      }
      return caches.has(PERSONAL_CACHE).then(function (exists) {
        return exists && caches.open(PERSONAL_CACHE).then(function (cache) { return cache.delete(url); });
      });
    }

    // Fetches the person's pages again (with their cookies) and keeps what they get.
    function refreshPersonal(urls) {
      return oneByOne(urls, function (url) {
        return fetch(url, { credentials: "same-origin", cache: "no-store" })
          .then(function (response) { return keepPersonal(url, response); })
          .catch(function () { /* offline: keep what there is */ });
      });
    }

    function refreshKeptPersonal() {
      return caches.has(PERSONAL_CACHE).then(function (exists) {
        if (!exists) return null;
        return caches.open(PERSONAL_CACHE)
          .then(function (cache) { return cache.keys(); })
          .then(function (requests) {
            return refreshPersonal(requests.map(function (request) { return new URL(request.url).pathname; }));
          });
      });
    }

    // Static files all at once (files, no database behind them); pages one at a time, so
    // a visitor's install adds at most one page request at a time to the server's load.
    // Any failure fails the install, and the browser tries again at the next visit.
    self.addEventListener("install", function (event) {
      var statics = config.static.map(function (url) {
        return new Request(url, { credentials: "omit" });
      });
      var pages = config.pages.map(function (url) {
        return new Request(url, { credentials: "omit", cache: "reload" });
      });
      event.waitUntil(
        caches.open(SHELL)
          .then(function (cache) {
            return cache.addAll(statics).then(function () {
              return oneByOne(pages, function (request) { return cache.add(request); });
            });
          })
          .then(function () { return self.skipWaiting(); })
      );
    });

    self.addEventListener("activate", function (event) {
      event.waitUntil(
        caches.keys()
          .then(function (names) {
            return Promise.all(staleCaches(names, SHELL).map(function (name) { return caches.delete(name); }));
          })
          // The person's pages name the old static files: fetch them again for the new ones.
          .then(refreshKeptPersonal)
          .then(function () { return self.clients.claim(); })
      );
    });

    self.addEventListener("push", function (event) {
      var payload = {};
      try { payload = event.data ? event.data.json() : {}; } catch (error) { payload = {}; }
      var shown = reminderNotification(payload, config.icon);
      event.waitUntil(self.registration.showNotification(shown.title, shown.options));
    });

    // Tapping a reminder opens the person's plan: the window already showing it if there
    // is one, else a new one (the installed app's, when it is installed).
    self.addEventListener("notificationclick", function (event) {
      event.notification.close();
      var wanted = (event.notification.data && event.notification.data.url) || "/";
      var url = new URL(wanted, self.location.origin).href;
      event.waitUntil(
        self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
          for (var i = 0; i < windows.length; i++) {
            if (windows[i].url === url && "focus" in windows[i]) return windows[i].focus();
          }
          return self.clients.openWindow(url);
        })
      );
    });

    self.addEventListener("fetch", function (event) {
      var request = event.request;
      var kind = route(request, site);
      if (kind === "static") {
        event.respondWith(caches.open(SHELL)
          .then(function (cache) { return cache.match(request, { ignoreVary: true }); })
          .then(function (hit) { return hit || fetch(request); }));
      } else if (kind === "page") {
        event.respondWith(networkFirst(fetch(request), function () { return fromShell(request.url); }));
      } else if (kind === "personal") {
        var network = fetch(request).then(function (response) {
          event.waitUntil(keepPersonal(request.url, response.clone()));
          return response;
        });
        event.respondWith(networkFirst(network, function () { return fromPersonal(request.url); }));
      } else if (kind === "send") {
        var effect = afterSending(request.method, new URL(request.url).pathname);
        event.respondWith(fetch(request).then(function (response) {
          if (effect === "forget") event.waitUntil(caches.delete(PERSONAL_CACHE));
          if (effect === "refresh") event.waitUntil(refreshPersonal(config.personal));
          return response;
        }, function (error) {
          if (request.mode === "navigate") return offlinePage();
          throw error; // a script's request fails as it would without us
        }));
      }
    });
  })(self.BACKTP_SW);
}
