"""PDF (pypdf) and .docx (python-docx) input, made by the tests themselves."""

from __future__ import annotations

import io
import zipfile

import docx

from sourcetrace.ingest import iter_articles
from sourcetrace.model.article import Article
from sourcetrace.model.errors import BadInputError


def make_pdf(lines: list[str], title: str = "") -> bytes:
    """A minimal one-page PDF with a text layer (Helvetica), xref offsets computed."""
    ops = ["BT /F1 11 Tf 50 750 Td 14 TL"]
    for line in lines:
        ops.append("(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                   + ") Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (%s) >>" % title.encode("latin-1"),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


LINES = [
    "Ministry of Ports press release",
    "The harbour master said the north quay will reopen on 3 May.",
    "Dredging was finished ahead of schedule, officials said.",
]


def test_a_pdf_is_read_through_its_text_layer(tmp_path):
    path = tmp_path / "release.pdf"
    path.write_bytes(make_pdf(LINES, title="Quay reopens"))
    (article,) = iter_articles([str(path)])
    assert isinstance(article, Article)
    assert "north quay will reopen" in article.text
    assert article.metadata["format"] == "pdf" and article.metadata["title"] == "Quay reopens"


def test_a_pdf_under_another_name_is_still_read(tmp_path):
    path = tmp_path / "download"
    path.write_bytes(make_pdf(LINES))
    (article,) = iter_articles([str(path)])
    assert isinstance(article, Article) and "Dredging was finished" in article.text


def test_a_pdf_without_text_says_so(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf([]))
    (error,) = iter_articles([str(path)])
    assert isinstance(error, BadInputError) and "no text layer" in error.reason


def test_a_broken_pdf_is_one_error(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nthis is not a pdf at all")
    (error,) = iter_articles([str(path)])
    assert isinstance(error, BadInputError) and error.path == str(path)


def test_a_docx_is_read_paragraph_by_paragraph(tmp_path):
    document = docx.Document()
    document.core_properties.title = "Quay reopens"
    for line in LINES:
        document.add_paragraph(line)
    path = tmp_path / "release.docx"
    document.save(str(path))
    (article,) = iter_articles([str(path)])
    assert isinstance(article, Article)
    assert article.text == "\n".join(LINES)
    assert article.metadata["format"] == "docx" and article.metadata["title"] == "Quay reopens"


def test_a_docx_zip_bomb_is_refused_before_unpacking(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"\0" * (130 * 1024 * 1024))
    (error,) = iter_articles([str(path)])
    assert isinstance(error, BadInputError) and "unpacks to" in error.reason


def test_a_folder_reads_pdf_and_docx_and_names_what_it_cannot(tmp_path):
    (tmp_path / "a.pdf").write_bytes(make_pdf(LINES))
    (tmp_path / "b.xlsx").write_bytes(b"PK\x03\x04 spreadsheet")
    (article,) = iter_articles([str(tmp_path)])
    assert isinstance(article, Article) and article.path.endswith("a.pdf")


def test_a_folder_of_only_unsupported_files_is_an_error(tmp_path):
    (tmp_path / "b.xlsx").write_bytes(b"PK\x03\x04 spreadsheet")
    (tmp_path / "c.png").write_bytes(b"\x89PNG")
    (error,) = iter_articles([str(tmp_path)])
    assert isinstance(error, BadInputError)
    assert "2 files of other types" in error.reason and ".pdf" in error.reason


def test_an_unreadable_type_named_explicitly_lists_what_is_read(tmp_path):
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4)
    (error,) = iter_articles([str(path)])
    assert isinstance(error, BadInputError)
    assert "binary file" in error.reason and ".docx" in error.reason and ".pdf" in error.reason
