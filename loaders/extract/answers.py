"""Who answers in a transcript or an interview: 'MR. MILLER: We assess…', or the lines after a question.

An answer's sentences are its speaker's claims even where no speech verb names
anyone ('We have counted at least 120 launchers'): the parse reader asks this
module who answers a line when the tree finds no speaker in a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A transcript's speaker label: 'MR. MILLER:', 'MS. SINGH:', 'GEN. RYDER:'.
SPEAKER_LABEL = re.compile(r"^(?:MR|MS|MRS|DR|GEN|ADM|COL|AMB)\.\s+(?P<name>[A-Z][A-Za-z'’-]+):\s")
#: A question: 'Q:' or 'Question:' in a transcript, or a short line ending with a question mark.
QUESTION_LABEL = re.compile(r"^(?:Q|QUESTION|Question)\s*[:.]\s")
#: Interviews need at least this many questions before their unlabelled lines count as answers.
MIN_QUESTIONS = 2


@dataclass(frozen=True)
class Answer:
    """A line of answer: where it is and who gives it (a family name, or the interviewee's reference)."""

    start: int
    end: int
    speaker: str


def is_question(line: str) -> bool:
    """A reporter's question: labelled 'Q:', or a line of at most two short sentences ending in '?'."""
    stripped = line.strip()
    if QUESTION_LABEL.match(stripped):
        return True
    return stripped.endswith("?") and len(stripped) <= 200 and not stripped.startswith(('"', "“"))


def answer_lines(lines: list[tuple[int, str]], interviewee: str | None) -> list[Answer]:
    """The answer lines of an article, each with its speaker.

    A labelled transcript line answers for the family name in its label (``'MILLER'``; the caller finds the
    person). In an interview (two questions or more), each line after a question, up to the next one, answers
    for ``interviewee``; without one, those lines are nobody's.
    """
    found: list[Answer] = []
    questions = sum(1 for _, line in lines if is_question(line))
    after_question = False
    for start, line in lines:
        label = SPEAKER_LABEL.match(line)
        if label is not None:
            found.append(Answer(start + label.end(), start + len(line), label.group("name")))
            after_question = False
            continue
        if is_question(line):
            after_question = True
            continue
        if after_question and questions >= MIN_QUESTIONS and interviewee is not None:
            found.append(Answer(start, start + len(line), interviewee))
    return found
