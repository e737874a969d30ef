"""Alias files cost what their size says: loading is linear in rows, and YAML nesting and
anchor expansion are bounded (one ConfigError line past a bound). Timings are in
``benchmarks/hostile_inputs.py``, not here."""

from __future__ import annotations

import pytest

from sourcetrace.actors import AliasTable, load_yaml
from sourcetrace.actors import aliases as aliases_mod
from sourcetrace.corpus.actors import load_alias_rules
from sourcetrace.model.errors import ConfigError


def _word(i: int) -> str:
    """A distinct pronounceable word per number (names fold letters, so digits are not
    enough to keep names apart)."""
    out = ""
    i += 1000
    while i:
        out += "bcdfghjklmnpqrstvwxz"[i % 20] + "aeiou"[i % 5]
        i //= 20
    return out.capitalize()


def _csv(path, n: int) -> str:
    rows = ["name,type,alias"]
    rows += [f"{_word(i)} {_word(3 * i)} Group,organization,{_word(i).upper()}X" for i in range(n)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return str(path)


def _folds_to_load(tmp_path, monkeypatch, n: int) -> int:
    calls = 0
    real = aliases_mod.normalise_name

    def counting(name: str) -> str:
        nonlocal calls
        calls += 1
        return real(name)

    monkeypatch.setattr(aliases_mod, "normalise_name", counting)
    table = AliasTable.load([_csv(tmp_path / f"a{n}.csv", n)], builtin=False)
    assert table.lookup(f"{_word(n - 1).upper()}X") is not None
    return calls


def test_alias_loading_is_linear_in_rows(tmp_path, monkeypatch):
    # Every merge used to rebuild the whole index: name folds grew with rows squared.
    small = _folds_to_load(tmp_path, monkeypatch, 500)
    large = _folds_to_load(tmp_path, monkeypatch, 2000)
    assert large <= 4.4 * small, (small, large)


def test_ten_thousand_csv_rows_load_and_resolve(tmp_path):
    table = AliasTable.load([_csv(tmp_path / "big.csv", 10_000)])
    entry = table.lookup(f"{_word(9_999).upper()}X")
    assert entry is not None and entry.name == f"{_word(9_999)} {_word(29_997)} Group"
    assert len(table) >= 10_000


def test_merging_many_rows_into_one_entry_keeps_every_alias_once(tmp_path):
    rows = ["name,alias"] + [f"Harbour Board,HB{_word(i)}" for i in range(3000)]
    rows += [f"Harbour Board,HB{_word(7)}"]  # a repeat
    path = tmp_path / "one.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    entry = AliasTable.load([str(path)], builtin=False).get("Harbour Board")
    assert entry is not None and len(entry.aliases) == len(set(entry.aliases)) == 3000


def _anchored(n_names: int, n_reuses: int) -> str:
    names = ", ".join(f"N{_word(i)}" for i in range(n_names))
    lines = [f"- name: A0\n  aliases: &names [{names}]"]
    lines += [f"- name: A{_word(i)}\n  aliases: *names" for i in range(1, n_reuses)]
    return "\n".join(lines) + "\n"


def test_anchor_expansion_past_the_bound_is_one_error(tmp_path):
    path = tmp_path / "anchors.yaml"
    path.write_text(_anchored(5000, 5000), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        AliasTable.load([str(path)])
    msg = str(info.value)
    assert msg.startswith(f"{path}: YAML aliases expand past ")
    assert str(aliases_mod.MAX_YAML_ALIAS_NODES) in msg and "\n" not in msg


def test_modest_anchor_reuse_is_read(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(_anchored(3, 4), encoding="utf-8")
    table = AliasTable.load([str(path)], builtin=False)
    assert len(table) == 4 and table.lookup(f"N{_word(2)}") is not None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[" * 200_000, "YAML nested deeper than 64 levels"),
        ("- " * 100 + "x", "YAML nested deeper than 64 levels"),
        ("&a [1, *a]", "YAML alias *a refers to itself"),
        ("- name: x\n  aliases: *nowhere\n", "invalid YAML"),
        ("- {name: x, label: [ORG]}\n", "unknown label"),
        ("- {name: x, type: {a: 1}}\n", "unknown type"),
    ],
)
def test_hostile_yaml_is_one_config_error(tmp_path, text, reason):
    with pytest.raises(ConfigError) as info:
        aliases_mod.parse_yaml(text, "f.yaml")
    assert str(info.value).startswith("f.yaml: ") and reason in str(info.value)


def test_a_billion_laughs_is_refused_before_it_is_built():
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    with pytest.raises(ConfigError, match="expand past"):
        load_yaml("\n".join(levels) + "\n", "laughs.yaml")


def test_the_corpus_merge_file_has_the_same_bounds(tmp_path):
    path = tmp_path / "rules.yaml"
    names = ", ".join(f"N{_word(i)}" for i in range(2000))
    merges = "\n".join(f"  - name: M{_word(i)}\n    aliases: *n" for i in range(200))
    path.write_text(f"forbid: [[a, b]]\nlist: &n [{names}]\nmerge:\n{merges}\n", "utf-8")
    with pytest.raises(ConfigError, match="expand past"):
        load_alias_rules([str(path)])
    path.write_text("merge:\n  - name: Port Vell Transit Authority\n    aliases: [PVTA]\n"
                    "forbid: [[a, b]]\n", "utf-8")
    rules = load_alias_rules([str(path)])
    assert rules.user.lookup("PVTA") is not None
