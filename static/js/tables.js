/* Tables become cards on a phone (site.css, max-width 600px): each cell gets its column
 * heading as data-label, shown before the value. Without this script the same tables scroll
 * inside their own box, so nothing here is needed for the page to work. Tables marked
 * data-no-cards (grids read across, such as calendars) keep scrolling. */
(() => {
  "use strict";
  for (const table of document.querySelectorAll("table.table:not([data-no-cards])")) {
    const head = table.tHead && table.tHead.rows[0];
    if (!head) continue;
    const labels = [];
    for (const th of head.cells) {
      for (let i = 0; i < th.colSpan; i += 1) labels.push(th.textContent.trim());
    }
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          if (cell.colSpan === 1 && labels[column]) cell.dataset.label = labels[column];
          else if (cell.colSpan > 1) cell.classList.add("wide-cell");
          column += cell.colSpan;
        }
      }
    }
    table.classList.add("as-cards");
  }
})();
