"""Tables shown on a page and exported from the same rows (CSV, Excel).

A ``Table`` holds typed cells; the page formats them (thousands separators, %, —) and the
exports write the plain values (CSV) or numbers with a number format (Excel). Because both
come from the same builder, an export is the table the user saw. Used by the dashboards and
the annual evaluation; it knows none of our apps.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "text"  # text | int | money | number | percent | days

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    links: list[str | None] = field(default_factory=list)
    footer: list | None = None
    note: str = ""
    exports: dict[str, str] = field(default_factory=dict)

    def display_rows(self) -> list[list[str]]:
        return [[display(v, c) for v, c in zip(row, self.columns, strict=True)] for row in self.rows]

    def display_footer(self) -> list[str] | None:
        return [display(v, c) for v, c in zip(self.footer, self.columns, strict=True)] if self.footer else None

    def footer_cells(self) -> list[tuple[str, bool]]:
        return list(zip(self.display_footer() or [], [c.numeric for c in self.columns], strict=False))

    def cells(self) -> list[list[tuple[str, str | None, bool]]]:
        """(text, link, numeric) per cell, for the template."""
        out = []
        for i, row in enumerate(self.display_rows()):
            link = self.links[i] if i < len(self.links) else None
            out.append(
                [
                    (text, link if j == 0 else None, c.numeric)
                    for j, (text, c) in enumerate(zip(row, self.columns, strict=True))
                ]
            )
        return out

    def body_html(self) -> SafeString:
        """The rows as ``<tr>`` markup, each text and link escaped: what the row loop of
        ``dashboards/_table.html`` rendered, byte for byte, built here because the template
        engine spent tens of milliseconds on the few thousand cells of a statistics page."""
        parts = []
        for row in self.cells():
            parts.append("<tr>")
            for text, link, numeric in row:
                parts.append('<td class="num">' if numeric else "<td>")
                escaped = conditional_escape(text)
                parts.append(f'<a href="{conditional_escape(link)}">{escaped}</a>' if link else escaped)
                parts.append("</td>")
            parts.append("</tr>\n    ")
        return mark_safe("".join(parts))  # noqa: S308 -- every text and link is escaped above


def display(value, column: Column) -> str:
    if value is None or value == "":
        return "—" if column.numeric else ""
    if column.kind == "money":
        return f"{Decimal(value):,.2f}"
    if column.kind == "int":
        return f"{int(value):,}"
    if column.kind == "percent":
        return f"{float(value):.1f}%"
    if column.kind in ("number", "days"):
        return f"{float(value):,.1f}" if isinstance(value, float) else f"{value}"
    return str(value)


def plain(value, column: Column) -> str:
    if value is None or value == "":
        return ""
    if column.kind == "money":
        return f"{Decimal(value):.2f}"
    if column.kind == "percent":
        return f"{float(value):.1f}"
    return str(value)


def _safe_cell(text: str) -> str:
    """Spreadsheet programs run a cell that starts with = + - @ as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads the file as UTF-8
    writer = csv.writer(buffer)
    writer.writerow([c.label for c in table.columns])
    for row in table.rows + ([table.footer] if table.footer else []):
        writer.writerow(
            [_safe_cell(plain(v, c)) if not c.numeric else plain(v, c) for v, c in zip(row, table.columns, strict=True)]
        )
    return buffer.getvalue().encode("utf-8")


NUMBER_FORMATS = {"money": "#,##0.00", "int": "#,##0", "percent": '0.0"%"', "number": "#,##0.0", "days": "0.0"}


def to_xlsx(table: Table) -> bytes:
    # why: openpyxl takes seconds to import; only an Excel download needs it
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = table.title[:31]
    sheet.append([c.label for c in table.columns])
    # The row number is counted here: openpyxl's ``max_row`` walks every cell written so far,
    # which made a 2,000-row export take seconds (quadratic).
    for number, row in enumerate(table.rows + ([table.footer] if table.footer else []), start=2):
        values = []
        for v, c in zip(row, table.columns, strict=True):
            if v is None or v == "":
                values.append(None)
            elif c.kind == "money":
                values.append(Decimal(v))
            elif c.numeric:
                values.append(float(v) if isinstance(v, float | Decimal) else v)
            else:
                values.append(_safe_cell(str(v)))
        sheet.append(values)
        for j, c in enumerate(table.columns, start=1):
            if c.kind in NUMBER_FORMATS:
                sheet.cell(row=number, column=j).number_format = NUMBER_FORMATS[c.kind]
    for j, c in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(j)].width = 14 if c.numeric else 26
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def file_response(table: Table, fmt: str, name: str) -> HttpResponse:
    """``table`` as a download; ``fmt`` must be a key of ``CONTENT_TYPES``."""
    body = to_csv(table) if fmt == "csv" else to_xlsx(table)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
