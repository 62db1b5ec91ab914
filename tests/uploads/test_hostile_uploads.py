"""Hostile files and text: refused by configured limits before parsing (never by running out of
memory), with a message naming the problem, nothing stored, and text kept inert everywhere."""

import resource
import zipfile
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlmodel import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from pars.models import Activity, Upload

SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
    b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"


def workbook_with_sheet(client, write_sheet) -> bytes:
    """The app's own blank template with its first sheet replaced, streamed into the zip."""
    template = zipfile.ZipFile(BytesIO(client.get("/uploads/templates/learners.xlsx").data))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in template.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with target.open(item.filename, "w", force_zip64=True) as sheet:
                    write_sheet(sheet)
            else:
                target.writestr(item, template.read(item))
    return buffer.getvalue()


def upload(client, data: bytes):
    # Encoded in memory: the test client would spool a large body to a file it never closes.
    body, length, boundary = stream_encode_multipart(
        {"file": FileStorage(BytesIO(data), "learners.xlsx")}, use_tempfile=False
    )
    return client.post(
        "/uploads/",
        input_stream=body,
        content_length=length,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def nothing_stored(session) -> bool:
    session.expire_all()
    return session.exec(select(Upload)).all() == []


def test_a_zip_bomb_is_refused_unopened(client, editor, session):
    def bomb(sheet):
        sheet.write(SHEET_HEAD)
        for _ in range(300):  # 300 MB of nothing, a few hundred KB compressed
            sheet.write(b" " * (1 << 20))
        sheet.write(SHEET_TAIL)

    data = workbook_with_sheet(client, bomb)
    assert len(data) < 2_000_000
    response = upload(client, data)
    assert response.status_code == 422 and "zip bomb" in response.data.decode()
    assert nothing_stored(session)


def test_a_million_rows_are_refused_by_the_row_limit_in_bounded_memory(client, editor, session):
    def million(sheet):
        sheet.write(SHEET_HEAD)
        for start in range(1, 1_000_001, 10_000):
            sheet.write(
                b"".join(
                    b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n)
                    for n in range(start, start + 10_000)
                )
            )
        sheet.write(SHEET_TAIL)

    data = workbook_with_sheet(client, million)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    response = upload(client, data)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert response.status_code == 422
    assert "more than 200,000 rows" in response.data.decode()
    assert grown_mb < 100, f"refusing took {grown_mb:.0f} MB more memory"
    assert nothing_stored(session)


def test_the_row_limit_is_configured(app, client, editor, session):
    app.config["MAX_UPLOAD_ROWS"] = 3

    def five(sheet):
        sheet.write(
            SHEET_HEAD
            + b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(1, 8))
            + SHEET_TAIL
        )

    response = upload(client, workbook_with_sheet(client, five))
    assert response.status_code == 422 and "more than 3 rows" in response.data.decode()


def test_a_body_over_the_upload_size_limit_is_refused(app, client, editor, session):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    response = upload(client, b"PK\x03\x04" + b"\0" * (2 * 1024 * 1024))
    assert response.status_code == 413 and b"larger than this site accepts" in response.data
    assert nothing_stored(session)


@pytest.mark.parametrize(
    "data", [b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, b"PK\x03\x04 truncated zip", b"x"]
)
def test_renamed_binaries_and_truncated_zips_are_refused(client, editor, session, data):
    response = upload(client, data)
    assert response.status_code == 422 and b"not an Excel workbook" in response.data
    assert nothing_stored(session)


HOSTILE = '<script>alert("x")</script> & \'quoted\' =HYPERLINK("http://evil")'


def test_script_and_quote_text_round_trips_inert_to_pages_and_excel(
    client, editor, session, make_activity
):
    activity = make_activity(editor.provider_id, title=HOSTILE, internal_id="=1+2")
    pages = (f"/activities/{activity.id}", "/activities/", f"/activities/{activity.id}/history")
    for page in pages:
        html = client.get(page).data.decode()
        assert "<script>alert" not in html and "&lt;script&gt;alert(&#34;x&#34;)" in html
    workbook = load_workbook(BytesIO(client.get("/activities/download").data))
    cells = [c for row in workbook.active.iter_rows() for c in row if c.value in (HOSTILE, "=1+2")]
    assert len(cells) == 2 and all(c.data_type == "s" for c in cells)
    assert session.get(Activity, activity.id).title == HOSTILE
