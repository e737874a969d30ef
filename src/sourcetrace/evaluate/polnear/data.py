"""Read PolNeAR's brat standoff: texts and their gold attribution relations.

``read_split(directory, split)`` reads ``DIR/SPLIT/text/NAME.txt`` and
``DIR/SPLIT/attributions/NAME_XXXX.ann`` (XXXX: a 4-hex annotator id). Each brat event
(``E`` line) becomes one GoldRelation: ``Source`` (absent in ``Attribution-no-source``
events), ``Cue`` and ``Content`` (``Content2``, a second content argument, is folded into
the content). A relation missing a cue or content keeps what it has (the missing role is
the empty span ``()``). ``Discard``/``Discuss`` annotations and the trigger are ignored.
A few texts were annotated by several annotators; one annotation is used, the
requested annotator's if given, else the lowest annotator id.

``normalize_span`` is the one normalisation of a span, gold or predicted, before it is
compared (see ``matching``); training uses it too.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ...model.errors import BadInputError
from ...model.spans import Offsets, merge_offsets

__all__ = ["Frags", "GoldDoc", "GoldRelation", "normalize_span", "parse_ann", "read_split"]

logger = logging.getLogger(__name__)

Frags = tuple[Offsets, ...]

_ANN_NAME = re.compile(r"^(?P<name>.+)_(?P<annotator>[0-9a-f]{4})\.ann$")
_ANN_ID = re.compile(r"^[TE]\d+$")


@dataclass(frozen=True, slots=True)
class GoldRelation:
    """One gold attribution: fragments as in the .ann file (sorted, not normalised).

    source: None for an Attribution-no-source event.
    cue, content: () when the annotator left the role out.
    """

    source: Frags | None
    cue: Frags
    content: Frags
    id: str = ""


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """One PolNeAR article with its gold relations.

    name (str): the text's file stem.
    text (str): the .txt file, UTF-8, newlines untranslated; the offsets index it.
    relations (list[GoldRelation]): in .ann order.
    path (str): the .txt path.
    annotator (str): id of the annotator whose .ann was read.
    """

    name: str
    text: str
    relations: list[GoldRelation]
    path: str = ""
    annotator: str = ""


def _split_dirs(directory: str | Path, split: str) -> tuple[Path, Path]:
    base = Path(directory) / split
    text_dir, ann_dir = base / "text", base / "attributions"
    if not (text_dir.is_dir() and ann_dir.is_dir()):
        raise BadInputError(
            str(base), "not a PolNeAR split (expected text/ and attributions/ inside)"
        )
    return text_dir, ann_dir


def read_split(
    directory: str | Path, split: str, *, annotator: str | None = None
) -> Iterator[GoldDoc]:
    """Read one PolNeAR split, in file-name order.

    directory (str | Path): the PolNeAR data folder (holding train/, dev/ ...).
    split (str): "train", "dev" or "test".
    annotator (str | None): for texts annotated several times, whose annotation to use.
        Defaults to the lowest annotator id.
    RETURNS (Iterator[GoldDoc]): texts without any .ann file are skipped (logged).
    Raises BadInputError when DIR/SPLIT/text or DIR/SPLIT/attributions is missing.
    """
    text_dir, ann_dir = _split_dirs(directory, split)
    anns: dict[str, dict[str, Path]] = defaultdict(dict)
    for p in ann_dir.glob("*.ann"):
        m = _ANN_NAME.match(p.name)
        if m:
            anns[m["name"]][m["annotator"]] = p
    for txt in sorted(text_dir.glob("*.txt")):
        by_annotator = anns.get(txt.stem)
        if not by_annotator:
            logger.warning("%s: no .ann file, skipped", txt)
            continue
        who = annotator if annotator in by_annotator else min(by_annotator)
        with open(txt, encoding="utf-8", newline="") as fh:
            text = fh.read()
        with open(by_annotator[who], encoding="utf-8", newline="") as fh:
            relations = parse_ann(fh.read(), source=str(by_annotator[who]))
        yield GoldDoc(txt.stem, text, relations, str(txt), who)


def parse_ann(ann: str, *, source: str = "<ann>") -> list[GoldRelation]:
    """Turn brat standoff text into GoldRelations (one per event line)."""
    spans: dict[str, Frags] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []
    for lineno, line in enumerate(ann.split("\n"), 1):
        parts = line.rstrip("\r").split("\t")
        if len(parts) < 2 or not _ANN_ID.match(parts[0]):
            continue  # A/R/#/N annotations, or the rest of a span text holding a newline
        try:
            if line.startswith("T"):
                _label, _, offsets = parts[1].partition(" ")
                frags = tuple(
                    (int(a), int(b)) for a, b in (piece.split() for piece in offsets.split(";"))
                )
                spans[parts[0]] = tuple(sorted(frags))
            elif line.startswith("E"):
                args = [a.partition(":")[::2] for a in parts[1].split()]
                events.append((parts[0], args[1:]))  # args[0] is the trigger
        except (IndexError, ValueError):
            logger.warning("%s:%d: unreadable line, skipped", source, lineno)
    out = []
    for eid, args in events:
        roles: dict[str, list[Offsets]] = defaultdict(list)
        for role, ref in args:
            if ref not in spans:
                logger.warning("%s: %s refers to missing %s", source, eid, ref)
                continue
            key = "content" if role.startswith("Content") else role.lower()
            roles[key].extend(spans[ref])
        src = tuple(sorted(roles["source"])) if "source" in roles else None
        out.append(
            GoldRelation(src, tuple(sorted(roles["cue"])), tuple(sorted(roles["content"])), eid)
        )
    return out


def normalize_span(text: str, frags: Iterable[Offsets]) -> Frags:
    """merge_offsets, then strip whitespace at both ends of each fragment."""
    out = []
    for s, e in merge_offsets(text, frags):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return tuple(out)
