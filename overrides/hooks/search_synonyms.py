"""Search synonyms hook: British and American spellings, and plurals, find the same sections.

One job. ``docs/data/search-synonyms.yml`` (``extra.search_synonyms_file``) holds groups of
words, one group a line: ``- [tumour, tumor]``. After the search plugin has written
``search/search_index.json``, every entry of the index (a page, or a section of it) that
uses one word of a group gets the group's other words, in extra fields that weigh the same as
the field the word was found in (``title_synonyms`` like ``title``, ``text_synonyms`` like
``text``, ``tags_synonyms`` like ``tags``). Material's search indexes every field named in the
index's ``config.fields`` but shows only the title, text and tags, so the pages and the results
look the same; a search for "tumor" simply also finds the sections that say "tumour".

Words are found as the search finds them: the text is split with the index's own separator
(``plugins: search: separator`` in mkdocs.yml), in lower case, whole words only.

It runs after the search plugin writes the index and before the offline plugin copies it into
``search_index.js`` (event priority -50, between their 0 and -100). It stops the build, naming
the file and the line, when a group is not a list of at least two different one-word entries,
or a word is in two groups. Tests import ``load_synonyms``.
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.search_synonyms")

WORD = re.compile(r"^[a-z][a-z']*$")


@dataclass
class SynonymGroup:
    """Words that must find the same sections (``words``), from line ``line`` of the file."""

    words: list[str]
    line: int


def load_synonyms(path: Path, display: str | None = None) -> tuple[list[SynonymGroup], list[str]]:
    """([SynonymGroup], errors) from the synonyms file; each error names ``display`` (or path) and a line."""
    try:  # as an editor would type it from the project folder
        shown = display or str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        shown = str(path)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [], [f"{shown}: the file is missing. Create it with one group a line: - [tumour, tumor]"]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{shown}:{mark.line + 1}" if mark else shown
        return [], [f"{where}: this is not valid YAML ({getattr(exc, 'problem', exc)}). Write each group "
                    f"as - [word, other word]."]
    if root is None:
        return [], []
    if not isinstance(root, yaml.SequenceNode):
        return [], [f"{shown}:{root.start_mark.line + 1}: the file must be a list of groups, one a line: "
                    f"- [tumour, tumor]"]
    groups, errors, seen = [], [], {}
    for node in root.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.SequenceNode) or not all(isinstance(n, yaml.ScalarNode) for n in node.value):
            errors.append(f"{shown}:{line}: write this group as a list of words in square brackets: "
                          f"- [tumour, tumor]")
            continue
        words = [str(n.value).strip() for n in node.value]
        bad = [w for w in words if not WORD.match(w)]
        if bad:
            errors.append(f"{shown}:{line}: {bad} must be single words in lower case (letters only), "
                          f"for example - [tumour, tumor].")
            continue
        if len(set(words)) < 2:
            errors.append(f"{shown}:{line}: a group needs at least two different words: {words}.")
            continue
        twice = [w for w in words if w in seen]
        if twice:
            errors.append(f"{shown}:{line}: {twice} already in the group on line {seen[twice[0]]}. "
                          f"Put all the forms of one word in one group.")
            continue
        for w in words:
            seen[w] = line
        groups.append(SynonymGroup(words, line))
    return groups, errors


# The index's fields whose words get synonyms, and the extra field each one's synonyms go in.
SOURCE_FIELDS = ("title", "text", "tags")
TAG = re.compile(r"<[^>]+>")


def synonyms_field(name: str) -> str:
    return f"{name}_synonyms"


def words_of(value, separator: re.Pattern) -> set[str]:
    """The words of an index field (a string of HTML, or a list of tags), split as search splits them."""
    values = value if isinstance(value, list) else [value or ""]
    return {w.lower() for v in values for part in TAG.split(str(v)) for w in separator.split(part) if w}


def add_synonyms(index: dict, groups: list[SynonymGroup]) -> int:
    """Give every entry of ``index`` (search_index.json, as a dict) the synonyms of its words.

    Adds ``<field>_synonyms`` (a string of words) to each entry whose ``<field>`` uses a word of
    a group, and declares each extra field in ``index["config"]["fields"]`` with its source
    field's boost. Returns how many entries changed. Raises PluginError when the index has no
    separator or no fields (the search plugin changed its format)."""
    config = index.get("config") or {}
    fields = config.get("fields")
    if not config.get("separator") or not isinstance(fields, dict) or not isinstance(index.get("docs"), list):
        raise PluginError("search_synonyms.py: search/search_index.json has no config.separator, config.fields "
                          "or docs; the search plugin's index format changed. Check the Material upgrade notes.")
    separator = re.compile(config["separator"])
    by_word = {word: group for group in groups for word in group.words}
    changed = 0
    for entry in index["docs"]:
        touched = False
        for name in SOURCE_FIELDS:
            if name not in entry:
                continue
            used = words_of(entry[name], separator)
            extra = sorted({w for word in used if word in by_word for w in by_word[word].words} - used)
            if extra:
                entry[synonyms_field(name)] = " ".join(extra)
                touched = True
        changed += touched
    for name in SOURCE_FIELDS:
        if name in fields:
            fields[synonyms_field(name)] = dict(fields[name])
    return changed


@event_priority(-50)  # after the search plugin (0) writes the index, before the offline plugin (-100) copies it
def on_post_build(config, **kwargs):
    """Add the synonyms of every word to the search index written by the search plugin."""
    path = Path(config["site_dir"]) / "search" / "search_index.json"
    if not path.is_file():
        return  # search is off
    file = config["extra"].get("search_synonyms_file")
    if not file:
        raise PluginError("search_synonyms.py: set extra: search_synonyms_file: docs/data/search-synonyms.yml "
                          "in mkdocs.yml.")
    groups, errors = load_synonyms(Path(config["config_file_path"]).parent / file, file)
    if errors:
        raise PluginError("Search synonym problems:\n  " + "\n  ".join(errors))
    index = json.loads(path.read_text(encoding="utf-8"))
    changed = add_synonyms(index, groups)
    path.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")
    log.debug("search_synonyms: %d index entries got synonyms", changed)
