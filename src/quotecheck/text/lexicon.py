"""The package's one lexicon: every word list and word pattern the deterministic code relies on.

Each entry says where it came from. Deterministic data only; imports nothing of the package.
Entries marked "newspaper style" were written for the project from house-style conventions;
"PolNeAR dev" ones were widened while reading errors on PolNeAR's dev split (never test).
"""

from __future__ import annotations

import re
from importlib import resources

# the fact words live in ``text/factwords.py`` (each module stays small) and are the lexicon's
from quotecheck.text.factwords import *  # noqa: F403

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

# -- facts: numbers, dates, negation, content words: in ``text/factwords.py``, imported above --

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
