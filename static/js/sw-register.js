/* Installs the service worker (/sw.js: static/js/service-worker.js), which keeps the
   catalogue, the session plan and the timer working offline. Without one, or if it
   fails, the site works as before. */

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js").catch(() => { /* online only, as before */ });
}
