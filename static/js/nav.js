/* The phone menu (base.html). It opens without this script — the label toggles a checkbox —
 * so this only keeps aria-expanded in step, lets Enter/Space on the label toggle it, and
 * closes the menu on Escape. */
(() => {
  "use strict";
  const toggle = document.getElementById("nav-toggle");
  const button = document.querySelector(".nav-button");
  if (!toggle || !button) return;
  const sync = () => button.setAttribute("aria-expanded", String(toggle.checked));
  toggle.addEventListener("change", sync);
  button.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    toggle.checked = !toggle.checked;
    sync();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggle.checked) {
      toggle.checked = false;
      sync();
      button.focus();
    }
  });
  sync();
})();
