"""Page furniture in pasted articles: navigation, captions, credits, prompts, share buttons, date markers.

Such lines are blanked (replaced by spaces, so every offset into the article
stays valid) before the text is parsed: none of them may become a claim, and a
caption glued to the next paragraph must not hide the claim there.
"""

from __future__ import annotations

import re

_LINE_PATTERNS = [
    # navigation and page chrome
    r"skip to (?:main )?content",
    r"(?:sign in|log in|sign up|register|subscribe|search|menu|home)",
    r"(?:[\w&'’ ]{1,20}\s*\|\s*){2,}[\w&'’ ]{1,20}",
    r"(?:most read|most popular|related(?: articles| stories| topics)?|trending|advertisement|sponsored"
    r"|more on this story|top stories|latest news|you may also like|recommended|editor'?s picks)\b.{0,40}",
    # audio, share and follow prompts
    r"(?:listen to this article|listen|play audio|audio)\b.{0,40}",
    r"\d{1,2}:\d\d(?:\s*/\s*\d{1,2}:\d\d)?",
    r"(?:share(?: this (?:article|story|page))?|share on \w+|copy link|print|email|facebook|twitter|x|whatsapp"
    r"|telegram|linkedin|reddit)(?:\s+(?:facebook|x|twitter|whatsapp|email|copy link|telegram|linkedin|reddit))*",
    r"follow us\b.{0,80}",
    # reading and subscription prompts
    r"(?:read more|read also|also read|see also|related|watch|more)\s*[:|-].{0,160}",
    r"(?:subscribe|sign up)\b.{0,160}",
    r"get (?:the|our)\b.{0,120}\b(?:inbox|newsletter|briefing|email)\b.{0,80}",
    r"(?:support (?:our|independent) journalism|become a (?:member|subscriber)|donate)\b.{0,160}",
    r"(?:we use cookies|accept (?:all )?cookies|cookie (?:policy|settings)).{0,200}",
    r"(?:©|\(c\)|copyright)\s*\d{4}.{0,200}",
    r".{0,60}\b(?:all rights reserved|privacy policy|terms of (?:use|service))\b.{0,120}",
    # captions and credits
    r".{0,300}(?:photo|image|picture|video|illustration|copyright|credit|source)s?\s*(?:credit)?\s*:\s*"
    r"[\w .,/&'’()-]{2,80}",
    r"(?:photo|image|file photo|pictured|caption)\b.{0,300}",
    r".{0,300}\((?:photo|image|file)[^)]*\)",
    r"(?:\d+\.\s+.{3,80})",
    # date and time markers standing alone
    r"(?:published|updated|posted|last updated|first published)(?!\s+by\b)\b.{0,80}",
    r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}(?:\s+\d{1,2}:\d\d.*)?",
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?\d{1,2}\s+[A-Z][a-z]+\s+\d{4}(?:,?\s+\d{1,2}[:.]\d\d.*)?",
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}(?:,?\s+\d{1,2}[:.]\d\d.*)?",
    r"\d{1,2}[:.]\d\d\s*(?:am|pm|[A-Z]{2,4}(?:[+-]\d+)?)?",
    r"(?:\d+\s+(?:min(?:ute)?s?|hours?)\s+(?:read|ago))",
    # editing credits (a byline stays: it names the author)
    r"\((?:reporting|writing|editing|additional reporting)\b.*\)",
]
BOILERPLATE = re.compile(r"^\s*(?:" + "|".join(_LINE_PATTERNS) + r")\s*$", re.IGNORECASE)
#: A sentence ends with closing punctuation; navigation and credits rarely do. Long lines are prose.
_PROSE = re.compile(r"[.!?][\"'”’)\]]*\s*$")
#: A section label in capitals ('WORLD NEWS'); matched with case, so a short line of prose is not one.
_SECTION = re.compile(r"^[A-Z][A-Z &'’-]{2,40}$")
_CAPTION_CREDIT = re.compile(
    r"\b(?:photo|image|picture|copyright|credit)s?\s*:\s*[\w .,/&'’()-]{2,80}$|\((?:photo|image|file)\b[^)]*\)\s*$",
    re.IGNORECASE,
)


def is_boilerplate(line: str) -> bool:
    """Whether a line of a pasted page is furniture rather than reporting.

    >>> [is_boilerplate(s) for s in ("Read more: Kyiv hit again", "Share this article", "Russia fired 40 missiles.")]
    [True, True, False]
    """
    stripped = line.strip()
    if not stripped:
        return False
    if _CAPTION_CREDIT.search(stripped) or _SECTION.match(stripped):
        return True
    if len(stripped) > 220 and _PROSE.search(stripped):
        return False
    if (
        _PROSE.search(stripped)
        and len(stripped.split()) >= 8
        and not re.match(
            r"(?:read more|read also|subscribe|sign up|get the|©|\(c\)|copyright|photo|image)\b", stripped, re.I
        )
    ):
        return False
    return bool(BOILERPLATE.match(stripped))


def mask(text: str) -> str:
    """``text`` with its boilerplate lines blanked to spaces (same length, so offsets still hold).

    A leading run of headline-like lines is kept (the headline carries names the article uses).
    """
    pieces = []
    for line in re.finditer(r"[^\n]*\n?", text):
        chunk = line.group(0)
        body = chunk.rstrip("\n")
        if body and is_boilerplate(body):
            pieces.append(" " * len(body) + chunk[len(body) :])
        else:
            pieces.append(chunk)
    return "".join(pieces)
