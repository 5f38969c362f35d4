/* Installs the service worker (/sw.js: static/js/service-worker.js), which keeps the
   catalogue, the session plan and the timer working offline. Without one, or if it
   fails, the site works as before. It registers once the page has loaded, so its
   downloads of the catalogue never compete with the page a person opened. */

function register() {
  navigator.serviceWorker.register("/sw.js").catch(() => { /* online only, as before */ });
}

if ("serviceWorker" in navigator) {
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
}
