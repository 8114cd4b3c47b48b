"""Sentences with their offsets, and quoted passages, in an article's text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

ABBREVIATIONS = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Maj|Capt|Sgt|Adm|Gov|Sen|Rep|Prof|No|vs|etc|Jan|Feb|Mar|Apr|Jun|Jul"
    r"|Aug|Sep|Sept|Oct|Nov|Dec|Inc|Corp|Ltd|Co|approx)\.|\b(?:[A-Z]\.){1,3}|\be\.g\.|\bi\.e\.)$"
)
BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
QUOTES = re.compile(r"“[^”]*”?|\"[^\"\n]*\"?")


#: A source credited after a claim, in a newsletter's items: '… to Russia. — via IRNA', '— per Reuters'.
CREDIT_TAIL = re.compile(r"(?<=[.!?\"”’])\s+[—–-]{1,2}\s*(?:via|per|h/t)\s+[^\n.!?]{1,40}$")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its offsets in the article and its text."""

    start: int
    end: int
    text: str

    @property
    def is_headline(self) -> bool:
        """A line without closing punctuation: a headline, a byline or a caption. (A newsletter's source after a
        dash, '… to Russia. — via IRNA', closes nothing; an introduction with the list under it, '… were:', is
        no headline.)"""
        if "\n" in self.text and self.text.split("\n", 1)[0].endswith(":"):
            return False
        return not re.search(r"[.!?;][\"'”’)\]]*$", CREDIT_TAIL.sub("", self.text))


def sentences(text: str) -> list[Sentence]:
    """Split an article into sentences; line breaks always end one.

    >>> [s.text for s in sentences("Mr. Kim said so. U.S. officials agree.\\nNext line")]
    ['Mr. Kim said so.', 'U.S. officials agree.', 'Next line']
    """
    found: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", text):
        offset, chunk = line.start(), line.group(0)
        start = 0
        for boundary in BOUNDARY.finditer(chunk):
            if ABBREVIATIONS.search(chunk[start : boundary.start() + 1]):
                continue
            _add(found, text, offset + start, offset + boundary.end())
            start = boundary.end()
        _add(found, text, offset + start, offset + len(chunk))
    return found


def _add(found: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        found.append(Sentence(start, end, text[start:end]))


def quoted_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """The spans of quoted speech in ``text`` (curly or straight double quotes)."""
    return [(offset + m.start(), offset + m.end()) for m in QUOTES.finditer(text) if m.end() - m.start() > 12]


def inside(position: int, spans: list[tuple[int, int]]) -> bool:
    """Whether a position falls within any of the spans."""
    return any(start <= position < end for start, end in spans)


#: Latin letters with no decomposition into a plain letter, as names are romanised.
UNDECOMPOSED = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "œ": "oe"}
)


def slug(text: str) -> str:
    """A lower-case id made of the words of ``text``.

    >>> slug("Ukraine’s Defence Intelligence!")
    'ukraine-s-defence-intelligence'
    >>> slug("Nicolas de Rivière")
    'nicolas-de-riviere'
    >>> slug("Władysław Kosiniak-Kamysz")
    'wladyslaw-kosiniak-kamysz'
    """
    # letters that do not decompose into a base letter and a mark ('ł' is not 'l' with an accent)
    text = text.replace("’", "'").translate(UNDECOMPOSED)
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()  # 'Rivière'
    words = re.sub(r"[^a-z0-9]+", "-", plain.casefold()).strip("-")
    return words[:80].rstrip("-") or "x"
