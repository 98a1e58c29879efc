"""Word tables for recognising page furniture (bylines, datelines, captions, bios, reader
comments, stamps) and the names that report rather than act (outlets, agencies, time zones).
Data, kept apart from the rules that read it (storyline.stages.clean.furniture, .participants)."""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(w.strip() for w in text.split("|") if w.strip())


# News outlets and wire agencies by the names they go by in bylines, datelines and credits
# ("(Reuters)", "BBC News", "For CNN"), lower case. They report the news, they never take
# part in it, so they are never an event's participants either.
OUTLETS = _words(
    "afp|agence france-presse|agence france presse|reuters|thomson reuters|ap|associated press"
    "|the associated press|xinhua|xinhua news agency|tass|itar-tass|interfax|ria novosti|bloomberg"
    "|bloomberg news|dpa|efe|ansa|kyodo|kyodo news|yonhap|pti|press trust of india|ani|upi"
    "|united press international|bernama|antara|anadolu|anadolu agency|bbc|bbc news|bbc world"
    "|bbc world service|bbc news online|bbc radio|bbc world news|cnn|cnn.com|cnn international"
    "|fox|fox news|foxnews|foxnews.com|fox business|abc|abc news|cbs|cbs news|nbc|nbc news|msnbc"
    "|npr|pbs|sky|sky news|itn|itv|itv news|channel 4 news|al jazeera|al-jazeera|euronews"
    "|the guardian|guardian|the observer|the times|the sunday times|the telegraph"
    "|the daily telegraph|the independent|daily mail|the new york times|new york times"
    "|the washington post|washington post|washingtonpost|washingtonpost.com|the wall street journal"
    "|wall street journal|usa today|los angeles times|the los angeles times|financial times"
    "|the financial times|the economist|time magazine|newsweek|politico|huffington post"
    "|the huffington post|guardian.co.uk|reuters.com|bbc.co.uk|getty images|getty|epa"
    "|cnnmoney|cnnmoney.com|fortune"
)

# Time-zone abbreviations: a stamp's "BST" or "EDT" is tagged as an organisation by NER.
TIME_ZONES = _words(
    "gmt|utc|bst|cet|cest|eet|eest|wet|west|msk|est|edt|cst|cdt|mst|mdt|pst|pdt|akst|akdt|hst"
    "|ast|adt|nst|ndt|et|ct|mt|pt|ist|pkt|sgt|hkt|jst|kst|aest|aedt|acst|awst|nzst|nzdt|wib"
    "|pht|ict|gst|sast|cat|eat|wat|brt|art"
)

# Last words of a newsroom job: a byline's "Health and Science Editor", a bio's "is a
# staff writer".
JOB_WORDS = _words(
    "editor|editors|correspondent|correspondents|reporter|reporters|writer|writers|columnist"
    "|columnists|producer|producers|presenter|anchor|contributor|contributors|journalist"
    "|journalists|blogger|analyst|commentator|photographer|bureau chief|critic|researcher"
)

# What a contributor bio says its subject is, after "<Name> is a/an/the ...".
BIO_WORDS = _words(
    "editor|correspondent|reporter|writer|columnist|producer|presenter|anchor|contributor"
    "|journalist|blogger|commentator|author|fellow|professor|lecturer|director|founder"
    "|co-founder|analyst|economist|researcher|scholar|historian|novelist|consultant|partner"
    "|chairman|president|chief executive|ceo|member|adviser|advisor|expert|specialist|host"
)

# Capitalised words that open a sentence rather than continue a name: where a credit glued to
# the lead ("Photograph: <Name> As the oil spread ...") stops.
SENTENCE_OPENERS = _words(
    "The|A|An|As|In|On|At|For|But|And|It|He|She|They|We|This|That|When|While|After|Before|With"
    "|Of|Here|There|One|Two|Three|Some|Many|Most|If"
)

# First words of place names that run to two words ("New Orleans", "Los Angeles", "Port
# Louis"): a byline's place after its outlet ("BBC News, Washington <lead>") is one word
# unless it opens with one of these, since the lead that follows also starts capitalised.
PLACE_OPENERS = _words(
    "New|Los|Las|San|Santa|Santo|Sao|São|St|St.|Saint|Port|Fort|Grand|Baton|Hong|Abu|Buenos"
    "|Rio|Tel|Kuala|Cape|El|Le|La|Des|Salt|Palm|Corpus|Mexico|Costa|Puerto|Sri|Addis|Dar"
    "|Panama|Guatemala|Kansas|Oklahoma|Jersey|North|South|East|West|Upper|Lower|Gulf|Long|Lake"
)

# Lower-case words after which a capitalised word continues the sentence ("the Drug
# Enforcement ...", "said President ..."): no headline ends on one.
JOINING_WORDS = _words(
    "the|a|an|of|to|in|on|at|by|for|from|with|and|or|but|as|into|than|that|his|her|their|its"
    "|our|this|these|those|said|says|told|about|over|under|after|before|between|through|during"
    "|against|without|within|across|behind|near|like|whether|because|if|when|where|while|who"
    "|which|whose|what|is|are|was|were|be|been|has|have|had|not|most|many|some|all|every|each"
    "|both|any|no|more|several|few|other|new|former|late"
)

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
WEEKDAYS = (
    "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Tues|Wed|Thu|Thur"
    "|Thurs|Fri|Sat|Sun"
)
