"""ALCE-style verdicts on an answer's citations, from our claim check
(assistant/answering/claims.py).

The claim check is monotone in the passages it is given: facts, word overlap and the
closest sentence are all taken over the union of the cited passages, so fewer passages
never support more. Hence a sentence its citations together do not support is supported
by none of them alone, and a sentence with one citation is supported by it alone exactly
when it is supported. Only a supported sentence with several citations is checked again:
once per citation alone, once without it.
"""

from __future__ import annotations

from assistant.answering.claims import ClaimChecker
from assistant.answering.model import Answer
from evals.metrics import CitationVerdict, SentenceVerdict


def sentence_verdicts(answer: Answer, checker: ClaimChecker) -> list[SentenceVerdict]:
    """One verdict per sentence shown in the answer; none for a refusal (it claims nothing)."""
    if answer.refused:
        return []
    passages = {p.rank: p for p in answer.passages}
    verdicts: list[SentenceVerdict] = []
    for claim in answer.claims:
        if claim.start < 0:  # removed by the check: not part of the answer
            continue
        several = claim.supported and len(claim.cited) > 1
        cited: list[CitationVerdict] = []
        for number in claim.cited:
            if several:
                alone = checker.check_sentence(claim.text, {number: passages[number]})
                others = {n: passages[n] for n in claim.cited if n != number}
                rest = checker.check_sentence(claim.text, others)
                cited.append(CitationVerdict(number, True, alone.supported, rest.supported))
            else:
                cited.append(CitationVerdict(number, True, claim.supported, False))
        cited += [CitationVerdict(number, valid=False) for number in claim.dropped]
        verdicts.append(SentenceVerdict(claim.supported, tuple(cited)))
    return verdicts
