"""Word input (.docx) through python-docx: the paragraphs, one a line.

A .docx is a zip: its members' declared sizes are checked before anything is
decompressed, so a zip bomb is refused instead of filling memory.
"""

from __future__ import annotations

import io
import logging
import zipfile

from ..model.article import Article
from ..model.errors import BadInputError
from .text import build_article, check_text, read_bytes

logger = logging.getLogger(__name__)

__all__ = ["MAX_DOCX_UNPACKED", "article_from_docx", "read_docx_file"]

# Unpacked size of all members: a long report with images is a few MB; 128 MB is far past
# that and still small for memory.
MAX_DOCX_UNPACKED = 128 * 1024 * 1024
# A .docx file: same cap as the PDF reader's.
MAX_DOCX_BYTES = 64 * 1024 * 1024


def article_from_docx(data: bytes, path: str) -> Article:
    """Article from the bytes of a .docx; RAISES BadInputError."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
    except zipfile.BadZipFile:
        raise BadInputError(path, "not a .docx file (not a zip archive)") from None
    if unpacked > MAX_DOCX_UNPACKED:
        raise BadInputError(path, f"unpacks to {unpacked} bytes (limit {MAX_DOCX_UNPACKED})")
    import docx  # here: only runs that read .docx pay for it

    try:
        document = docx.Document(io.BytesIO(data))
        lines = [p.text.strip() for p in document.paragraphs]
        props = document.core_properties
        title, author = (props.title or "").strip(), (props.author or "").strip()
    except (KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
        raise BadInputError(path, f"not a readable .docx ({type(exc).__name__}: {exc})") \
            from None
    except Exception as exc:  # python-docx raises its own types for a broken package
        raise BadInputError(path, f"not a readable .docx ({type(exc).__name__})") from None
    text = "\n".join(line for line in lines if line)
    if not text.strip():
        raise BadInputError(path, ".docx has no text")
    check_text(text, path)
    found = {k: v for k, v in (("title", title), ("author", author)) if v}
    return build_article(text, path, found, defaults={"format": "docx"})


def read_docx_file(path: str) -> Article:
    """Article from a .docx file; RAISES BadInputError."""
    data = read_bytes(path, MAX_DOCX_BYTES)
    if not data:
        raise BadInputError(path, "empty file")
    return article_from_docx(data, path)
