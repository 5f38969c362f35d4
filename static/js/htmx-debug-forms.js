/* Development only (DEBUG=1). django-htmx's debug script shows the body of any 400, 403,
   404 or 500 that htmx receives as a whole page, for Django's technical error pages. A
   form with errors is a 400 too, and htmx swaps it in like any other answer (the
   responseHandling in base.html's htmx-config): here it stops such a 400 on its way up,
   before it reaches the debug script's listener on the document, so the person sees
   the form with its errors as in production. A whole page (Django's technical page, or
   templates/400.html) still goes to the debug script. */

const debugging = document.querySelector("script[data-debug='True']");

function isWholePage(html) {
  return /^\s*<!doctype|<html[\s>]/i.test(html);
}

if (debugging) {
  // On <html>, the last element the event passes on its way up to the document.
  document.documentElement.addEventListener("htmx:beforeOnLoad", (event) => {
    const xhr = event.detail.xhr;
    if (xhr.status === 400 && !isWholePage(xhr.responseText)) event.stopPropagation();
  });
}
