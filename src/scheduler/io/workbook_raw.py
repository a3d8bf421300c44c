"""A workbook's parts read as stored, beside openpyxl: its index of sheets, and one cell's
stored type and value (openpyxl turns a date cell's number no date has into #VALUE!, and
its warning names the cell without its sheet)."""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from xml.etree import ElementTree

MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_DOC_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def main_part(archive: zipfile.ZipFile) -> str:
    """The workbook's main part, found as openpyxl finds it: by its content type,
    `xl/workbook.xml` by default (a review's renamed part)."""
    types = ElementTree.fromstring(archive.read("[Content_Types].xml"))
    return next(
        (
            o.get("PartName", "").lstrip("/")
            for o in types.iter(f"{_TYPES_NS}Override")
            if "spreadsheetml.sheet.main" in o.get("ContentType", "")
            or "ms-excel.sheet.macroEnabled.main" in o.get("ContentType", "")
        ),
        "xl/workbook.xml",
    )


def stored_cell(path: Path, sheet: str, coordinate: str) -> tuple[str, str] | None:
    """The type (`n` for a number, `e` for an error, ...) and the text `sheet`'s cell at
    `coordinate` is stored with; None when the part or the cell cannot be found."""
    try:
        with zipfile.ZipFile(path) as archive:
            main = main_part(archive)
            index = ElementTree.fromstring(archive.read(main))
            rid = next(
                s.get(f"{_DOC_REL_NS}id")
                for s in index.iter(f"{MAIN_NS}sheet")
                if s.get("name") == sheet
            )
            folder, name = posixpath.split(main)
            rels = ElementTree.fromstring(archive.read(f"{folder}/_rels/{name}.rels"))
            target = next(
                r.get("Target", "")
                for r in rels.iter(f"{_PKG_REL_NS}Relationship")
                if r.get("Id") == rid
            )
            part = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            for _, node in ElementTree.iterparse(archive.open(part)):
                if node.tag == f"{MAIN_NS}c" and node.get("r") == coordinate:
                    value = node.find(f"{MAIN_NS}v")
                    return node.get("t", "n"), "" if value is None else (value.text or "")
    except (KeyError, StopIteration, zipfile.BadZipFile, ElementTree.ParseError):
        return None
    return None
