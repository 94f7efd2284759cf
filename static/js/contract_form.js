// The offline-contract form: choosing an institution reloads the service list with that
// institution's services only, without leaving the page (so nothing typed is lost). The
// page works without this script: the picker is a GET form whose button re-renders the page.
(function () {
  "use strict";
  const pick = document.getElementById("pick-institution-select");
  const main = document.querySelector("form.contract-form");
  if (!pick || !main) return;
  const carried = main.querySelector('input[name="institution"]');
  pick.form.querySelectorAll("[data-no-script]").forEach((button) => { button.hidden = true; });

  pick.addEventListener("change", async () => {
    if (carried) carried.value = pick.value;
    const url = new URL(window.location.href);
    url.searchParams.set("institution", pick.value);
    window.history.replaceState(null, "", url);
    const select = document.getElementById("id_service");
    if (!select) return;
    select.disabled = true;
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.getElementById("id_service");
      if (fresh) select.replaceChildren(...Array.from(fresh.children));
    } catch (error) {
      pick.form.submit(); // fall back to the no-script way: the page re-rendered for the choice
    } finally {
      select.disabled = false;
    }
  });
})();
