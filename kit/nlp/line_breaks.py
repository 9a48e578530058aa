"""Line breaks start sentences, also in pipelines whose parser splits the rest.

Datelines, section lines and headlines end without a full stop; a parser trained on running
text (GUM) joins them to the next sentence. This component marks the first token after a line
break as a sentence start and leaves every other token undecided, so the parser, which keeps
boundaries set before it, decides the rest. The rule sentencizer of pipelines without a parser
does the same through its ``punct_chars``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["LINE_BREAKS", "line_breaks"]

LINE_BREAKS = "kit_line_breaks"


@Language.component(LINE_BREAKS)
def line_breaks(doc: Doc) -> Doc:
    """Sentence start after every whitespace token holding a line break; others stay unset."""
    for i in range(1, len(doc)):
        before = doc[i - 1]
        if before.is_space and "\n" in before.text and not doc[i].is_space:
            doc[i].is_sent_start = True
    return doc
