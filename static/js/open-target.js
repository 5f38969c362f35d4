/* A link to a folded part of a page (a trigger point on its muscle's page, e.g. from a
   suggestion) opens it: the <details> the target is, or is inside, or contains. */

function openTarget() {
  const id = decodeURIComponent(window.location.hash.slice(1));
  const target = id && document.getElementById(id);
  if (!target) return;
  const folded = target.closest("details") || target.querySelector("details");
  if (folded && !folded.open) {
    folded.open = true;
    target.scrollIntoView();
  }
}

openTarget();
window.addEventListener("hashchange", openTarget);
