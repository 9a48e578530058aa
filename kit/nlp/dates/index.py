"""Where rules can match: the trigger pre-filter (windows of text around temporal words and numbers)
and each rule's possible first characters, worked out from its regex when the grammar loads."""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kit.nlp.dates.grammar import Grammar


# Lexicon tables whose forms can head an expression: every rule match contains a digit or one of
# these forms (or a literal word of its own pattern), so text far from all of them is skipped.
_TRIGGER_TABLES = (
    "months",
    "weekdays",
    "seasons",
    "parts_of_day",
    "part_of_day_nouns",
    "units",
    "adjective_units",
    "relative_days",
    "relative_periods",
    "relative_day_pods",
    "references",
    "news_references",
    "vague_durations",
    "sets",
    "holidays",
    "clock_words",
    "clock_fractions",
    "strict_references",
)


# Numbers that can be (part of) an expression without a trigger word next to them: years,
# numeric dates (5.3.2024, 10/27/89), clock times (20:30, 8 pm), decades (the 90s, 90er), Q3;
# other numbers only count with a month, unit or "Uhr" nearby ("16 Jahren", "8.30 Uhr").
_NUMBER_TRIGGER = (
    r"(?<!\d)(?:1\d{3}|20\d\d)(?!\d)|\d[./-]\s?\d{1,2}[./-]|\d:\d\d|\d\s?[ap]\.?m\b"
    r"|\d0(?:er|s|['’]s)|\bq[1-4]"
)


# Characters around a trigger that are scanned by the rules (longer than any expression's reach).
WINDOW = 48


def _trie_regex(words: set[str]) -> str:
    """A regex alternation of ``words`` factored as a trie (fast to scan: no backtracking fan-out)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        if "" in node and len(node) == 1:
            return ""
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return build(trie)


def trigger_regex(res: dict[str, Any]) -> re.Pattern[str]:
    """Lower-case triggers: some numbers, or a word stem any rule needs: forms of the heading lexicons, pattern literals."""
    # pattern literals that never head an expression on their own (articles, prepositions)
    not_triggers = frozenset(str(w).lower() for w in res.get("not_triggers", []))
    words: set[str] = set()
    for table in _TRIGGER_TABLES:
        entry = res.get(table) or {}
        forms = (
            entry
            if isinstance(entry, list)
            else (
                list(entry)
                if table in ("relative_periods", "relative_day_pods")
                else [f for fs in entry.values() for f in fs]
            )
        )
        for form in forms:
            parts = [w for w in str(form).lower().split() if w not in not_triggers] or [str(form).lower()]
            words.add(max(parts, key=len))
    for rule in res["rules"]:
        if "triggers" in rule:  # a rule listing its head words: its other literals need not trigger
            words.update(str(w).lower() for w in rule["triggers"])
            continue
        literal = re.sub(r"\\.|\(\?P<\w+>|\{\w+\}|\[[^\]]*\]", " ", rule["pattern"])
        words.update(w.lower() for w in re.findall(r"[^\W\d_]{3,}", literal))
    words = {w.strip("-") for w in words} - not_triggers
    words = {w for w in words if len(w) >= 3}
    # prefixes ("Ex-Präsident") trigger with their hyphen: "ex" alone would be everywhere
    words |= {str(f).lower() + "-" for fs in (res.get("prefix_references") or {}).values() for f in fs}
    return re.compile(_NUMBER_TRIGGER + "|" + _trie_regex(words))


_CATEGORY_CLASSES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}


def _class_regex(items: list[tuple[Any, Any]]) -> str | None:
    """A parsed character class (``[...]``, ``\\d``) back as regex text; None if unsupported."""
    parts: list[str] = []
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            parts.append(re.escape(chr(av)))
        elif name == "RANGE":
            parts.append(re.escape(chr(av[0])) + "-" + re.escape(chr(av[1])))
        elif name == "CATEGORY" and str(av) in _CATEGORY_CLASSES:
            parts.append(_CATEGORY_CLASSES[str(av)])
        elif name == "NEGATE" and not parts:
            parts.append("^")
        else:
            return None
    return "[" + "".join(parts) + "]"


_Prefixes = set[tuple[str, ...]]


def _concat(head: _Prefixes, tail: _Prefixes, k: int) -> _Prefixes:
    return {a if len(a) == k else (a + b)[:k] for a in head for b in ({()} if len(a) == k else tail)}


def _prefixes(items: Any, k: int) -> _Prefixes | None:
    """The first ``k`` characters a parsed pattern can consume, as tuples of character classes
    (regex text); a shorter tuple where the pattern can end sooner. None if not analysed."""
    out: _Prefixes = {()}
    for op, av in items:
        name = str(op)
        sub: _Prefixes | None
        if name == "LITERAL":
            sub = {(re.escape(chr(av)),)}
        elif name == "IN":
            cls = _class_regex(av)
            sub = None if cls is None else {(cls,)}
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):  # zero width
            sub = {()}
        elif name == "SUBPATTERN":
            sub = None if av[1] or av[2] else _prefixes(av[3], k)  # no local flags
        elif name == "ATOMIC_GROUP":
            sub = _prefixes(av, k)
        elif name == "BRANCH":
            sub = set()
            for alt in av[1]:
                alt_prefixes = _prefixes(alt, k)
                if alt_prefixes is None:
                    return None
                sub |= alt_prefixes
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, body = av
            once = _prefixes(body, k)
            if once is None or () in once:
                return None
            sub = set()
            reps: _Prefixes = {()}
            for count in range(k + 1):
                if count >= low:
                    sub |= reps
                if count == high:
                    break
                reps = _concat(reps, once, k)
            else:  # more than k repetitions: every such prefix is k characters long
                sub |= reps
        else:  # any character, group references, conditionals
            return None
        if sub is None:
            return None
        out = _concat(out, sub, k)
        if all(len(prefix) == k for prefix in out):
            break
    return out


def _lower_ascii(cls: str, flags: int) -> frozenset[str]:
    """The lower-cased ASCII characters a class accepts under ``flags`` (tested one by one, so case
    folding is exactly the regex engine's)."""
    regex = re.compile(cls, flags)
    accepted = {chr(c) for c in range(128) if regex.fullmatch(chr(c))}
    if any(c.swapcase() not in accepted for c in accepted):  # never under IGNORECASE
        raise ValueError(f"case-sensitive class {cls!r}")
    return frozenset(c.lower() for c in accepted)


START_KEY_LENGTH = 3  # characters of a match's start looked up in a rule's set of possible starts


_MAX_KEYS = 20000


def start_keys_of(pattern: str, flags: int) -> frozenset[str] | None:
    """Every lower-cased ASCII ``START_KEY_LENGTH``-character string a match of ``pattern`` can begin with;
    None if that cannot be established (or the set is too large to help)."""
    try:  # the parse tree is an internal API of ``re``: anything unexpected means a full scan
        prefixes = _prefixes(_sre_parse(pattern, flags), START_KEY_LENGTH)
    except Exception:  # noqa: BLE001
        return None
    if prefixes is None or any(len(p) < START_KEY_LENGTH for p in prefixes):
        return None
    keys: set[str] = set()
    for prefix in prefixes:
        try:
            sets = [_lower_ascii(cls, flags) for cls in prefix]
        except ValueError:
            return None
        size = 1
        for chars in sets:
            size *= len(chars)
        if len(keys) + size > _MAX_KEYS:
            return None
        keys.update(map("".join, itertools.product(*sets)))
    return frozenset(keys)


def _sre_parse(pattern: str, flags: int) -> Any:
    import re._parser as sre_parser  # internal: imported only when compiling rules

    return sre_parser.parse(pattern, flags)


def scan_windows(text: str, g: Grammar) -> list[tuple[int, int]]:
    """Regions worth scanning: runs of text around temporal triggers, cut at whitespace.

    A match never reaches further than ``WINDOW`` characters from the trigger it contains, so
    scanning only these regions finds the same matches as scanning the whole text.
    """
    windows: list[tuple[int, int]] = []
    n = len(text)
    lowered = text.lower()  # the trigger regex is lower case: much faster than IGNORECASE
    if len(lowered) != n:  # a letter whose lower case is longer ("İ"): offsets would shift
        lowered = "".join(ch.lower()[:1] or ch for ch in text)
    for m in g.trigger.finditer(lowered):
        lo, hi = m.start() - WINDOW, m.end() + WINDOW
        if windows and lo <= windows[-1][1]:
            if hi > windows[-1][1]:
                windows[-1] = (windows[-1][0], hi)
            continue
        windows.append((lo, hi))
    out: list[tuple[int, int]] = []
    for lo, hi in windows:
        if lo <= 0:
            lo = 0
        else:
            space = text.rfind(" ", 0, lo)
            lo = max(space, text.rfind("\n", 0, lo)) + 1
        if hi >= n:
            hi = n
        else:
            ends = [i for i in (text.find(" ", hi), text.find("\n", hi)) if i >= 0]
            hi = min(ends) if ends else n
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(hi, out[-1][1]))
        else:
            out.append((lo, hi))
    return out
