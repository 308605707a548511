"""Learn reporting-cue words from PolNeAR train: the table behind ``lexicon.LEARNED_CUES``.

For every word that stands in a gold cue: how often it does, and the share of train sentences
containing the word where it is part of a gold cue (how reliably it signals an attribution).
Prints the table ``src/quotecheck/text/learned_cues.tsv`` that ``lexicon.py`` reads (share
>= 0.5, >= 8 cues, words the written cue list covers left out). Reads only PolNeAR *train*.

    python scripts/learn_cues.py --train ../shared/data/polnear/jsonl/train.jsonl
"""

from __future__ import annotations

import argparse
import collections
import json
import re
from pathlib import Path

from quotecheck.text import sentences
from quotecheck.text.lexicon import CUE_WORDS, LEARNED_CUES

WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
#: words that travel with cues without signalling one (adverbs, nouns), or plain actions
LEFT_OUT = set(
    "repeatedly widely openly formally officially known according eager criticism suggestion "
    "assertion doubt titled listed named nominated identified approved ruled issued sent released "
    "learned shown offered sought pushed delivering projected requested threatened angered "
    "encouraged supported opposed oppose prefer preferred promote convince convinced".split()
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--train", type=Path, default=Path("../shared/data/polnear/jsonl/train.jsonl")
    )
    parser.add_argument("--min-share", type=float, default=0.5)
    parser.add_argument("--min-cues", type=int, default=8)
    args = parser.parse_args()
    in_cue: collections.Counter[str] = collections.Counter()
    with_word: collections.Counter[str] = collections.Counter()
    as_cue: collections.Counter[str] = collections.Counter()
    for line in args.train.open(encoding="utf-8"):
        doc = json.loads(line)
        if not doc.get("is_primary"):
            continue
        text = doc["text"]
        cues = [(c["start"], c["end"]) for a in doc["attributions"] for c in a["cue"]]
        for a in doc["attributions"]:
            for c in a["cue"]:
                in_cue.update(WORD.findall(c["text"].lower()))
        for s in sentences(text):
            words = set(WORD.findall(text[s.start : s.end].lower()))
            cue_words = set()
            for cs, ce in cues:
                if s.start <= cs < s.end:
                    cue_words |= set(WORD.findall(text[cs:ce].lower()))
            with_word.update(words)
            as_cue.update(words & cue_words)
    learned = CUE_WORDS.pattern.split("|\\b(?:")[0]
    written = re.compile(learned, re.I)
    for word, n in sorted(in_cue.items()):
        share = as_cue[word] / with_word[word] if with_word[word] else 0.0
        if word in LEFT_OUT or written.search(word) or share < args.min_share or n < args.min_cues:
            continue
        mark = "" if word in LEARNED_CUES else "\t# new"
        print(f"{word}\t{n}\t{share:.2f}{mark}")


if __name__ == "__main__":
    main()
