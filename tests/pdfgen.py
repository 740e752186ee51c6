"""Tiny PDF writer for tests: text at given positions in Helvetica, nothing else.

Used to build small sheets laid out like the official ones (same header row and
column positions), so that tests can feed the importer a bad row or a document
that is not a result sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

PAGE_WIDTH = 595
PAGE_HEIGHT = 842

# (x0 of each cell) on the official 1000 m sheets, from wc1/8_result_men_1000_a.
COLUMNS = {
    "Rnk": 39.1,
    "Nr": 78.1,
    "Name": 102.0,
    "Ctry": 289.8,
    "pair": 323.2,
    "lane": 351.1,
    "Time": 433.3,
    "Behind": 475.9,
    "Points": 532.1,
}


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_bytes(pages: Sequence[Sequence[tuple[float, float, float, str]]]) -> bytes:
    """A PDF whose pages hold text items ``(x, top, size, text)``; top is from the page's top."""
    objects: list[bytes] = []
    font_id = 3
    page_ids = []
    content_ids = []
    next_id = 4
    for _ in pages:
        page_ids.append(next_id)
        content_ids.append(next_id + 1)
        next_id += 2
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for page, content_id in zip(pages, content_ids, strict=True):
        ops = []
        for x, top, size, text in page:
            y = PAGE_HEIGHT - top - size
            ops.append(f"BT /F1 {size} Tf {x:.1f} {y:.1f} Td ({_escape(text)}) Tj ET")
        stream = "\n".join(ops).encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {content_id} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def sheet_pdf(
    rows: Sequence[Sequence[str]],
    *,
    title: str = "ISU SPEED SKATING WORLD CUP #9",
    venue: str = "Thialf - Heerenveen (Ned) / 05 - 07 Dec 2025",
    race: str = "8. RESULT 1000m Men",
    day: str = "Friday, 05 December 2025",
) -> bytes:
    """A one-page sheet laid out like the official individual-distance sheets.

    Args:
        rows: Cells per row in column order Rnk, Nr, Name, Ctry, pair, lane, Time,
            Behind, Points ("" for a blank cell).
    """
    items: list[tuple[float, float, float, str]] = [
        (200, 135, 12, title),
        (172, 150, 10, venue),
        (236, 171, 10, race),
        (226, 186, 10, day),
    ]
    items += [(x, 216.7, 9, caption) for caption, x in COLUMNS.items()]
    top = 237.6
    for cells in rows:
        for (caption, x), text in zip(COLUMNS.items(), cells, strict=True):
            if text:
                items.append((x + (8 if caption in ("Rnk", "Points") else 0), top, 10, text))
        top += 17
    items.append((28, top + 20, 9, "Referee: Test REFEREE (NED) / Starter: Test STARTER (NED)"))
    items.append((28, 800, 8, "Created On: 05-12-2025 18:00 Page 1 of 1"))
    return pdf_bytes([items])


def write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` and return the path."""
    path.write_bytes(data)
    return path
