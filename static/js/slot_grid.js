/* The booking page's slot grid (templates/catalog/_slot_grid.html) as a range picker.
 *
 * Without this script every free cell is a link that reloads the page with the form's start
 * and end set to that step, and the two fields can always be typed in. With it, a click on a
 * free cell selects that step in place; a second click on a later free cell of the same day
 * extends the choice to the end of that cell (when every step between is free); a further
 * click starts a new choice. The form's fields are filled each time, and typing in them
 * clears the highlight. The server checks the booking again (overlaps, opening hours). */
(() => {
  "use strict";
  const table = document.querySelector("table.slot-grid[data-select]");
  const start = document.getElementById("id_starts_at");
  const end = document.getElementById("id_ends_at");
  if (!table || !start || !end) return;
  const choice = document.getElementById("slot-choice");
  const price = Number(table.dataset.price || "0");
  const cells = new Map(); // "day:row" -> td
  for (const td of table.querySelectorAll("td[data-day]")) cells.set(`${td.dataset.day}:${td.dataset.row}`, td);
  let anchor = null; // the first cell of the current choice, while it can still be extended

  const clear = () => {
    for (const td of table.querySelectorAll("td.selected")) td.classList.remove("selected");
    for (const a of table.querySelectorAll('a[aria-pressed="true"]')) a.setAttribute("aria-pressed", "false");
  };

  const span = (from, to) => {
    const day = from.dataset.day;
    const out = [];
    for (let row = Number(from.dataset.row); row <= Number(to.dataset.row); row += 1) {
      const td = cells.get(`${day}:${row}`);
      if (!td || td.dataset.state !== "free") return null;
      out.push(td);
    }
    return out;
  };

  const say = (first, last) => {
    if (!choice) return;
    const [date, from] = first.dataset.start.split("T");
    const to = last.dataset.end.split("T")[1];
    const hours = (Date.parse(last.dataset.end) - Date.parse(first.dataset.start)) / 3600000;
    let text = `已选：${date} ${from}–${to}（${hours} 小时`;
    if (price > 0) text += `，约 ${(hours * price).toFixed(2)} 元`;
    text += "）。";
    if (anchor) text += "再点同一天更晚的空闲格可延长；";
    text += "确认后点“预约所选时段”。";
    choice.textContent = text;
  };

  const select = (first, last) => {
    const run = span(first, last);
    if (!run) return false;
    clear();
    for (const td of run) {
      td.classList.add("selected");
      const link = td.querySelector("a");
      if (link) link.setAttribute("aria-pressed", "true");
    }
    start.value = first.dataset.start;
    end.value = last.dataset.end;
    say(first, last);
    return true;
  };

  table.addEventListener("click", (event) => {
    const link = event.target.closest("a.slot");
    if (!link || !table.contains(link)) return;
    event.preventDefault();
    const td = link.closest("td");
    const extends_ =
      anchor &&
      anchor.dataset.day === td.dataset.day &&
      Number(td.dataset.row) > Number(anchor.dataset.row) &&
      span(anchor, td);
    if (extends_) {
      const first = anchor;
      anchor = null;
      select(first, td);
    } else {
      anchor = td;
      select(td, td);
    }
  });

  for (const input of [start, end]) {
    input.addEventListener("input", () => {
      anchor = null;
      clear();
      if (choice) choice.textContent = "已手动填写时段，提交时系统核对是否空闲。";
    });
  }

  // A step chosen without script (the page was loaded from a cell's link): show it selected.
  if (start.value && end.value) {
    const first = table.querySelector(`td[data-start="${CSS.escape(start.value)}"]`);
    const last = table.querySelector(`td[data-end="${CSS.escape(end.value)}"]`);
    if (first && last && first.dataset.day === last.dataset.day) {
      anchor = first === last ? first : null;
      select(first, last);
    }
  }
})();
