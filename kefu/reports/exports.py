"""Tables as CSV and XLSX downloads (reports, the audit log, the QA queue).

A table is a header row and data rows of plain values; both formats carry the same values, so a
spreadsheet shows exactly the numbers the page shows. Cells that a spreadsheet would run as a
formula (=, +, -, @ first) are prefixed with a quote in CSV and stored as text in XLSX.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Sheet:
    title: str
    header: Sequence[str]
    rows: list[Sequence[Any]] = field(default_factory=list)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value
    if value is None or isinstance(value, (int, float, date)):
        return value
    return str(value)


def _csv_cell(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return "" if value is None else value


def as_csv(sheets: Iterable[Sheet]) -> bytes:
    """All sheets one after another, each under its title; UTF-8 with a BOM for Excel."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for number, sheet in enumerate(sheets):
        if number:
            writer.writerow([])
        writer.writerow([sheet.title])
        writer.writerow(sheet.header)
        writer.writerows([_csv_cell(v) for v in row] for row in sheet.rows)
    return ("\ufeff" + buffer.getvalue()).encode()


def as_xlsx(sheets: Iterable[Sheet]) -> bytes:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for sheet in sheets:
        page = book.create_sheet(title=_sheet_title(sheet.title))
        page.append(list(sheet.header))
        for row in sheet.rows:
            page.append([_plain(v) for v in row])
            for cell in page[page.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    cell.data_type = TYPE_STRING  # text, never a formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    return title[:31] or "Sheet"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(sheets: list[Sheet], name: str, fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        response = HttpResponse(as_xlsx(sheets), content_type=XLSX)
    else:
        fmt = "csv"
        response = HttpResponse(as_csv(sheets), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
