/* "Show password" buttons (templates/accounts/_form.html): each shows its password field
   (aria-controls) as plain text and hides it again. Without this script the buttons stay
   hidden and the passwords masked. The field is masked again before the form is sent, so
   the browser never keeps the password as text it might offer back later. */

function setShown(button, input, shown) {
  input.type = shown ? "text" : "password";
  button.textContent = shown ? "Hide password" : "Show password";
}

for (const button of document.querySelectorAll("button.password-toggle[aria-controls]")) {
  const input = document.getElementById(button.getAttribute("aria-controls"));
  if (!input) continue;
  button.hidden = false;
  button.addEventListener("click", () => setShown(button, input, input.type === "password"));
  input.form?.addEventListener("submit", () => setShown(button, input, false));
  // A page restored from the back-forward cache starts masked too.
  window.addEventListener("pageshow", () => setShown(button, input, false));
}
