"""Checks on an uploaded .xlsx before anything parses it: a zip bomb, a workbook too large to
unpack, a part (the shared strings, say) too large to hold, or a sheet with more rows, cells or
strings than an upload may hold is refused in a second or two, with memory bounded, instead of
when the machine runs out of either. Sizes are the ones the archive declares; zipfile, and so
openpyxl, never inflates a part past its declared size.
"""

import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from io import BytesIO
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree


class FormatError(ValueError):
    """The file is not a workbook we can read (the message says why)."""


@dataclass(frozen=True)
class Limits:
    rows: int = 200_000  # rows of the first sheet an upload may hold
    unpacked_bytes: int = 500 * 1024 * 1024  # all of the workbook's parts, uncompressed
    ratio: int = 200  # uncompressed / compressed for one large part (sheets compress ~10-30x)
    # Cells of the first sheet: 200,000 rows of the widest template (46 columns) is 9.2 million.
    cells: int = 10_000_000
    # openpyxl holds every shared string in memory, at many times its XML (100 MB of it took
    # 1.5 GB in issue 14's attack); the reader's own memory bound (prefetch.MEMORY) stops what
    # gets past these.
    shared_strings_bytes: int = 64 * 1024 * 1024
    shared_strings: int = 2_000_000
    # Any other part that is not a sheet (styles, theme, workbook): a few kB to a few MB in
    # real files, parsed whole by the reader.
    part_bytes: int = 64 * 1024 * 1024


DEFAULT_LIMITS = Limits()
MAX_INDEX_PART = 1024 * 1024  # the workbook and relationship parts: a few kB in real files
LARGE_PART = 10 * 1024 * 1024  # smaller parts are never suspicious, however well they compress
NOT_A_WORKBOOK = "This is not an Excel workbook (.xlsx) that can be read."


OFFICE_DOCUMENT = "/officeDocument"  # the end of the relationship type naming the workbook
SHARED = "/sharedStrings"  # ... and of the one naming the workbook's shared strings
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def first_sheet(archive: zipfile.ZipFile) -> zipfile.ZipInfo | None:
    """The part of the sheet a reader opens: the first <sheet> of the workbook, found the way
    openpyxl finds it (package relationships -> workbook -> its relationships), not by a
    part's name, so a decoy ``sheet1.xml`` cannot hide the sheet that is read."""
    try:
        workbook = target(
            archive, "_rels/.rels", lambda rel: rel.get("Type", "").endswith(OFFICE_DOCUMENT)
        )
        folder, _, name = workbook.rpartition("/")
        first = xml_of(archive, workbook).find(f"{MAIN}sheets/{MAIN}sheet")
        rels = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
        sheet = target(archive, rels, lambda rel: rel.get("Id") == first.get(R_ID), folder)
        return archive.getinfo(sheet)
    except (
        KeyError,
        StopIteration,
        AttributeError,
        TypeError,
        ElementTree.ParseError,
        DefusedXmlException,
    ):
        return None


def xml_of(archive: zipfile.ZipFile, name: str):
    with archive.open(name) as stream:  # a small part: bounded before it is parsed
        return SafeElementTree.fromstring(stream.read(MAX_INDEX_PART))


def target(archive: zipfile.ZipFile, rels: str, wanted, folder: str = "") -> str:
    """The part a relationship of ``rels`` points at, as a name in the archive."""
    rel = next(
        rel
        for rel in xml_of(archive, rels)
        if rel.tag == f"{RELATIONSHIPS}Relationship" and wanted(rel)
    )
    path = rel.get("Target", "")
    path = path.lstrip("/") if path.startswith("/") else posixpath.join(folder, path)
    return posixpath.normpath(path)


def count_tags(
    archive: zipfile.ZipFile, part: zipfile.ZipInfo, tags: tuple[bytes, ...], limit: int
) -> tuple[int, ...]:
    """How often each start of tag occurs in the part's XML, counted while inflating it a
    chunk at a time (no parsing); stops once any count is past ``limit``."""
    counts, tail = [0] * len(tags), b""
    overlap = max(len(tag) for tag in tags) - 1
    with archive.open(part) as stream:
        while chunk := stream.read(1 << 20):
            text = tail + chunk
            for index, tag in enumerate(tags):
                counts[index] += text.count(tag) - tail.count(tag)
            tail = text[-overlap:]
            if max(counts) > limit:
                break
    return tuple(counts)


def count_rows(archive: zipfile.ZipFile, sheet: zipfile.ZipInfo, limit: int) -> int:
    """Rows in the sheet's XML; stops once past ``limit``."""
    return count_tags(archive, sheet, (b"<row",), limit)[0]


def shared_strings_part(archive: zipfile.ZipFile) -> zipfile.ZipInfo | None:
    """The shared strings part a reader loads: the one the workbook's relationships name
    (whatever it is called), else any part called sharedStrings.xml."""
    try:
        workbook = target(
            archive, "_rels/.rels", lambda rel: rel.get("Type", "").endswith(OFFICE_DOCUMENT)
        )
        folder, _, name = workbook.rpartition("/")
        rels = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
        strings = target(archive, rels, lambda rel: rel.get("Type", "").endswith(SHARED), folder)
        return archive.getinfo(strings)
    except (KeyError, StopIteration, ElementTree.ParseError, DefusedXmlException):
        pass
    named = [p for p in archive.infolist() if p.filename.lower().endswith("sharedstrings.xml")]
    return max(named, key=lambda part: part.file_size, default=None)


def rows_in(data: bytes) -> int:
    """About how many rows the first sheet holds, after the guidance and header (0 when it
    cannot be told): for a progress bar, on a file check() has already let through."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        sheet = first_sheet(archive)
        return max(count_rows(archive, sheet, 10**9) - 2, 0) if sheet else 0
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        return 0


def check(data: bytes, limits: Limits = DEFAULT_LIMITS) -> None:
    """Raise FormatError naming the problem, or return when the workbook is safe to parse."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError) as error:
        raise FormatError(NOT_A_WORKBOOK) from error
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limits.unpacked_bytes:
        raise FormatError(
            f"The workbook unpacks to {unpacked / 2**20:,.0f} MB, more than the "
            f"{limits.unpacked_bytes / 2**20:,.0f} MB an upload may hold; split "
            "it into smaller files."
        )
    for part in parts:
        if part.file_size > LARGE_PART and part.file_size > limits.ratio * max(
            part.compress_size, 1
        ):
            raise FormatError(
                "The workbook inflates far beyond its size (a “zip bomb”); it was not opened."
            )
        if part.file_size > limits.part_bytes and "/worksheets/" not in part.filename:
            raise FormatError(
                f"The workbook's part {part.filename} unpacks to "
                f"{part.file_size / 2**20:,.0f} MB, more than the "
                f"{limits.part_bytes / 2**20:,.0f} MB any part but a sheet may hold; save the "
                "file again from Excel, or split it."
            )
    sheet = first_sheet(archive)
    if sheet is None:
        raise FormatError(NOT_A_WORKBOOK)
    try:
        # "<c " and "<c>" open a cell; "<col" (column widths) does not.
        rows, *cells = count_tags(archive, sheet, (b"<row", b"<c ", b"<c>"), limits.cells)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        raise FormatError("The workbook is damaged: its first sheet cannot be unpacked.") from error
    if rows > limits.rows + 2:  # the guidance and header rows come on top
        raise FormatError(
            f"The sheet has more than {limits.rows:,} rows, the most one upload "
            "may hold; split it into smaller files."
        )
    if sum(cells) > limits.cells:
        raise FormatError(
            f"The sheet has more than {limits.cells:,} cells, the most one upload may hold; "
            "split it into smaller files, or delete the columns no template has."
        )
    check_shared_strings(archive, limits)


def check_shared_strings(archive: zipfile.ZipFile, limits: Limits) -> None:
    """The shared strings (every text of the workbook, held in memory while it is read)."""
    part = shared_strings_part(archive)
    if part is None:
        return
    too_many = (
        f"The workbook's text (its shared strings part) is larger than an upload may hold "
        f"({limits.shared_strings_bytes / 2**20:,.0f} MB or {limits.shared_strings:,} "
        "strings); split it into smaller files."
    )
    if part.file_size > limits.shared_strings_bytes:
        raise FormatError(too_many)
    try:
        (strings,) = count_tags(archive, part, (b"<si",), limits.shared_strings)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        raise FormatError("The workbook is damaged: its text cannot be unpacked.") from error
    if strings > limits.shared_strings:
        raise FormatError(too_many)
