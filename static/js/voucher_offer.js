/* The order form's voucher figures (templates/catalog/book.html, #voucher-offer) follow the
 * quantity, or the slot's hours, as they are typed or picked on the grid: order amount =
 * units × listed price; proposed voucher = the scheme's share of it, capped by the
 * entitlement left; nothing when 不使用创新券 is chosen. The page is rendered with the figures
 * for what the form holds; the voucher itself is computed again by the server. */
(() => {
  "use strict";
  const box = document.getElementById("voucher-offer");
  const form = document.getElementById("book-form");
  if (!box || !form) return;
  const cents = (text) => Math.round(Number(text || "0") * 100);
  const rate = Number(box.dataset.rate || "0");
  const remaining = cents(box.dataset.remaining);
  const price = cents(box.dataset.price);
  const slot = box.dataset.slot === "1";
  const amountOut = box.querySelector(".offer-amount");
  const proposedOut = box.querySelector(".offer-proposed strong");
  const yuan = (c) =>
    `${(c / 100).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 元`;

  const units = () => {
    if (slot) {
      const start = Date.parse(form.querySelector("#id_starts_at")?.value || "");
      const end = Date.parse(form.querySelector("#id_ends_at")?.value || "");
      return Number.isFinite(start) && Number.isFinite(end) && end > start ? (end - start) / 3600000 : null;
    }
    const quantity = Number(form.querySelector("#id_quantity")?.value || "");
    return quantity > 0 ? quantity : null;
  };

  const update = () => {
    const n = units();
    if (n === null) return; // keep the last figures while the field is being edited
    const amount = Math.round(n * price);
    const declined = form.querySelector('input[name="use_voucher"][value="no"]')?.checked;
    const proposed = declined ? 0 : Math.min(Math.round(amount * rate), remaining);
    amountOut.textContent = yuan(amount);
    proposedOut.textContent = declined ? "不使用创新券" : yuan(proposed);
  };

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  // the slot grid fills the two fields without events: read them after its click
  document.addEventListener("click", () => window.setTimeout(update, 0));
  update();
})();
