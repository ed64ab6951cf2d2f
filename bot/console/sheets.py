"""Invitation sheets from an issued-codes CSV: XLSX and a printable page of QR codes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import segno
from openpyxl import Workbook

from bot.outreach.invites import CSV_COLUMNS
from bot.security.spreadsheet import neutralise


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of an issued-codes CSV."""
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def to_xlsx(rows: list[dict[str, str]]) -> bytes:
    """The same columns as the CSV in one sheet (cells never run as formulas)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "invitations"
    sheet.append(list(CSV_COLUMNS))
    for row in rows:
        sheet.append([neutralise(row.get(column, "")) for column in CSV_COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def qr_svg(link: str) -> str:
    """An inline SVG QR code for ``link`` (a data URI for an <img>)."""
    return segno.make(link, error="m").svg_data_uri(scale=3, border=2)


def qr_cards(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """One card per trainee: who (name or pseudonymous id), the links and their QR codes."""
    cards = []
    for row in rows:
        telegram = row.get("telegram_link") or ""
        web = row.get("web_link") or ""
        cards.append(
            {
                "who": row.get("name") or row.get("pseudo_id", ""),
                "cohort": row.get("cohort_code", ""),
                "code": row.get("code", ""),
                "telegram_link": telegram,
                "telegram_qr": qr_svg(telegram) if telegram else "",
                "web_link": web,
                "web_qr": qr_svg(web) if web else "",
            }
        )
    return cards
