"""The lexicon's fact words: numbers, dates, negation, modality, quantities and opposites.

Part of the one lexicon (``text.lexicon`` re-exports every name here; import them from there).
The code checks between a claim and its evidence read these lists. All are standard English
lists written for the project. Imports nothing of the package.
"""

from __future__ import annotations

import re

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
NUMBER_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen \
fifteen sixteen seventeen eighteen nineteen".split()
)
NUMBER_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_WORD = {w: i for i, w in enumerate(NUMBER_UNITS)} | {
    w: 20 + 10 * i for i, w in enumerate(NUMBER_TENS)
}
NUMBER_SCALE = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}

#: what a count is read with (``factcheck.quantities``): words that make it approximate ("about
#: 14,000", "more than", "at least"); its rate ("a day", "annually"); words before the thing
#: counted that do not say what it is ("nine new stops"); words that end the thing counted
QUANTITY_HEDGES = frozenset(
    "about around some nearly almost roughly approximately over than under least estimated".split()
)
RATE_NOUNS = {"hour": "hour", "day": "day", "week": "week", "month": "month", "year": "year"}
RATE_ADVERBS = {
    "hourly": "hour", "daily": "day", "nightly": "day", "weekly": "week", "monthly": "month",
    "yearly": "year", "annually": "year", "annual": "year",
}  # fmt: skip
COUNT_MODIFIERS = frozenset(
    "new old more extra additional other further former total full small large big major local "
    "public separate different".split()
)
COUNT_ENDS = frozenset(
    "between across along among within near through toward towards against around behind beyond "
    "via per including last next".split()
)
#: verbs that link a subject to what it is, not to what it did ("Lund is the chief executive")
COPULAS = frozenset("is are was were be been being became become becomes remains".split())

#: words that give a number a direction ("up 6 percent", "fell 11 percent", "6 percent less")
UP_WORDS = frozenset(
    "up rise rose risen increase grew grow gain higher more climb jump surge".split()
)
DOWN_WORDS = frozenset(
    "down fall fell decrease drop decline lower less fewer shrank slip plunge".split()
)

#: words that make a sentence date-bearing for claim candidates
DATE_WORDS = (
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday yesterday today"
).split()

#: verbs that state a checkable event (claim candidates)
FACT_VERBS = re.compile(
    r"\b(is|are|was|were|has|have|had|became|become|met|killed|died|won|lost|signed|arrived|"
    r"launched|announced|increased|decreased|rose|fell|used|took|built|bought|sold|paid|"
    r"visited|invited|blocked|imposed|highlighted|reported|elected|founded|opened|closed|"
    r"passed|approved|voted|rejected|arrested|charged|released|attacked|fired|struck|ruled)\b",
    re.IGNORECASE,
)

NEGATIONS = frozenset(
    {"not", "no", "never", "nor", "none", "nothing", "neither", "cannot", "without"}
)

#: words that turn a statement into its opposite beyond the plain negations (claim checks)
NEGATING_WORDS = frozenset(
    """n't nobody can't won't don't doesn't didn't isn't wasn't aren't weren't hasn't haven't
    hadn't couldn't wouldn't shouldn't lack lacks lacked fail fails failed refuse refused refuses
    deny denied denies unable""".split()
)
#: hedges, plans and reported possibility: "may open" is not "opened" (claim checks)
MODAL_WORDS = frozenset(
    """may might could would should must possibly probably perhaps likely unlikely allegedly
    reportedly supposedly plan plans planned planning intend intends intended hope hopes hoped
    expect expects expected propose proposed proposes consider considering considered suggest
    suggested suggests maybe want wants wanted try tried trying attempt attempted""".split()
)
#: words of scope: "only", "all", "some" change what a claim says (claim checks)
QUANTIFIER_WORDS = frozenset(
    """all every each some only none most few many several always never entire whole any
    majority minority both single sole solely exclusively mainly mostly rarely often sometimes
    usually""".split()
)
#: function words whose opposite still flips a claim ("his"/"her", "before"/"after")
OPPOSABLE_WORDS = frozenset("his her he she him before after more less up down".split())
#: pairs of opposites ("rose fell"), separated by "|": a claim word whose opposite is in the
#: evidence while the word itself is not (written for the project; standard English)
ANTONYM_PAIRS = """\
rise fall|rose fell|increase decrease|increased decreased|up down|higher lower|more less|
more fewer|gain loss|gained lost|win lose|won lost|winner loser|victory defeat|accept reject|
accepted rejected|agree disagree|agreed disagreed|approve disapprove|approved rejected|
allow forbid|allowed banned|support oppose|supported opposed|like dislike|liked disliked|
love hate|loved hated|open close|opened closed|start end|started ended|begin finish|
first last|early late|earlier later|before after|new old|young old|big small|large small|
long short|high low|strong weak|easy hard|easy difficult|simple complex|cheap expensive|
rich poor|positive negative|good bad|better worse|best worst|success failure|
successful unsuccessful|possible impossible|true false|right wrong|correct incorrect|
legal illegal|public private|internal external|include exclude|included excluded|add remove|
added removed|buy sell|bought sold|hire fire|hired fired|join leave|joined left|enter exit|
arrive depart|push pull|give take|gave took|send receive|sent received|teach learn|ask answer|
attack defend|build destroy|built destroyed|create destroy|created destroyed|save spend|
saved spent|remember forget|remembered forgot|present absent|male female|man woman|men women|
husband wife|father mother|son daughter|brother sister|boy girl|north south|east west|
left right|top bottom|inside outside|above below|over under|maximum minimum|majority minority|
upstream downstream|
always never|everyone nobody|everything nothing|all none|agree oppose|like hate|happy sad|
hot cold|warm cool|fast slow|quick slow|interesting boring|important unimportant|
necessary unnecessary|useful useless|safe dangerous|clear unclear|certain uncertain|
sure unsure|likely unlikely|able unable|increase reduce|increased reduced|raise lower|
raised lowered|expand shrink|grow shrink|grew shrank|ignore highlight|hide show|hid showed|
reveal conceal|confirm deny|confirmed denied|admit deny|praise criticize|praised criticized|
benefit harm|help hurt|helped hurt|pass fail|passed failed|present future|past future|
yesterday tomorrow|night day|morning evening|dead alive|died survived|guilty innocent|
friend enemy|ally enemy|import export|imported exported|borrow lend|lent borrowed|
praise vilify|praise condemn|recommend condemn|acknowledge ignore|accept ignore|notice ignore|
consider ignore|indoor outdoor|indoors outdoors|luxury basic|free paid|cheap costly|
cheaper costlier|cheaper expensive|greatest least|most least|maximum least|many few|
much little|with without|together apart|same different|similar different|agree differ|
benefit drawback|advantage disadvantage|pro con|strength weakness|support criticize|
encourage discourage|include omit|keep discard|keep lose|find lose|found lost|succeed fail|
succeeded failed|arrive leave|come go|came went|asked answered|question answer|before later|
future past|modern ancient|often rarely|always rarely|frequent rare|common rare|usual unusual|
normal abnormal|excited bored|calm angry|happy angry|happy unhappy|love dislike|enjoy dislike|
enjoy hate|enjoyed hated|fun boring|optimistic pessimistic|confident nervous|expert novice|
expert beginner|professional amateur|senior junior|elder younger|older younger|
oldest youngest|first final|beginning end|opening closing|entrance exit|rich cheap|
heavy light|thick thin|wide narrow|deep shallow|full empty|wet dry|soft hard|loud quiet|
noisy quiet|bright dark|light dark|clean dirty|healthy unhealthy|sick healthy|strong fragile|
tall short|fat thin|near far|close far|here there|local foreign|domestic foreign|
national international|urban rural|city country|morning night|spring autumn|summer winter|
buyer seller|teacher student|host guest|employer employee|parent child|king queen|
actor actress|mr mrs|his her|he she|him her"""
