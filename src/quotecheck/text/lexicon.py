"""The package's one lexicon: every word list and word pattern the deterministic code relies on.

Each entry says where it came from. Deterministic data only; imports nothing of the package.
Entries marked "newspaper style" were written for the project from house-style conventions;
"PolNeAR dev" ones were widened while reading errors on PolNeAR's dev split (never test).
"""

from __future__ import annotations

import re
from importlib import resources

# -- reporting cues ------------------------------------------------------------------------
#: cue words learned from PolNeAR *train* (840 articles; scripts/learn_cues.py writes the table
#: learned_cues.tsv beside this module): word -> (times
#: it stands in a gold cue, share of train sentences holding the word whose cue it is). Kept: a
#: share of at least 0.5 and at least 8 cues; adverbs and nouns that only travel with a cue, and
#: verbs of plain action ("sent", "released"), left out by hand.
LEARNED_CUES: dict[str, tuple[int, float]] = {
    word: (int(n), float(share))
    for word, n, share in (
        line.split("\t")
        for line in resources.files("quotecheck.text")
        .joinpath("learned_cues.tsv")
        .read_text("utf-8")
        .splitlines()
        if line and not line.startswith("#")
    )
}
#: cue words written for the project (newspaper style, widened on PolNeAR dev: stance verbs
#: "blasted", "touted", labels "dubbed", "branded")
_WRITTEN_CUES = re.compile(
    r"\b(?:said|says|say|saying|told|tells|tell|according to|announced|announces|added|adds|"
    r"argued|argues|claimed|claims|stated|states|noted|notes|warned|warns|insisted|insists|"
    r"explained|explains|wrote|writes|tweeted|posted|reported|reports|acknowledged|admitted|"
    r"admits|denied|denies|suggested|suggests|asserted|believes?|believed|thinks?|thought|"
    r"contended|maintained|predicted|predicts|promised|promises|pledged|vowed|urged|urges|"
    r"accused|accuses|criticized|criticised|praised|confirmed|confirms|estimated|concluded|"
    r"found|alleged|alleges|declared|responded|replied|testified|complained|raised concerns|"
    r"assessed|stressed|emphasized|emphasised|pointed out|(?<!so-)called|calls|asked|asks|recalled|"
    r"agreed|disputed|described|revealed|indicated|conceded|charged|countered|quipped|"
    r"signaled|signalled|hinted|acknowledges|expects|expected|hopes|hoped|fears|feared|"
    r"wants|wanted|demanded|demands|announcement|statement|describ\w*|calling|specif\w*|"
    r"promis\w*|blast\w*|slam\w*|prais\w*|dubbed|label(?:s|ed|led|ing)|branded|termed|"
    r"derided|mock(?:s|ed|ing)|admir(?:e|es|ed|ing)|condemn\w*|decr(?:y|ies|ied)|denounc\w*|"
    r"tout(?:s|ed|ing)|boast\w*|lament\w*|referr(?:ed|ing)|insist\w*|questioned|"
    r"quot(?:e|es|ed|ing)|cit(?:e|es|ed|ing))\b",
    re.I,
).pattern
#: words that make a sentence a reported-speech candidate: both lists above
CUE_WORDS = re.compile(rf"{_WRITTEN_CUES}|\b(?:{'|'.join(LEARNED_CUES)})\b", re.I)

#: the verbs of an attribution so plain that code resolves it: “...,” she said (newspaper style)
PLAIN_SPEECH_VERBS = (
    r"said|says|added|adds|told reporters|told the [A-Z][\w.]*(?: [A-Z][\w.]*){0,3}|"
    r"wrote|writes|explained|noted|asked|continued|recalled|replied|insisted|argued|warned"
)

PLAIN_PRONOUNS = r"he|she|they|I|we"
#: verbs of a reported-speech sentence settled in code (quotes/reported.py; newspaper style,
#: checked on PolNeAR train and dev)
REPORTING_VERBS = (
    r"said|says|say|told|tells|added|adds|argued|argues|wrote|writes|noted|notes|warned|warns|"
    r"explained|explains|claimed|claims|insisted|insists|stated|states|acknowledged|admitted|"
    r"announced|announces|declared|predicted|predicts|suggested|suggests|contended|maintained|"
    r"believes|believe|believed|thinks|think|thought|asserted|confirmed|confirms|reported|"
    r"reports|recalled|replied|responded|testified|complained|estimated|concluded|emphasized|"
    r"stressed|pointed\s+out|conceded|countered|hopes|hoped|fears|feared|expects|expected|wants|"
    r"wanted|denied|denies|alleged|alleges|vowed|promised|pledged|urged|urges|tweeted|posted|"
    r"wondered|asked|asks|found|finds|showed|shows"
)

# -- speakers: pronouns, determiners, roles, kinds, anonymity, relays (newspaper style) -----
PRONOUNS = {
    "he", "she", "they", "him", "her", "them", "his", "its", "it", "we", "i", "you", "who",
    "himself", "herself", "themselves",
}  # fmt: skip
DETERMINERS = {"a", "an", "the", "one", "two", "three", "several", "some", "another", "other"}
ROLE_NOUNS = (
    r"official|officials|source|sources|spokesperson|spokesman|spokeswoman|diplomat|diplomats|"
    r"aide|aides|adviser|advisers|advisor|advisors|person|people|officer|officers|member|members|"
    r"staffer|staffers|insider|insiders|employee|employees|executive|executives|lawmaker|"
    r"lawmakers|analyst|analysts|resident|residents|witness|witnesses|minister|representative|"
    r"strategist|operative|investigator|investigators|worker|workers|individual"
)
ROLE = re.compile(rf"\b(?:{ROLE_NOUNS})\b", re.I)
ANONYMITY_REASON = re.compile(
    r"(?:speaking |who spoke |talking )?on (?:the )?condition of anonymity"
    r"(?: (?:because|to|as)[^.;,”\"]*)?"
    r"|(?:who )?(?:asked|requested|declined) (?:not )?to be (?:named|identified)"
    r"(?: (?:because|as)[^.;,”\"]*)?"
    r"|(?:who |because (?:he|she|they) )?(?:was|were|is|are) not authori[sz]ed to "
    r"(?:speak|talk|comment|discuss)[^.;,”\"]*"
    r"|requested anonymity[^.;,”\"]*|speaking anonymously",
    re.I,
)
MEDIA = re.compile(
    r"\b(?:media|news agency|agency|newspaper|news|times|post|journal|tribune|herald|guardian|"
    r"reuters|associated press|ap|afp|bbc|cnn|fox|msnbc|nbc|cbs|abc|npr|politico|breitbart|"
    r"huffpost|kcna|xinhua|tass|ria|yonhap|kyodo|al jazeera|bloomberg|axios|magazine|tv|"
    r"television|radio|broadcaster|outlet|daily|gazette|wire)\b",
    re.I,
)
ORG = re.compile(
    r"\b(?:ministry|department|party|committee|campaign|office|council|government|agency|"
    r"administration|commission|court|congress|senate|house|parliament|company|corporation|"
    r"inc|corp|university|institute|foundation|association|union|bank|board|police|army|"
    r"military|white house|pentagon|kremlin|organization|organisation|group|coalition|"
    r"center|centre|bureau|authority|service|fund|nations|federation|team|club|state)\b",
    re.I,
)
GROUP = re.compile(
    r"\b(?:officials|sources|protesters|critics|supporters|voters|residents|experts|analysts|"
    r"lawmakers|democrats|republicans|activists|witnesses|leaders|people|members|aides|"
    r"scientists|researchers|economists|observers|diplomats|both|others|many|some)\b",
    re.I,
)
#: participles of a state of mind: on PolNeAR train, "concerned", "worried", "outraged",
#: "convinced", "shocked", "divided" and "focused" after "is"/"were" have a source in 24 of 24
#: attributions; the rest of the list are words of the same kind
STANCE_PARTICIPLES = (
    "concerned|worried|outraged|convinced|shocked|divided|focused|frustrated|incensed|alarmed"
    "|angered|pleased|disappointed|surprised|troubled|encouraged|satisfied|determined|committed"
    "|opposed|interested|dismayed|unconvinced|unimpressed|impressed|persuaded"
)
#: cues that name no source, whoever stands before them (PolNeAR annotates these without one):
#: the passive with no agent ("was accused of", "have often been criticized"; its subject is
#: what is reported), evidentials ("seems", "appeared to"), "reportedly", and a question put by
#: no one named ("Asked about the vote, ..."). "was quoted as saying" is not one: its subject
#: is the speaker; nor a state of mind ("were worried", "is convinced"), whose subject holds the
#: stance (``STANCE_PARTICIPLES``).
SOURCELESS_CUE = re.compile(
    r"(?:it\s+)?(?:is|are|was|were|be|been|being|(?:has|have|had|will|would)\s+(?:\w+ly\s+|"
    r"often\s+|also\s+|long\s+|not\s+)?been)\s+(?:\w+ly\s+|often\s+|also\s+)?"
    rf"(?!\w+\s+as\s+saying)(?!(?:{STANCE_PARTICIPLES})\b)"
    r"[a-z]+(?:ed|en|wn|lt|pt|ld)\b(?:\s+(?!by\b)[a-z]+){0,2}"
    r"|(?:it\s+)?(?:seems|seemed|appears|appeared)(?:\s+to)?"
    r"|(?:[Rr]eportedly|[Aa]llegedly|[Pp]urportedly|[Aa]pparently)"
    r"|Asked(?:\s+(?:about|if|whether|why|how|what))?",
)
RELAY = re.compile(
    r"\b(?:was|were|is|are|being)\s+(?:reported|quoted|cited)\s+(?:as\s+saying\s+)?by\s+"
    r"(?P<a>[^,.;:“”\"]+)"
    r"|\b(?:in\s+(?:remarks|comments|a\s+statement|an\s+interview)\s+"
    r"(?:carried|published|broadcast|released|reported)\s+by)\s+(?P<b>[^,.;:“”\"]+)"
    r"|\b(?:told|said\s+to|speaking\s+to)\s+(?P<c>(?:state|state-run|state-owned)\s+[^,.;:“”\"]+)"
    r"|\b(?:according\s+to|via|in\s+remarks\s+to)\s+(?P<d>[^,.;:“”\"]+)",
    re.I,
)


#: honorifics and titles that precede a name ("Ms. Varga" is Elena Varga; newspaper style)
HONORIFICS = ("mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "president",
              "minister", "sir")  # fmt: skip
HONORIFIC_PREFIX = re.compile(rf"^(?:{'|'.join(HONORIFICS)})\.?\s+", re.I)

#: names of one place or body written several ways in news copy ("the U.S.", "the United
#: States", "America", "American officials"): a claim using one is not short of a name when the
#: evidence uses another. Written for the project; a multi-word form counts when all its words are
NAME_ALIASES = (
    ("us", "usa", "united states", "america", "american", "americans"),
    ("uk", "united kingdom", "britain", "british"),
    ("eu", "european union"),
    ("un", "united nations"),
    ("ussr", "soviet union", "soviet"),
)

#: titles written before a name ("President Trump", "Vice President Mike Pence"): with the name
#: itself in the evidence, the title is not a missing name
NAME_TITLES = frozenset(HONORIFICS) | frozenset(
    "vice prime senator representative governor mayor secretary chancellor king queen prince "
    "princess general judge justice chief ambassador speaker leader pope former premier".split()
)

#: words of a person's title before a name ("Councillor", "transport director", "agency head"):
#: with the name titles and role nouns, what ``factcheck.titles`` reads as a title
TITLE_WORDS = (
    *NAME_TITLES, *ROLE_NOUNS.split("|"), *"""councillor councilor councilman councilwoman alderman
    director executive officer head chair chairman chairwoman chairperson judge mayor commissioner
    inspector manager founder editor coach captain professor superintendent sheriff prosecutor
    attorney treasurer deputy ceo cfo""".split(),
)  # fmt: skip

# -- titles and sentence ends (newspaper style) -----------------------------------------------
#: small words a title-case title may keep in lower case (“Meet the Press”)
TITLE_MINOR_WORDS = {
    "a",
    "an",
    "the",
    "of",
    "and",
    "or",
    "in",
    "on",
    "at",
    "to",
    "for",
    "with",
    "by",
}

#: an abbreviation ending in a full stop does not end a sentence ("Mr.", "U.S.", "Sept.")
ABBREVIATION_END = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Adm|St|Jr|Sr|Inc|Corp|Co|Ltd|"
    r"vs|etc|U\.S|U\.N|U\.K|E\.U|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec|No|Mt|Ft|Pres|Rev)"
    r"|\b[A-Z])\.$"
)

# -- facts: numbers, dates, negation, content words (standard English lists) ------------------
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

#: words that carry no meaning of their own when comparing a claim with evidence
STOPWORDS = frozenset(
    """a an the and or but if of in on at to for from by with without about as into onto over
    under is are was were be been being has have had do does did it its this that these those
    he she they them his her their we our you your i me my not no so than then there here also
    which who whom whose what when where why how all any some such can could would should will
    may might must said says say told tell according just more most other after before since
    while during up out very only own same both each few again further once""".split()
)

#: words a speaker's name never ends with: a source span ending so ("their check by", "words
#: for future debate moderators" cut short) is a misread, not a speaker
NOT_SPEAKER_END = frozenset(
    """by from for with to of in on at about as into onto over under than and or but nor the a
    an""".split()
)

#: capitalised words that open sentences and are never names
SENTENCE_OPENERS = frozenset(
    """however furthermore moreover still meanwhile additionally overall finally yet thus
    therefore instead later earlier today yesterday tomorrow now first second third lastly
    instead nevertheless nonetheless although though despite because while whereas besides
    again already ultimately eventually currently recently previously subsequently even unless
    until perhaps maybe indeed actually every many several nobody everyone everybody someone
    somebody anyone anybody nothing everything something anything""".split()
)

#: capitalised words that start a line of a transcript or a question-answer pair, never a
#: name ("Q:", "A:", "Yes.", "Um,", "Let's"); with STOPWORDS, SENTENCE_OPENERS and NAME_TITLES,
#: what ``text.names`` drops from the front of a run of capitals
NOT_NAME_OPENERS = frozenset(
    """q a yes no oh okay ok um uh ah mm hmm well let i'll i'm i've i'd title answer question
    sentence evidence claim chairman chairwoman""".split()
)

#: last words of a company's name that news copy often leaves out ("Two Sigma Investments" is
#: "Two Sigma"): a claim's name is not short of a word when the evidence gives the rest of it
ORG_SUFFIXES = frozenset(
    "inc corp corporation co company companies ltd llc plc group holdings investments partners "
    "capital international".split()
)
#: endings that make a people or language of a place ("Nigeria"/"Nigerian", "India"/"Indian",
#: "Israel"/"Israeli", "Japan"/"Japanese", "China"/"Chinese") or an adjective of a name
#: ("Democrat"/"Democratic", "Islam"/"Islamic"): one name for the names check
DEMONYM_ENDINGS = ("ian", "an", "n", "ese", "i", "ish", "ic")
