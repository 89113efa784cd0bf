"""Customer-service cues: phrases in a message that a plain sentiment lexicon cannot see.

"Where is my order? It's been 3 weeks" carries no negative word, yet every shop owner reads it
as a complaint. `find_cues` spots such phrases (lateness and non-delivery, refund and cancel
demands, damage and defects, health and safety reports, wrong items, careless deliveries, a product
sold as vegan or free-from that is not, a broken
website, link or code, billing problems, repeat contact, threats, a scam, sarcasm, shouting, worry
about the order or whether it will arrive in time, urgency, a wish to reach a person, a request to
stop the emails, for the sender or someone else, a bereavement) and says, in words the owner
understands, what it saw.

Pure: no I/O, no clock, no environment. The patterns are compiled on first use, not at import.
Both the local sentiment engine (as extra negative weight) and escalation (as reasons) use it,
so a Comprehend reading gets the same reasons as a local one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Final

from chalicelib.domain.cue_gates import GATES


@dataclass(frozen=True)
class Cue:
    """One kind of customer-service signal found in a text."""

    kind: str  # stable id, e.g. "late", "refund", "threat_chargeback"
    reason: str  # what the owner reads, e.g. "asked for a refund"
    weight: float  # negative valence added by the local engine (VADER scale, about -4..0)
    match: str  # the text that matched, for explanations ("why was this flagged?")


# Every pattern here is compiled on first use, not at import (a cold start that reads no message compiles none):
# `_lazy(PATTERN)` compiles once and keeps it.
_lazy: Final = cache(re.compile)
_NUM: Final = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|couple of)"
_ORDER: Final = r"(?:order|parcel|package|delivery|box|item|items|stuff|cake|flowers|purchase|shipment)"
# Goods past their date ("the milk had expired"), not a payment card, code or link that has ("my card expired").
_NOT_FOOD: Final = ("card", "code", "link", "voucher", "coupon", "discount", "offer", "trial", "subscription",
                    "password", "session", "membership", "account", "promo")
# (The look-behinds follow "expired", so they run only where it matched, not at every position of every message.)
_EXPIRED: Final = (r"expired\b" + "".join(f"(?<!{noun} expired)(?<!{noun} has expired)(?<!{noun} had expired)"
                                          f"(?<!{noun}'s expired)(?<!{noun}s have expired)" for noun in _NOT_FOOD)
                   + r"(?! (?:" + "|".join(_NOT_FOOD) + r"))|out of date|past (?:its|the|their) "
                   r"(?:use|best|sell)[- ]?(?:by|before)")
_KIN: Final = (r"(?:mum|mom|mother|dad|father|husband|wife|partner|son|daughter|brother|sister|grandmother|grandfather"
              r"|gran|granny|nan|nana|grandma|grandad|grandpa|friend|best friend|aunt|auntie|uncle|baby|dog|cat|pet)")
# What was not received is a message, not the order ("I haven't received an order confirmation email"; "haven't
# had a reply" is the repeat kind, a refund the refund kind).
_NOT_THE_ORDER: Final = (r"(?! (?:an? |the |my |any |your )?(?:order |booking |payment |email |e-mail )?(?:confirmation"
                         r"|receipt|invoice|email|e-mail|reply|replies|response|answer|refund|code|link|password))")
# "Still waiting to try the second loaf" looks forward to a treat; "still waiting for my order" is late.
_NOT_A_TREAT: Final = (r"(?! to (?:try|taste|eat|open|use|dig|tuck|share|give|see (?:it|them) (?:on|at)"
                       r"|(?:hear|find out|know) (?:if|whether) (?:she|he|they|we|i) (?:can|could|may)))")
# "... the gluten free loaf definitely contained wheat": after a claim, what the product held.
_THEN_CONTAINS: Final = (r"[^.!?\n]{0,60}?(?<!n't )(?<!not )(?<!never )\b(?:contain(?:s|ed)?|had|has|have"
                         r"|made with|full of|tasted of|tastes of|listed|lists) (?:real |actual |some |definitely"
                         r" |obviously )?")
_ALLERGEN: Final = r"(?:nut|gluten|dairy|egg|milk|peanut|sesame|wheat|soy|soya|lactose|allergen|grain)"
_WEEKDAY: Final = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
# What they asked to be left out, and it wasn't: "I asked for no nuts on the cake and there were almonds on top".
_ASKED_NO: Final = (r"(?:asked|ordered|requested|specified|said|wrote|put) (?:for |specifically |clearly "
                    r"|in the notes )*(?:no|without) \w+(?: \w+)?[^.!?\n]{0,40}?\b(?:but|and|yet) (?:there (?:were"
                    r"|was)|it (?:had|has|came with|was covered|was full)|they (?:were|had|came)"
                    r"|the \w+ (?:had|has|were|was|came))\b")
# A label that got it wrong: "weren't labelled", "not listed", "doesn't mention sesame", "wasn't on the label" (or an
# allergen asked to be left out that wasn't).
_LABEL_WRONG: Final = (r"\b(?:" + _ASKED_NO + r"|(?:weren't|wasn't|not|isn't|aren't|never) (?:properly |clearly )?"
                       r"(?:labell?ed|listed|declared|mentioned)|(?:doesn't|does not|didn't|did not) (?:mention|list"
                       r"|declare|say)\b[^.!?\n]{0,40}?\b(?:but|yet)\b|(?:wasn't|was not|isn't|is not|weren't|not)"
                       r" (?:on|in) the (?:allergen |ingredients? )?(?:label|ingredients|packet|packaging|list))\b")
# What a vegan or free-from product should not hold.
_NOT_FREE: Final = (r"(?:butter|milk|dairy|cream|cheese|whey|eggs?|nuts?|peanuts?|almonds?|gluten|wheat|meat|pork|beef"
                    r"|chicken|bacon|gelatine|gelatin|honey|fish|anchov\w*)\b")
# "yet" said as a hedge ("it hasn't shipped yet according to my account", "... yet I don't think"): not a late order.
_HEDGED_YET: Final = r" yet,? (?:according to|i don't think|i dont think|i think|as far as)"
_SKIN: Final = r"(?:finger|fingers|thumb|thumbs|hand|hands|face|skin|arm|arms|leg|legs|foot|feet|toe|toes|eye|eyes)"
_BODY: Final = r"(?:" + _SKIN[3:-1] + r"|mouth|lip|lips|tongue|tooth|teeth|gums?|throat)"

# A symptom in someone, now: "my face is swelling up after using the balm", "my skin's gone blotchy and I feel a bit
# faint", "he's coughing", "she's drooling and won't eat" (a `safety` cue only with the goods in the message:
# `_symptom_with_goods`).
_SYMPTOM: Final = (
    # ("my tongue feels tingly and my lips are a bit puffy", after probe 40)
    r"(?:(?:face|lips?|tongue|throat|eyes?|skin|hands?|mouth|paws?)(?:'s| is| are| has| have| had| feels?| felt"
    r"| looks?| looked)?(?: a bit| a little| really| very| quite| so| slightly)?(?: gone| been"
    r"| started| starting| all| went| went all| got| got all)? (?:swelling|swollen|swelled|puffy|tingly|tingling"
    r"|blotchy|red raw|all red"
    r"|gone red|blistered|blistering)"
    r"|(?:feel|feeling|felt|went|going|got|get|i'm|am) (?:a bit |really |very |quite |so )?(?:faint|dizzy"
    r"|light-?headed|woozy|wheezy|breathless)"
    r"|(?:he's|she's|he is|she is|they're|(?:dog|cat|kitten|puppy|baby|son|daughter|partner|husband|wife|little one"
    r"|toddler)(?:'s| is)) (?:now |just |started |been |still )?(?:very |really |so |quite |a bit |a little )?"
    r"(?:\w+ and )?"
    r"(?:drooling|wheezing|coughing|vomiting|choking|being sick|throwing up|lethargic|fitting|shaking|trembling"
    r"|floppy|drowsy|unresponsive|very sleepy|not (?:himself|herself|themselves)))\b"
)
# The shop's premises, seen by a neighbour or a passer-by now: "your farm shop door is wide open and the alarm's going",
# "your alarm has been going for an hour", "water pouring out from under your shop door", "two blokes trying to get the
# shutter up with a crowbar" (not "is the shop open on Monday?", "your shop door was open on Saturday so I popped in",
# nor a police note about break-ins in the area). A safety report that escalation makes urgent by itself.
PREMISES_NOW: Final = (
    r"your (?:\w+ ){0,2}?(?:shop|unit|workshop|studio|premises|store|bakery|barn|warehouse|garage|stall|lock-?up)"
    r"(?:'s)? (?:\w+ )?(?:door|doors|shutters?|gate|window|windows)(?:'s| is| are| has been| have been)"
    r" (?:wide open|smashed|broken|kicked in|forced|jemmied|hanging off)"
    r"|your (?:\w+ ){0,2}?alarm(?:'s| is| has been|s been| keeps) (?:going|ringing|sounding|blaring)"
    r"|water (?:is )?(?:pouring|gushing|coming|streaming|flooding|running) (?:out )?(?:from |of |through )?"
    r"(?:under )?your (?:\w+ ){0,2}?(?:shop|unit|workshop|studio|door|front door|shutter|roof|premises)"
    r"|(?:shutter|door|window|lock|gate|padlock)s? (?:\w+ ){0,2}?with a (?:crowbar|jemmy|sledgehammer|angle grinder)"
)
# kind -> (reason, engine weight, guard (`_GUARDS`: what, just before a match, cancels it), pattern on the
# lower-cased text)
_CUE_TABLE: Final[tuple[tuple[str, str, float, str, str], ...]] = (
    (
        "late",
        "says the order is late or has not arrived",
        -2.4,
        "",
        r"where(?:'s| is| are)? (?:my|our|the) " + _ORDER + r"|where(?:'s| is) (?:it|it all|everything)\?"
        + r"|still no " + _ORDER
        + r"|waited (?:\w+ ){0,2}?(?:weeks?|days?|months?) for ['\"]?(?:next[- ]day|express|priority|24[- ]?hour)"
        # "another week without my parcel"; "paid £30 for 'next day' and it's day four"
        + r"|(?:another|a|one|two|three|\d+) (?:more )?(?:days?|weeks?|months?) without (?:my|our|the|any) " + _ORDER
        + r"|(?:next[- ]day|express|priority)['\"]? (?:delivery |shipping |postage )?and (?:it's|its|it is|now"
        r"|we're on) (?:day|working day) (?:three|four|five|six|seven|eight|nine|ten|[3-9]|1\d)\b"
        + r"|still (?:waiting" + _NOT_A_TREAT + r"|not here|nothing|no sign|not (?:arrived|shipped|received|delivered))"
        # "thanks for the apology but I still don't have my order"
        + r"|still (?:don't|do not|haven't|have not|not) (?:got |have |received |had )?(?:my|the|our) " + _ORDER
        + r"|(?<!if it )(?<!if )(?:never|hasn't|has not|haven't|have not|hasnt|havent|didn't|did not|not yet"
        + r"|still not) "
        + r"(?:been )?(?:arrived?|came|come|turned up|turn up|shown up|received|got(?:ten)?|delivered|shipped"
        + r"|dispatched)"
        # "Please update the address for order #4471. It hasn't shipped yet according to my account.": the reason a
        # change can still be made, not a late order
        + r"(?!(?<=shipped)" + _HEDGED_YET + r")(?!(?<=dispatched)" + _HEDGED_YET + r")"
        + _NOT_THE_ORDER + r"|(?:not|never) (?:received|delivered|arrived)" + _NOT_THE_ORDER
        # asked the other way round: "Why hasn't it shipped yet? I ordered two weeks ago."
        + r"|(?:hasn't|hasnt|haven't|havent) (?:it|they|my (?:order|parcel|package|box)|the (?:order|parcel|package"
        r"|box)) (?:been )?(?:arrived?|came|come|turned up|shown up|shipped|dispatched|sent|gone out)"
        # in simpler English: "I am not receive my order until now", "my order is where? 10 days waiting"
        + r"|(?:not|never) (?:yet )?(?:receive|receiving|arrive) (?:my|the|our) " + _ORDER
        + r"|" + _ORDER + r" is where\b"
        + r"|(?:it's|it has|its|it is|that's|now) (?:been )?(?:over |more than |almost |nearly )?" + _NUM
        + r" (?:days?|weeks?|months?|fortnights?)(?!,? (?:and|but) (?:i'm|i am|we're|we are|i|we) still (?:not over"
        + r"|thinking|dreaming|talking|raving))(?! since (?:our|my|the|we|i)\b)"
        # "two weeks now"; "10 days and nothing", "two weeks and counting"
        + r"|\b" + _NUM + r" (?:(?:days?|weeks?) (?:now|(?:of )?waiting\b)|(?:days?|weeks?|months?) (?:on|later|now)?,?"
        + r" ?(?:and|&)"
        + r" (?:still |yet )?(?:nothing|counting|no (?:sign|word|parcel|order|package|delivery)))"
        + r"|(?:been )?waiting (?:for )?(?:over |more than |almost |nearly )?" + _NUM + r" (?:days?|weeks?|months?)"
        + r"|(?:taking|taken|takes|took) (?:so|too|far too|way too|this) long"
        + r"|(?:took|taking|taken|takes) (?:over |more than |almost |nearly )?" + _NUM + r" (?:days?|weeks?|months?)"
        + r"|(?:supposed|meant|due|promised) to (?:arrive|be delivered|ship|come)"
        # "the cupcakes were meant to be here by 11 for the party", "the flowers ... are nowhere"
        + r"|(?:were|was|is|are) (?:meant|supposed|due) to (?:be here|arrive|be delivered|come) (?:by|at|before)"
        + r" (?:\d{1,2}(?:[:.]\d\d)?(?: ?[ap]m)?|noon|lunch(?:time)?|this morning)\b"
        + r"|(?:was|were) (?:meant|supposed|due) to (?:be here|arrive|be delivered|come) (?:today|yesterday)\b"
        + r"|where\. is\. my\. (?:order|parcel|package)|it's been (?:nine|ten|eleven|twelve|\d+)(?=\s*[.!])"
        + r"|(?:tracking|it) (?:just |still )?(?:says|said|shows) ['\"]?delayed"
        + r"|(?:" + _ORDER + r"s?|it|they) (?:is|are) (?:still )?nowhere(?! near| close)(?: to be (?:seen|found))?\b"
        + r"|still (?:isn't|is not|aren't|are not|isnt) here"
        # a collection nobody was there for: "I've been stood outside your shop for 25 minutes and it's locked"
        + r"|(?:stood|standing|waiting|been waiting) outside (?:your|the) (?:shop|bakery|store|unit|door)"
        + r"|(?:next[- ]day|express|priority|guaranteed)\b(?:[^.!?\n]|\.(?=\d)){0,60}?\bmeans? next week"
        + r"|(?:arrived|came|turned up|delivered) after the (?:wedding|party|birthday|event|funeral|christening|date"
        + r"|big day|do)\b"
        + r"|(?:dispatched|delivered|arrives?|shipped|ships)(?: within| in)? (?:\d+|one|two|three)(?:-\d+)?"
        + r" (?:working )?days?['\"]? (?:means?|meant|is actually) (?:\d+|two|three|a|several) weeks?"
        + r"|said (?:\d{1,2}(?:[:.]\d\d)? ?(?:am|pm)?|noon)[,.]? (?:and )?(?:it's|its|it is) now \d{1,2}"
        + r"|where are (?:the|my|our) (?!\w+ (?:made|from|based|sold)\b)\w+(?:\s*[.!?]|$)"
        # "Delivery was meant to be Thursday and it's Saturday now"
        + r"|(?:delivery|order|parcel|it) (?:was|is) (?:meant|supposed|due) to be (?:here |with me |delivered )?"
        + r"(?:on |by )?"
        + r"(?:" + _WEEKDAY + r"|yesterday|last week)\b"
        # "Tracking has said 'out for delivery' for 6 days", "the courier says you never handed it over"
        + r"|(?:said|says|shown|showing|shows|stuck on|stuck at|been on) ['\"]?(?:out for delivery|in transit"
        + r"|dispatched"
        + r"|processing|label created|awaiting collection)['\"]? for (?:\d+|two|three|four|five|six|seven|several"
        + r"|a few|over a) (?:days|weeks|week)"
        + r"|never (?:handed|gave) (?:it|them|the (?:parcel|package|order)) (?:over|to them|to the courier)"
        + r"|promised (?:delivery|it|me|for|by|on)\b|(?:days?|weeks?|months?) of waiting"
        + r"|(?:tracking|status) (?:has ?n[o']t|hasn't|still|doesn't|does not|isn't)"
        + r" (?:updated|changed|work|moved|says)"
        + r"|(?:lost|missing) (?:my |the |our )?(?:order|parcel|package|delivery)"
        + r"|(?:order|parcel|package|delivery) (?:is|was|got|has been) (?:lost|missing|late|delayed)"
        + r"|(?:shows?|says|marked) (?:as )?delivered"
        + r"|arrived late|late again|(?:an|one|two|three|\d+) hours? late\b"
        # "must be nice to take people's money and not send anything"; "so I'm just supposed to wait forever?"
        + r"|(?:take|took|taking|taken) (?:my|our|people's|peoples|ppls|ppl's|customers'?) money and (?:not|never"
        + r"|don't|dont|didn't|didnt)"
        + r" (?:send|deliver|post)"
        + r"|(?:supposed|expected|meant) to (?:just )?(?:keep )?wait(?:ing)? (?:forever|for ever|indefinitely)"
        + r"|(?:is|was|it's|its|now|been|but|came|arrived|turned up|delivered) (?:now )?(?:over |more than |almost "
        + r"|nearly )?" + _NUM + r" (?:days?|weeks?) late\b"
        # the day it was for has gone: "I needed it for today", "I'd rather just have my order"
        + r"|(?:i|we) needed (?:it|them|this|the \w+) (?:for|by|before) (?:today|yesterday|this morning|last night"
        + r"|the (?:party|wedding|weekend|event|birthday|funeral|christening|meeting))\b"
        + r"(?![^.!?\n]{0,40}\b(?:in time|on time|made it|got here|arrived|came)\b)"
        + r"|(?:i'd|i would|we'd|we would) (?:much )?rather (?:just )?(?:have|get|receive) (?:my|our|the) " + _ORDER
        + r"|(?:arrived|came|turned up|delivered) (?:over |more than )?" + _NUM
        + r" (?:days?|weeks?) (?:late\b|after (?:it was due|the (?:date|party|wedding|birthday|event)))"
        # "paid for next day delivery, arrived three days later" (not "it arrived two days later, brilliant")
        + r"|(?:next[- ]day|express|priority|guaranteed|timed) (?:delivery|shipping|post)\b[^.!?]{0,80}\b(?:arrived"
        + r"|came|turned up|got here|delivered) (?:over |more than )?" + _NUM + r" (?:days?|weeks?) later"
        + r"|(?:still )?no (?:update|tracking|sign of)|no (?:word|news) (?:on|about|of) (?:my |the |our )?(?:\w+ )?"
        + r"(?:" + _ORDER[3:-1] + r"|replacement)\b"
        # "the courier said 1pm, any chance you know where he's got to?"
        + r"|(?:know|tell me|idea|find out|wondering) where (?:it|he|she|they|the (?:courier|driver|parcel|order"
        + r"|delivery|van|package))(?:'s| has| is| have)? (?:got to|gone)"
        + r"|\bnothing yet\b|\bstill nothing\b|nothing (?:has |have )?(?:arrived|come|turned up|been delivered)"
        # a collection nobody was there for: "nobody was at the shop, I waited 40 minutes"
        + r"|(?:nobody|no one|no-one|nobody's|no one's) (?:was |is )?(?:at|in) the (?:shop|store|bakery|counter|stall"
        + r"|collection point)|(?<!only )(?<!never )(?:waited|waiting|stood) (?:outside |there |at the (?:shop|door) )?"
        + r"(?:for )?(?:over |more than |nearly |almost )?(?:[2-9]\d|1[5-9]|\d{3}|twenty|thirty|forty|forty-five|fifty"
        + r"|ninety) (?:minutes|mins)\b"
        # an attempt that wasn't: "the courier said he tried to deliver but I was home all day and nobody knocked"
        + r"|(?:nobody|no one|no-one) (?:even )?(?:knocked|rang the (?:bell|doorbell)|came to the door)"
        + r"|(?:didn't|did not|never) (?:even )?(?:knock(?=[.,;:!?]| on | at | and | but | or | before |$)"
        + r"|ring the (?:bell|doorbell)|try to deliver)"
        + r"|(?:said|says|claims|claimed) (?:he|she|they|the (?:driver|courier)) (?:tried|attempted) to deliver"
        # left somewhere and gone: "they say it was left in the porch but I can't find the parcel anywhere"
        + r"|(?:can't|cannot|couldn't|could not|can not) find (?:the|my|our) (?:parcel|package|order|delivery|box)"
        + r"(?: anywhere)?\b(?! (?:on|in|at) (?:your|the) (?:website|site|shop|menu|app|list|page))",
    ),
    (
        "refund",
        "asked for a refund",
        -2.2,
        "",
        r"(?<!thanks for the )(?<!thank you for the )(?<!received the )(?<!got the )(?<!got my )"
        r"(?<!received my )(?<!quick )\brefund(?:ed)?\b(?! (?:policy|has arrived|came through|arrived"
        r"|(?:did|has|have) (?:come|gone) through|went through))"
        r"|money back|return (?:my |the |our )?money|reimburse|compensat|credit note"
        r"|(?:want|need|expect) (?:my |the )?(?:[£$€]\d+(?:\.\d\d)?|\d+ (?:pounds|quid|dollars|euros)) back"
        r"|(?:delivery|postage|shipping) (?:charges? |costs? |fee )?(?:back|refunded)",
    ),
    (
        "cancel",
        "wants to cancel",
        -1.2,
        "passive or negated",  # "my order has been cancelled" is the next kind; "I didn't cancel it!" is no wish
        # (not a newsletter, nor their own bank card: "my card was stolen so I cancelled the card")
        r"\bcancel(?:l?ing|l?ed)?\b(?! (?:my|the|your)? ?(?:newsletter|mailing|email))"
        r"(?! (?:my |the |that |the old |my old )?(?:bank |credit |debit )?card\b)"
        r"(?<!\bthe cancelled)(?<!\bthe canceled)(?<!\ba cancelled)(?<!\bmy cancelled)",
    ),
    (
        "cancelled",
        "says their order was cancelled",
        -2.0,
        "negated",  # "it hasn't been cancelled, has it?" asks
        r"(?:has been|have been|was|were|got|had been|been) (?:\w+ )?cancell?ed"
        r"|(?:says|say|shows|show|showing|marked|listed) (?:as )?cancell?ed"
        r"|(?:saying|says|said|telling me) (?:that )?(?:it's|it is|it was|it has been|my order is|the order is|my order"
        r" has been|the order has been) cancell?ed"
        r"|you(?:'ve| have)? cancell?ed (?:my|our|the|it)"
        r"|(?:emailed|e-mailed|written|wrote|messaged|told me|said) (?:me )?(?:to say )?(?:that )?you (?:can't|cannot"
        r"|won't|will not) (?:do|make|deliver|bake|fulfil) (?:my|our|the)",
    ),
    (
        "damage",
        "reports damaged or faulty goods",
        -2.2,
        "negated or feared",  # "not a crumb broken"; "worried it would get squashed, but it was perfect"
        # "smashed", not "you absolutely smashed it" (nailed it)
        # (nor a product: "a bag of broken biscuits", "smashed avocado")
        # (nor a recipe's word: "cracked black pepper", "crushed raspberry jam", "melts in the mouth", "dead good")
        r"\b(?:broken(?! biscuits? (?:bags?|box|boxes|tins?|packs?)\b)(?<!bag of broken)(?<!box of broken)"
        r"(?<!tin of broken)(?<!pack of broken)|broke(?! the internet)"
        r"|smashed(?! (?:avocado|avo|potato(?:es)?|peas|burgers?|cucumbers?|(?:\w+ )?bark)\b)(?<!absolutely smashed)"
        r"(?<!totally smashed)"
        r"(?<!you smashed)(?<!you've smashed)(?<!you have smashed)(?<!really smashed)(?<!proper smashed)"
        r"|shattered|cracked(?! (?:black |white |pink )?(?:pepper|peppercorns?|wheat|freekeh|bulgur|corn|oats|barley"
        r")\b)(?<!you cracked)(?<!you've cracked)|crack|chipped|damaged|dented"
        r"|crushed(?! (?:raspberr\w*|strawberr\w*|berr\w*|nuts?|pistachios?|almonds?|hazelnuts?|walnuts?"
        r"|peanuts?|garlic|chill?i\w*|ice|biscuit base|velvet|peppercorns?|pepper|seeds?"
        r"|cardamom|coriander|cumin|fennel|tomato\w*|potato\w*|peas)\b)(?<!you crushed)(?<!you've crushed)"
        r"(?<!absolutely crushed)(?<!totally crushed)|squashed|snapped"
        r"|leak(?:ed|ing)|melted(?! in (?:the|your|my|our) mouths?)|ruined|destroyed|defective|faulty|torn|ripped|stale"
        r"|mou?ldy|wilted"
        r"|dead(?! (?:good|nice|tasty|lovely|chuffed|happy|easy|quick|fast|excited|impressed|pleased|proud|cute|funny"
        r"|on(?! arrival)|right|keen|yummy|delicious|brilliant|handy|simple|gorgeous|popular|moreish|tasty)\b)"
        r"|rotten|scratched|stained|shrank|shrunk|blurry|pixelated|squished|collapsed|soggy|mushy|warped"
        # "so much black smoke it's left marks on my ceiling", "a small crease in the corner", "is it a dud?", "the
        # treats smell a bit off and one has white fuzz on it"
        r"|(?:black|thick|sooty) smoke|soot marks|creased|a (?:small |big |large |deep |bad )?crease (?:in|on|across)"
        r"|a dud|(?:smells?|smelt|smelled|tastes?|tasted) (?:a bit |a little |slightly |really |very )?(?:off|rancid"
        r"|fermented)\b|(?:smelt|smelled) (?:a bit |really |very )?sour|(?:was|is|were|are|gone) fizzy"
        r"|(?:white|green|blue|grey|gr[ae]y) fuzz|unravel\w*"
        r"|in (?:about |like |roughly )?(?:\d+|two|three|four|five|six|seven|eight|several|many|a million) pieces"
        r"|(?:arrived|came|turned up|got here|was delivered|were delivered) in (?:bits|pieces)"
        r"|won't stay lit|(?:keeps|kept) going out|sinkholes?|tunnell?ing"
        r"|arrived (?:warm|hot|melted|defrosted|thawed)|ice ?packs? (?:was|were) (?:just )?(?:water|melted)"
        # "the dress fell apart at the seams the first time I wore it", "the stitching is coming off already"
        r"|(?:fell|falling|came|coming) apart(?<!things fell apart)(?<!things are falling apart)"
        r"|(?:stitching|seams?|hem|strap|handle|sole|buttons?) (?:is |are |has "
        r"|have |was )?(?:already )?(?:coming|came|come) (?:off|undone|loose|away)"
        # a returned or used item sold again: "the soap I got was clearly used"
        r"|(?:clearly|obviously|definitely) (?:been )?(?:used|worn)\b|already been (?:used|worn)"
        r"|soaked through|sodden"
        r"|(?:was|were) (?:soaked|soaking wet|drenched|wet through)"
        r")\b|(?:icing|frosting|writing|lettering|message|decoration|print|name)s? (?:\w+ ){0,2}(?:smudged|smeared)"
        r"|(?:box|lid|cake|top|side|sponge|tier)s? (?:\w+ )?(?:had )?caved in"
        r"|(?:cake|icing|decoration|tier|topper)s? (?:\w+ )?(?:had )?(?:slid|slipped|toppled|fallen|fell)"
        r"|upside down|exploded(?! in popularity)|burst open"
        # "the cake arrived as a pancake", "flat as a pancake" (a squashed cake, not pancakes on the menu)
        r"|flat as a pancake|(?:arrived|came|turned up) (?:as|like) a pancake"
        # cooking gone wrong ("a really burnt bottom, like charcoal"), not "burnt sugar" or "burnt my hand" (safety)
        r"|(?:burnt|burned) (?:bottom|base|top|crust|edges?|underneath|to a crisp)"
        r"|(?:bottom|base|top|crust|edges?) (?:was|were|is|are) (?:\w+ )?(?:burnt|burned)|undercooked"
        r"|(?:cookies|biscuits|brownies|bread|loaf|loaves|cake|pastries|croissants|scones|pie|pies|muffins|rolls)"
        r" (?:was|were|came|arrived) (?:a bit |slightly |really |completely |totally |all )?(?:burnt|burned"
        r"|over-?baked)\b"
        r"|raw in the middle|(?:rock|stone) hard"
        # "Cake is dry and not fresh"
        r"|(?:cake|sponge|bread|loaf|brownies?|scones?|muffins?|cookies|pastry|pastries|croissants?|meat|chicken)"
        r" (?:is|was|were|are) (?:a bit |very |really |so |quite |too |bone |rather |incredibly )?dry\b"
        r"|(?:is|was|were|are|and) not (?:very )?fresh\b"
        # spoiled: "I think it had gone off", "the cream tasted off"
        r"|(?:had|has|have|it's|it has|it had|must have|they'd|they've|they had|they have) (?:already )?(?:gone|turned)"
        r" (?:off|sour|bad|rancid)\b"
        r"|(?:tasted|tastes|smelled|smelt|smells|smelling|tasting) (?:a bit |slightly |really )?(?:off|rancid)\b"
        r"(?! (?:the (?:charts|scale)|and on))"
        r"|(?:bottle|jar|bag|box|packet|carton|pouch|tin) (?:had )?burst|" + _EXPIRED
        # cheap metal: "the necklace turned my neck green after one day"
        + r"|turned (?:my|her|his|their) (?:neck|finger|fingers|skin|ears?|wrist|hand) (?:green|black|blue)\b"
        # mould: "there's mould on the bread I bought this morning" ("mouldy" is above); not a baking tin ("the cake
        # mould you recommended") nor "break the mould" (checked after the word, which is rare, not before every word)
        + r"|mou?ld\b(?! (?:tin|tins|pan|pans|maker|making)\b)(?<!cake mould)(?<!cake mold)(?<!silicone mould)"
        r"(?<!silicone mold)(?<!the mould)(?<!the mold)(?<!a mould)(?<!a mold)(?<!this mould)(?<!this mold)"
        r"|(?:the|a|this) mou?ld (?:on|in|all over|growing|under|inside)\b(?<!the mould in)(?<!the mold in)"
        + r"|(?:doesn't|does not|don't|won't|will not|isn't|stopped|not|never)"
        r" (?:work|working|charge|charging|turn on)",
    ),
    (
        "safety",
        "reports a health or safety problem",
        -3.0,
        "negated",  # "no allergic reaction, thank goodness" is no report
        # someone was harmed, or could have been: an allergy, food poisoning, something sharp or foreign in food,
        # an injury or a burn, a product that shocks or catches fire, an allergen the label did not declare
        # someone who has fallen and cannot get up, writing from where they lie ("i have fallen in the kitchen and cant
        # reach the phone, i only have the tablet"): no goods needed
        # ("i fell in the kitchen and i cannot get up" too; not a fall long ago: "i fell on the stairs last year so i
        # can't reach the door quickly", "... and still can't get up the stairs without help")
        r"(?:i've|i have|ive|i) (?:had a )?(?:fall(?:en)?|fell) (?:over |down )?(?:in|on) (?:the|my) (?:kitchen"
        r"|stairs|floor|bathroom|garden|hall|landing|bedroom)\b"
        r"(?:(?!last (?:year|month|week|winter|summer|spring|autumn)|\bago\b|\bsince\b|\bstill\b)[^\n]){0,80}?"
        r"(?:can't|cant|cannot|can not) (?:get up(?! the | those | to | early| in the| and down| and about)"
        r"|reach|move)|"
        + PREMISES_NOW + "|"
        r"allergic reaction|anaphyla\w*|(?:use|used|using|needed|need|get|grab|grabbed|give|gave)"
        r" (?:his|her|my|their|an|the|our) epi-?pen|food poisoning|salmonella|listeria"
        r"|(?:made|has made|have made) (?:me|us|him|her|them|my \w+|everyone|the (?:kids|children|family))"
        r" (?:so |really |very |violently )?(?:ill|sick|vomit\w*|throw up|poorly|unwell)"
        # (not from eating too much of it: "we were all sick from eating too much cake, worth it!")
        # "a headache and feel dizzy after burning the new candle"
        r"|(?:headaches?|dizzy|dizziness|nausea|nauseous|light-?headed|sore throat|coughing|chest pains?)\b"
        r"[^.!?\n]{0,30}?\b(?:after|from|since) (?:burning|lighting|using|eating|wearing|applying|drinking)\b"
        r"|(?:ill|sick|poorly|unwell|vomiting|threw up|throwing up) (?:after|from) (?:eating|drinking|using|wearing"
        r"|taking|trying)(?! (?:too much|so much|far too|way too|the whole|all of|so many|too many))"
        # taken ill soon after ("we were all sick the next morning"), not "I was sick last week, sorry for the delay"
        # "exactly the size my 1 year old could choke on"; pests in food; "a long hair baked right into the sponge";
        # "the tin is bulging at the lid, isn't that a botulism thing?"
        r"|could (?:easily )?choke on|weevils?|maggots?|cockroach(?:es)?|(?:mouse|rat|rodent) droppings"
        r"|(?:moths?|slugs?|snails?|worms?|flies|ants|beetles?|insects?|bugs?) (?:crawling )?in (?:the|my|a|your)"
        r" (?:bag"
        r"|box|salad|flour|bread|food|jar|tin|packet|pack|cake|granola|cereal|tea|coffee|rice|oats)\b"
        r"|(?:smell(?:s|ed|ing)?|stank|stink\w*) (?:like|of) burn(?:ing|t) (?:plastic|rubber|wires?|electrics?)"
        r"|hairs? (?:\w+ ){0,2}?(?:baked|cooked|stuck) (?:right )?(?:in|into|inside)\b|botulism"
        r"|(?:tin|can|lid|jar|pouch|pack)s?\b[^.!?\n]{0,20}? (?:is |are |was )?bulging"
        r"|bulging (?:tin|can|lid|jar|pouch)"
        # "a bead came off in my baby's mouth", "could have choked"
        r"|came (?:off|loose|out) in (?:my|her|his|their|our) (?:\w+'s )?mouth|choking (?:hazard|risk)"
        r"|(?:could have|could've) choked"
        # mould found after some was eaten: "mould under the icing, we'd already eaten some before we noticed"
        r"|(?:mou?ld|mou?ldy)\b[^.!?\n]{0,60}?\b(?:already|had|'d) (?:eaten|ate|had) (?:some|a slice|a bit|half|a piece"
        r"|it)\b"
        # "now been up all night being sick, so has my wife"
        r"|up all night (?:being sick|vomiting|throwing up|with (?:food poisoning|diarrh\w*|stomach cramps))"
        r"|(?:was|were|got|been|fell|felt|became) (?:all |both |really |very |violently |so |quite )?(?:ill|sick|poorly"
        r"|unwell) (?:the (?:next|following) (?:morning|day|night)|that (?:night|evening)|overnight|all night"
        r"|within (?:hours|an hour|the hour|a few hours))"
        r"|(?:upset stomach|stomach ?(?:ache|upset|bug|cramps|pains?)|tummy ?(?:ache|upset|bug|pains?)|diarrh\w*)"
        r" (?:after|since|from) (?:eating|drinking|having|trying)"
        r"|(?:stomach|tummy)(?:'s| has| is| was)? (?:been )?(?:upset|bad|awful|cramping|churning) (?:ever )?"
        r"(?:since|after) (?:eating|having|trying|we|i|he|she|they)\b"
        r"|(?:rushed|taken|went|had to go|ended up) (?:in|to) (?:the )?(?:hospital|a ?& ?e|a and e|emergency room"
        r"|emergency|er)\b"
        r"|(?:piece|bit|shard|chunk|fragment|sliver|splinter)s? of (?:what (?:looks|looked|seems|seemed) like )?"
        r"(?:broken )?(?:glass|metal|wire)"
        r"|(?:piece|shard|chunk|fragment|sliver|splinter)s? of (?:hard |sharp )?plastic"
        r"|(?:bit|piece|chunk|shard|sliver)s? of (?:what (?:looks|looked|feels|felt|seems|seemed) like )?"
        r"(?:hard |sharp |clear |blue |white |black )?plastic (?:\w+ )?(?:in|inside|baked into|stuck in|embedded in)\b"
        # ("found a long black hair baked into the middle of my brownie")
        r"|(?:found|there's|there is|there was|there were) (?:a |an |some |two |several )?(?:\w+ ){0,2}?(?:hair|hairs"
        r"|insect|insects|fly|flies|maggots?|worms?|cockroach(?:es)?|beetles?|wasps?|spiders?|slugs?|moths?"
        r"|caterpillars?|weevils?|glass|stone|screw|nail|staple|plaster|metal|blade|razor blade)"
        r" (?:in|inside|baked into|stuck in) "
        r"(?:the|my|our|it|your|this|that|a|one|some|them|mine)\b"
        # "a sewing needle inside the cushion I bought for my baby's nursery"
        r"|needles? (?:left )?(?:in|inside|stuck in) (?:the|my|her|his|a|our) (?:\w+ )?(?:cushion|toy|teddy|pillow"
        r"|blanket|jumper|cardigan|dress|shirt|garment|clothes|lining|seam|stuffing|bread|loaf|cake|food)"
        # "the loaf that had metal in it", "the first one had glass in it"
        r"|(?:had|has|with|contained|containing|full of) (?:a |an |some |bits of |pieces of |a bit of |a piece of )?"
        r"(?:broken |tiny |small |sharp |long )?(?:glass|metal|wire|screws?|nails?|staples?|stones?|insects?|maggots?"
        r"|cockroach(?:es)?|weevils?|hairs?) (?:in|inside|baked into) (?:it|them|the|my)\b"
        # an injury to the teeth ("chipped a tooth on a stone in the loaf")
        r"|(?:chipped|cracked|broke|broken|lost|damaged) (?:a|my|his|her|their|our|two|\w+'s) (?:front |back )?(?:tooth"
        r"|teeth|filling|crown)"
        r"|(?:nearly|almost) swallowed(?! my (?:tea|coffee|drink|water|wine|gum|tongue)\b)"
        r"|chok(?:ed|ing) on (?:a |the )?(?:piece|bit|shard|fragment|stone|pip|bone)"
        r"|electric shock|caught fire|burst into flames|broken glass|glass (?:went )?everywhere"
        # a chemical taste or smell in food: "this cake tastes like soap"
        r"|(?:tastes?|tasted|tasting|smells?|smelled|smelt) (?:strongly |really |a bit |slightly )?(?:like|of) (?:soap"
        r"|bleach|chemicals?|petrol|diesel|paraffin|white spirit|washing[- ]up liquid|cleaning (?:products?|fluid"
        r"|spray)|disinfectant|detergent)\b"
        # a pet that got at something harmful to it ("my dog ate the whole bag, he loves them" is no report)
        r"|(?:dog|cat|puppy|kitten|pet) (?:ate|has eaten|swallowed|chewed|got into) (?:\w+ )?(?:of )?(?:the |my |some "
        r"|a |an |one |two )?(?:\w+ )?(?:chocolates?|raisins?|grapes?|xylitol|onions?|garlic|macadamias?|candles?|wax"
        r"|soap|batter(?:y|ies)|beads?|string|ribbon|plastic|packaging|silica|sachets?|lil(?:y|ies)|poinsettias?"
        r"|daffodils?|bulbs?)\b"
        r"|(?:cut|injured|hurt) (?:my|his|her|their|our) " + _BODY
        # a burn from the goods, not a tongue burnt on a hot pie ("he couldn't wait, that's how good it smelled")
        + r"|(?:burn(?:ed|t)|scald(?:ed)?) (?:my|his|her|their|our) (?:\w+'s )?" + _SKIN
        # an allergen the label leaves out: "the label on the torte doesn't mention hazelnuts but the description does"
        + r"|(?:label|packaging|packet|ingredients? list|sticker)\b[^.!?\n]{0,30}?\b(?:doesn't|does not|didn't|did not"
        r"|don't|do not) (?:mention|list|say|include|declare|show)\b[^.!?\n]{0,20}?\b(?:nuts?|hazelnuts?|peanuts?"
        r"|almonds?|walnuts?|pecans?|cashews?|pistachios?|sesame|milk|dairy|eggs?|gluten|wheat|soy|soya|mustard|celery"
        r"|lupin|fish|shellfish|sulphites)\b"
        # a taste that should not be there ("a strange metallic taste when I drink tea from it")
        r"|(?:metallic|chemical) (?:taste|tang|aftertaste)"
        # paint a child can get at: "the paint on the blocks is chipping and my 1 year old puts everything in her mouth"
        r"|(?:paint|varnish|coating)\b[^\n]{0,80}?\b(?:flaking|chipping|peeling|coming off)\b[^\n]{0,80}?\b(?:baby"
        r"|toddler|mouth|chews?|chewing|teething|year old|yr old)\b"
        # a fire risk: "a burning smell from the wax warmer, the plug got really hot"
        r"|burning smell|smell(?:s|ed)? of burning (?:plastic|rubber|wires?|electrics?)|(?:plug|socket|cable|wire|lead"
        r"|charger|warmer|battery|battery pack|batteries) (?:got|gets|is|was|were|went|getting)"
        r" (?:really |very |too |so |super )?(?:hot|melted|scorched)"
        # "the battery in the toy drone has swollen up and it's smoking", "the lamp sparks at the base"
        r"|batter(?:y|ies)\b[^.!?\n]{0,40}?\b(?:swollen|swelled|swelling|bulging|smoking|hissing|sparking|caught fire)"
        r"|(?:sparks|sparking|sparked) (?:at|from|out of|in) (?:the|its) (?:base|plug|socket|switch|cable|wire|lead"
        r"|back|bottom|top)|sparks (?:every time|when(?:ever)? (?:i|you)) (?:plug|switch|turn)"
        # "the candle had set light to the label... smoke alarm went off"
        r"|set light to|smoke alarm (?:went off|going off|was going off)"
        # "the label said nut free but there were almonds in it" (not "the label says nut free, is it safe?")
        + r"|(?:label|packet|packaging|box|website|listing|description|menu|sticker|treats|bag|pack|tin|jar)"
        r" (?:said|says|say|claimed|claims"
        r"|stated|states|reads|read) ['\"]?(?:it was |it's |its |it is |they were |they're |they are )?" + _ALLERGEN
        + r"[- ]free['\"]?(?: on the (?:front|box|label|pack|packet|bag))?,? (?:but|yet|and|even though|although)\b"
        r"[^.!?\n]{0,60}?(?<!n't )(?<!not )(?<!never )"
        r"\b(?:contain(?:s|ed)?|had|has|have|made with|full of|tasted of|tastes of|listed|lists|there (?:was|were|is"
        r"|are)|(?:the )?ingredients (?:on the (?:back|side|label|pack|packet|bag) )?(?:list|lists|listed|include"
        r"|included|say|said|show))\b(?![^.!?\n]*\?)"
        # sold free from an allergen, and it was in it: "the gluten free loaf definitely contained wheat"
        r"|" + _ALLERGEN + r"[- ]free\b" + _THEN_CONTAINS + _NOT_FREE + r"(?![^.!?\n]*\?)"  # (a question asks)
        + r"|(?:undeclared|not declared|unlabelled|unlabeled|hidden) (?:nuts?|allergens?|gluten|dairy|milk|eggs?"
        r"|sesame|peanuts?)"
        # a reaction or its signs ("I reacted to the new granola", "my lips swelled up after eating the flapjack")
        r"|(?:had|have|has|got|suffered|developed|having) (?:a |an )?(?:bad |nasty |severe |serious |mild |awful "
        r"|horrible )?reaction (?:to|after|from)\b"
        # (a symptom in someone, now, with the goods in the message: `_symptom_with_goods`, after the table)
        r"|(?:just|has|'s|have|had) swallowed (?:part of|a piece of|one of the)\b(?! (?:cake|bread|loaf|slice|biscuit"
        r"|cookie|brownie|sandwich)s?\b)"
        r"|chocolate (?:i|we) (?:gave|fed) (?:to )?(?:my|our|the) (?:dog|puppy)"
        r"|\breacted (?:badly |really badly |straight away )?(?:to|after) (?:the|your|it"
        r"|them|something|eating|one)\b"
        r"|(?:lips?|tongue|throat|face|mouth|eyes?) (?:swelled|swelling|swollen|started (?:to swell|swelling)|puffed up"
        r"|went (?:puffy|swollen|tingly)|(?:was |were |started |went )?(?:tingling|itching|itchy|burning)) (?:up )?"
        r"(?:after|from|when|since|straight after) (?:eating|having|trying|biting|one|a|the|it)\b"
        # an allergen label wrong or missing where someone is allergic ("the packet says may contain sesame, the list
        # online doesn't mention it; my daughter is allergic"), or no allergen label at all
        # (from "no": the match starts before the word the negation guard would take for a negation)
        r"|(?:no|missing|without (?:an?|any)|wrong|incorrect) (?:allergen|allergy) (?:label|labels|labelling|labeling"
        r"|information|info|sticker|warning)s?\b"
        # (an allergen label wrong where someone is allergic: `_allergy_label`, looked for only beside an allergy)
        # a rash or hives on someone ("a rash decision" and "your hives" are not)
        r"|(?:itchy|skin|red|nasty|horrible|awful|bad|angry|painful) rash|rash (?:on|all over|from|after|came up)"
        r"|(?:got|get|gave (?:me|him|her|us|them)|developed|came out in|come out in|comes out in|coming out in"
        r"|broke out in|break out in|covered in)"
        r" (?:a |an )?(?:\w+ )?(?:rash|hives)\b"
        # "my throat feels tight and itchy", "my throat feels a bit scratchy and tight", "my throat's gone tight", "his
        # gum is bleeding", "struggling to breathe" (not a throat tight from shouting at the football)
        r"|throat(?:'s| has)? (?:feels |felt |is |was |went |gone |getting |started |starting )?(?:a bit |really |very "
        r"|all )?(?:\w+ (?:and )?)?(?:tight|tightening|closing|swollen|swelling)\b"
        r"(?! from (?:shouting|singing|cheering|talking|screaming|the cold))"
        r"|(?:gums?|mouth|lips?|tongue) (?:is |are |was |were |started |starting |began )?(?:\w+ )?bleeding"
        r"|(?:struggling|difficulty|trouble|hard) (?:to )?breath(?:e|ing)"
        r"|(?:started|been|is|was|am|are|were|she's|he's|i'm|im|they're|kept) wheezing\b"
        # a child or a pet who swallowed a part: "my kid swallowed a button off the teddy", "I think she's swallowed
        # it", "swallowed some of the fibres"
        r"|swallow(?:ed)? (?:one of (?:the|your|its|her|his) |some of (?:the|your) |part of (?:the|a|its) |an? |the "
        r"|some |bits of (?:the )?|a (?:piece|bit) of (?:the )?)?(?:little |small |tiny |loose |metal |plastic )?"
        r"(?:charms?"
        r"|buttons?|beads?|batter(?:y|ies)|magnets?|fibres?|fibers?|stuffing|eyes?|bells?|clasps?|earrings?|coins?"
        r"|pins?|needles?|string|ribbon|plastic|glass|wire|stones?)\b"
        r"|(?:think|thinks|worried|afraid|scared|sure) (?:she|he|they|my \w+|the (?:dog|cat|baby|puppy))(?:'s| has|"
        r" have| might have| may have| had)? swallowed"
        # a pet taken ill ("my dog ate the whole bag and now he's being sick"), a plant that harms them
        r"|(?:my|our|his|her|their) (?:dog|cat|puppy|kitten|pup)\b[^.!?\n]{0,80}?\b(?:being sick|been sick|vomit\w*"
        r"|throwing up|threw up"
        r"|seizures?|fitting|blockage)"
        r"|(?:is|are) (?:\w+ )?(?:toxic|deadly|poisonous|lethal) (?:to|for) (?:cats|dogs|pets|children|kids|babies)"
        r"(?![^.!?\n]*\?)"  # ("do your candles have oils that are toxic to cats?" asks)
        # "my husband has just collapsed after eating the harvest loaf... ambulance on the way"
        r"|(?:collapsed|passed out|fainted|went unconscious) (?:after|from|when|while) (?:eating|having|trying|drinking"
        r"|using|one|the|your|a|it)\b"
        # a fire hazard: "the jar shattered while it was lit and the flame went right up the side"
        r"|(?:could have|could've|nearly|almost) (?:burnt|burned|set fire to|started a fire|caught fire)"
        r"|(?:flame|flames|fire) (?:went|shot|came|leapt|jumped) (?:right |all the way |straight )?up"
        r"|(?:shattered|exploded|cracked|smashed) while (?:it was )?(?:lit|burning|in use)"
        # taken ill after the goods: "we've both been up all night being sick after the quiche we bought from you"
        r"|(?:sick|ill|poorly|unwell|vomiting|throwing up|threw up)\b[^.!?\n]{0,25}?\bafter (?:the|your|some|a|an"
        r"|that|those|these) (?:\w+ ){0,2}?(?:we|i|you|he|she|they) (?:bought|ordered|had|ate|got|sold|sent)\b"
        # sold free from an allergen, and it wasn't: "...'gluten free' cake, ... made with normal flour by mistake"
        r"|" + _ALLERGEN + r"[- ]free\b[^\n]{0,160}?\b(?:made with (?:normal|regular|ordinary|wheat|plain|standard)"
        r" (?:flour|butter|milk)|(?:wasn't|was not|isn't|is not|weren't|were not) (?:actually |really )?" + _ALLERGEN
        + r"[- ]free)(?![^.!?\n]*\?)"
        # on someone else: "the soap gave my daughter hives"
        r"|(?:gave|given|caused) (?:my|our|his|her|their) (?:\w+ )?(?:\w+ )?(?:a |an )?(?:\w+ )?"
        r"(?:rash|hives|blisters)\b"
        # "the drawer liners have given the whole family headaches"
        r"|gives (?:me|us|him|her) (?:a |bad )?(?:headaches?|migraines?) (?:every time|whenever|each time)"
        r"|(?:gave|given) (?:me|us|him|her|them|the (?:whole )?(?:family|kids)|everyone|my \w+) (?:a |bad )?"
        r"(?:headaches?|migraines?|nausea)\b"
        # what is not food, eaten: "she's eaten one of the soaps thinking it was fudge", "my 3 year old has just eaten
        # part of a wax melt"
        r"|(?:eaten|ate|swallowed|drank|drunk|licked) (?:one of |some of |part of |a bit of |half (?:of )?)?"
        r"(?:a (?:whole )?(?:pack|bag|box|tin|jar|handful|couple) of )?(?:the|your|a|an|some) (?:\w+ )?(?:soaps?"
        r"|candles?|wax melts?|wax|bath bombs?|bath salts|diffuser"
        r"|reed diffuser|oils?|detergent|silica|desiccant|cleaner|bleach|batter(?:y|ies)|magnets?|playdough|play-doh"
        r"|modelling clay|slime|glue|crayons?)\b"
        # a pet in something harmful: "my cat walked through the oil ... she's licking her paws"
        r"|(?:cat|dog|kitten|puppy)\b[^.!?\n]{0,40}?\b(?:walked through|stepped in|rolled in|got into|licked|licking"
        r"|knocked over)\b[^.!?\n]{0,30}?\b(?:oil|wax|diffuser|candle|soap|bath bomb|liquid|melts?)\b"
        # "my dad's diabetic and ate the 'sugar free' brownies... his levels are really high now"
        r"|diabetic\b[^\n]{0,200}?\b(?:levels?|blood sugar|glucose)\b[^.!?\n]{0,20}?\b(?:high|spiked|through the roof)"
        # "my youngest has been sick twice since"; "a splinter sticking out of the rattle"
        r"|been sick (?:twice|three times|\d+ times|all night|all day) since"
        r"|(?:splinters?|sharp (?:edge|point|bit|nail|staple|wire)s?) (?:\w+ )?(?:sticking|poking) out"
        # a child with a loose part in their mouth: "my toddler had one in his mouth"
        r"|(?:toddler|baby|son|daughter|kid|little one|child|grandson|granddaughter)\b[^.!?\n]{0,30}?\b(?:had|put|got)"
        r" (?:one|it|them|a \w+|some|the \w+)(?: of the [^.!?\n]{1,40}?)? in (?:his|her|their) mouth"
        r"|sparked when (?:i|we) (?:plugged|switched|turned|lit)|sparks? (?:came|flew|coming|flying) out"
        # after probes 31-33: "a used syringe in the bag of bark mulch. Needle and everything", "the driver hit a child
        # outside the school", "all eight of us were ill the same night",
        # "the socket gets warm, there's a brown mark round it", "taken to the Royal with a suspected broken hip"
        r"|used (?:syringe|needle|hypodermic)s?|hypodermic needles?|needle and everything"
        r"|(?:driver|van|courier|lorry)\b[^.!?\n]{0,20}?\b(?:hit|knocked (?:down|over)|ran over|reversed into)"
        r" (?:a|an|my|our|the|his|her) (?:little )?(?:child|kid|boy|girl|pedestrian|cyclist|person|man|woman"
        r"|toddler|son|daughter)\b"
        r"|(?:all|both|several|most|\w+) of us\b[^.!?\n]{0,40}?\b(?:were|was|got|have been|fell|went) (?:\w+ )?"
        r"(?:ill|sick|poorly|unwell)(?! of)\b"
        r"|socket (?:gets|got|is|was|getting|went) (?:really |very )?(?:warm|hot)"
        r"|(?:brown|burn|scorch) marks? (?:round|on|around) (?:the |it|the socket|the plug)"
        r"|(?:suspected|possible) (?:broken|fractured) (?:hip|wrist|ankle|arm|leg|nose|collarbone|ribs?)"
        # after probes 34-36: "the extension lead under table 3 was getting really hot... smelled a bit like melting
        # plastic"
        r"|(?<!n't )(?<!not )(?<!never )smell(?:s|ed|ing)? (?:a bit |slightly |really |strongly )?(?:like|of)"
        r" (?:melting|melted|burning|burnt)"
        r" (?:plastic|rubber|wires?|electrics?)"
        r"|(?:extension (?:lead|cable|reel)|plug|socket|adapter|adaptor|charger)\b[^.!?\n]{0,30}?\b(?:was|is|were"
        r"|kept) (?:getting|going) (?:really |very |so |too )?hot",
    ),
    (
        "delivery",
        "reports a careless or wrong delivery",
        -2.0,
        "own slip",  # "I think I gave you the wrong address" asks for a change
        r"(?:thrown|threw|throw|chucked|tossed|dumped|flung|lobbed) (?:it |them |(?:the|my|our) (?:parcel|package|box"
        r"|order|flowers) )?(?:over|into|in|onto|on) (?:the |my |our |a )?(?:fence|gate|wall|hedge|bins?|puddle"
        r"|bush(?:es)?|garden|driveway|ground|floor|doorstep)"
        r"|left (?:the|our|my) (?:front |garden |side )?(?:gate|door) (?:wide )?open"
        # "says 'attempted delivery' but we've been in all day"
        r"|(?:sending|sent|taking|returning|returned) (?:it|them|the (?:\w+ ){0,2}?\w+|my (?:\w+ )?\w+) back to (?:you"
        r"|the (?:depot|sender|shop|warehouse))"
        r"|(?:we've|i've|we have|i have|we were|i was|we've been|i've been|been) (?:in|home|at home|in the house) all"
        r" (?:day|morning|afternoon)"
        r"|(?:driver|courier|delivery (?:man|guy|person|woman|lady)) (?:was |were |is |got )?(?:really |very |so "
        r"|quite |extremely )?(?:aggressive|abusive|threatening|intimidating)"
        r"|(?:swore|shouted|yelled) at (?:me|us|my (?:wife|husband|partner|son|daughter"
        r"|mum|mom|dad|mother|father|kids?|children|elderly))"
        # "left the box on the doorstep in the pouring rain"
        r"|(?:left|dumped|dropped|put) [^.!?\n]{0,40}?\bin the (?:pouring |heavy |driving |torrential |bucketing )?"
        r"(?:rain|snow|downpour)\b"
        r"|(?:left|gave|delivered|handed) (?:it |them |the (?:parcel|package|box|order|flowers) )?(?:with|to)"
        r" (?:a |some )?(?:neighbou?r|person|stranger|someone|somebody)s? (?:i|we) (?:don't|do not|didn't|did not"
        r"|have never) (?:even )?(?:know|met|recogni[sz]e)"
        r"|(?:left|dumped|dropped) (?:it |them |the (?:parcel|package|box|order|flowers) )?(?:out )?(?:in|on) (?:the )?"
        r"(?:rain|bins?|street|pavement|road|snow)\b(?! (?:store|area|shed|cupboard|room))"
        r"|left (?:it |them |the (?:parcel|package|box|order|flowers) )?outside (?:in the (?:rain|sun|heat|snow)"
        r"|all day|overnight|for hours)"
        # taken to the wrong place, not "you have the wrong address on file for me, can you update it?"
        r"|(?:to|at) (?:the |a )?wrong (?:address|house|flat|door|street|number)"
        # opened on the way: "someone had clearly opened the box and eaten two"
        r"|(?:box|parcel|package|seal|bag|tin|hamper)(?:es|s)? (?:had |has )?(?:been |was |were |arrived |came )"
        r"(?:clearly |obviously |already )?(?:opened|tampered with|resealed|torn open|ripped open|cut open)"
        r"|(?:someone|somebody) (?:had |has )?(?:clearly |obviously )?(?:opened|tampered with|been into|been in)"
        r" (?:the|my|our) (?:box|parcel|package|bag|tin|hamper)"
        # at the customer: "the delivery driver was rude and threw the parcel at me"
        r"|(?:threw|thrown|throw|chucked|tossed|flung|lobbed) (?:the|my|our) (?:parcel|package|box|order|flowers|bag"
        r"|delivery) at (?:me|us|my (?:door|window|feet|head|face|car))\b"
        # "the courier left my parcel at number 14 instead of 41"
        r"|(?:left|delivered|dropped|gave|took) (?:it |them |(?:my|the|our) (?:parcel|package|order|box|delivery) )?"
        r"(?:at|to) (?:number |no\.? |house )?\d+\w? instead of\b"
        # the driver's conduct: "parked across my drive and blocked me in", "drove over our lawn"
        r"|(?:parked|stopped|left (?:the|his|her|their) van) (?:right )?(?:across|on|over|in front of) (?:my|our|the)"
        r" (?:drive|driveway|lawn|grass|garden|dropped kerb|disabled (?:bay|space))\b"
        r"|blocked (?:me|us|my car|our car|the drive|my drive|our drive|the driveway) in\b"
        r"|(?:drove|driven|reversed) (?:over|across|into|onto) (?:my|our|the) (?:lawn|grass|garden|flower ?beds?"
        r"|wall|fence|gate|car|hedge)",
    ),
    (
        "wrong_item",
        "received the wrong or incomplete order",
        -2.0,
        "own slip",  # "I think I put the wrong address"
        r"(?:says|said|reads|written) [^.!?\n]{0,40}?(?:—|-|but|,) (?:her|his|their|my) name is\b|"
        r"(?:name|spelling|date|message|writing|wording) (?:on|in) the (?:\w+ ){0,2}?(?:is|was|are|were)"
        r" (?:spelt |spelled |written )?wrong\b|"
        r"\bwrong (?:size|colou?r|item|items|thing|product|order|flavou?r|name|one|parcel|model|date|age"
        r"|message|wording|writing|lettering|inscription|spelling|design|style|pattern|print|scent|shade|initials?"
        r"|letter|engraving|font)"
        # "Box arrived open and half the soaps were gone. Looks like it's been tampered with."
        r"|(?:arrived|came|turned up) (?:wide )?(?:open|opened|unsealed|resealed)|tampered with"
        r"|half (?:of )?(?:the|my) \w+ (?:were|was) (?:gone|missing)"
        # the writing on it: "it says 30 not 40", "Happy Birthday Sophie but her name is Sofia"
        r"|(?:says|reads|spelt|spelled|written as) ['\"]?\w+['\"]? (?:instead of|rather than) ['\"]?\w"
        r"|(?:says|reads) ['\"]?\d+['\"]?,? not ['\"]?\d"
        r"|but (?:her|his|my|their|our|the) (?:\w+ )?name is\b"
        # "the card said 'Happy Birthday' but it's her anniversary", "you wrote 'Happy Retirement', we asked for..."
        # (one alternative, so the quote is looked for once)
        r"|(?:says|said|reads|read|wrote|written|put) ['\"][^'\"\n]{1,60}['\"](?:,? but (?:it's|it is|it was|its)"
        r" (?:for )?(?:her|his|my|our|their|a|an) (?:\w+ )?(?:anniversary|birthday|retirement|wedding|christening"
        r"|graduation|leaving|engagement|name|age)\b"
        r"|[^.!?\n]{0,40}\b(?:we|i) (?:had )?(?:asked|paid|ordered) for ['\"]"
        r"|,? (?:instead of|rather than|not) ['\"])"
        r"|misspel\w*|(?:spelt|spelled) wrong(?:ly)?|spelling mistake|wrong spelling"
        r"|(?:a |one )?typo (?:in|on) (?:my|her|his|their|our|the) (?:\w+(?:'s)? )?name"
        r"|(?:i|we) (?:spelled|spelt|wrote|typed|put) it (?:right|correctly|properly)"
        # "The cake said 'Happy 7th Birthday Oliver'. My daughter's name is OLIVIA."
        r"|(?:said|says|read|reads) ['\"][^'\"\n]{1,60}['\"][.,;]? (?:but )?(?:my|her|his|our|their)"
        r" (?:\w+(?:'s)? )?name is\b"
        # "Received an empty box. Literally empty."
        r"|(?:received|got|opened|sent (?:me|us)) an? (?:completely |totally |literally )?empty (?:box|parcel|package"
        r"|envelope|bag|jar|tin)"
        r"|(?:box|parcel|package|envelope) (?:was|came|arrived) (?:completely |totally |literally )?empty"
        # "The earrings you sent aren't the ones I ordered"
        r"|(?:aren't|are not|isn't|is not|weren't|were not|wasn't|was not) (?:the )?(?:ones?|item|items|colou?r|size"
        r"|design|style|scent|flavou?r) (?:that )?(?:i|we) (?:ordered|asked for|chose|picked|paid for)"
        # "I ordered the sourdough and a rye but only got the sourdough."
        r"|but only (?:got|received) the \w+(?:\s*[.!,]|$)"
        # "I ordered the sage green jumper in medium and got a mustard one in XL"
        r"|(?:ordered|asked for) (?:the |a |an )[^.!?\n]{3,50}? (?:and|but) (?:got|received|was sent|you sent(?: me)?)"
        r" (?:a|an|the) [^.!?\n]{1,30}? (?:one|ones|instead)\b"
        # "the card message was wrong", "the flavour is wrong"
        r"|(?:message|card|name|date|writing|wording|inscription|lettering|spelling|size|colou?r|flavou?r|item|items"
        r"|order|engraving|personalisation|personalization)s? (?:on (?:the|it|my) \w+ )?(?:was|were|is|are) (?:all "
        r"|completely |totally |slightly |a bit )?wrong\b"
        r"|sent (?:me )?the wrong|someone else's|not what i ordered|(?:didn't|did not) order(?! anything else)"
        r"|nothing like (?:what|the (?:one|cake|design|thing)) (?:i|we) (?:ordered|asked for|wanted|paid for|chose)"
        r"|wrong " + _ORDER + r"\b|the wrong (?:\w+ )?(?:came|arrived|turned up|was (?:sent|delivered)"
        r"|were (?:sent|delivered))"
        r"|(?:it's|its|it is|this is|they're|they are) not (?:mine|ours)"
        r"|(?:addressed|meant|labelled) (?:to|for) (?:someone|somebody)"
        r"|(?:the|a|an|one|two|three|four|five|six|\d+) missing (?!you\b|out\b)\w+"
        r"|(?:are|were|is|was) (?:still )?missing(?! out\b)|missing (?:from|items?|pieces?|parts?)"
        r"|only (?:got|received) (?:\d+|one|two|half|part)\b"
        # "we ordered 3 dozen cupcakes and only 2 dozen came"
        r"|only (?:\d+|one|two|three|four|five|six|half)(?: dozen| of (?:them|the \w+)| \w+)? (?:came|arrived|turned up"
        r"|were (?:delivered|in the box|included))\b"
        r"|short by (?:\d+|one|two|three|four|five|six|a few|several)\b"
        r"|(?:ordered|paid for|bought) (?P<ordered>\d+|two|three|four|five|six|seven|eight|nine|ten|twelve|a dozen)\b"
        r"[^.!?\n]{0,30}?[,;] (?:but )?(?:only )?(?!(?P=ordered)\b)(?:\d+|one|two|three|four|five|six|seven|eight|nine"
        r"|ten)"
        r" (?:arrived|came|turned up|were (?:delivered|in the box|included))\b"
        # "our standing order was short again, 10 croissants instead of 20"
        r"|(?:order|delivery|box|parcel|hamper) (?:was|were|came|arrived|came up|has been|have been|keeps being|is)"
        r" (?:\w+ )?(?:a (?:bit|few) "
        r"|slightly )?short\b(?! (?:of|notice|lived|and sweet|for time|on time|staffed|handed|dated|sighted))"
        r"|(?:got|received|sent|delivered|came|only|there were|you sent|we had) \d+ (?:\w+ )?instead of (?:the )?\d+\b"
        r"|(?:was|were|came|arrived) (?:\d+|one|two|three|four|five|six) (?:\w+ )?short\b(?! of)"
        # the gift message left out: "the card inside was blank"
        r"|(?:card|message|note|gift message|gift note|tag) (?:inside |in the box |with it )?(?:was|is|came|arrived)"
        r" (?:completely |totally )?(?:blank|empty|missing)"
        r"|(?:message|note) (?:didn't|did not|wasn't|was not|never) (?:get )?(?:printed|included|written|added)"
        r"|arrived empty|box (?:was |arrived )?empty|not as described|nothing like (?:the )?(?:photo|picture|"
        r"image|description|described|sample|advert)s?|doesn't match|does not match"
        r"|different (?:from|to|than) (?:the |what )?(?:photo|picture|image|description|website|advert|ordered)"
        r"|" + _ASKED_NO + r"|paid (?:for|extra)[^.]{0,40}\bbut\b"
        r"|(?:i'm|i am|i'll be|i will be) (?:returning|sending) (?:it|this|them)",
    ),
    (
        "allergy",
        "mentions an allergy",
        -0.5,
        "negated",  # "no allergies here"
        # an allergy the owner must not miss: "please note my son is allergic to nuts, can you make sure the cake is nut
        # free?", "are your scones egg free? he's allergic"; a report of harm or a wrong label is safety, which
        # outranks it
        r"allerg(?:ic to|y|ies)\b(?! (?:season|free))|coeliac|celiac|anaphyla\w*|epi-?pen"
        r"|(?:an?|my|our|her|his|their) allergic (?:child|kid|son|daughter|guest|friend|boy|girl)",
    ),
    (
        "data_request",
        "asks about or to delete their personal data",
        -0.5,
        "negated",
        # a data-protection request, answered within a month by law: "please delete all my personal data under GDPR",
        # "what data do you hold about me?", "I'd like to be forgotten"
        r"gdpr|subject access|data protection (?:act|request|law|rights)|right to (?:be forgotten|erasure)"
        r"|(?:delete|erase|remove|wipe) (?:all )?(?:of )?(?:my|our) (?:personal )?(?:data|information|info|details"
        r"|account)\b|(?:delete|erase|wipe) everything (?:you (?:have|hold|keep) )?(?:on|about) (?:me|us)"
        r"|(?:what|which) (?:personal )?(?:data|information|details) (?:do )?you (?:hold|have|keep|store)"
        r" (?:on|about) (?:me|us)|(?:like|want|wish|ask) to be forgotten|close my account"
        # where the address came from ("How did you get my email address? I never signed up for anything.")
        r"|(?:how|where) (?:did|have|do) you (?:get|got|find|obtain|obtained) (?:hold of )?my (?:email|e-mail|address"
        r"|details|number|phone number|personal|name|data|information)",
    ),
    (
        "not_their_order",
        "says they did not place this order",
        -1.6,
        "",
        # an email about an order they never placed: a mistyped address at someone else's checkout (their details in a
        # stranger's inbox) or a stolen card; not "a cake I didn't order" (wrong_item) nor "I haven't ordered yet"
        r"(?:i|we) (?:didn't|did not|never|haven't|have not|have never) (?:ever )?(?:order|ordered|buy|bought"
        r"|purchase|purchased|place|placed|make|made)(?: an? order| any order| this order| that order| an? purchase)?"
        r"(?: anything)?(?: at all)? (?:from|with|at) (?:you|your (?:shop|company|store|website|site|business))\b"
        # "a £12.99 charge from you every month and I have never even heard of your shop" (a charge beside it: "I'd
        # never heard of your shop but my friend loves it" is no such report)
        r"|(?:charge[sd]?|payments?|debit(?:ed|s)?|billed|taken)\b[^\n]{0,120}?never (?:even )?heard of (?:your|this)"
        r" (?:shop|company|store|business|website)"
        r"|never (?:even )?heard of (?:your|this) (?:shop|company|store|business|website)\b"
        r"[^\n]{0,120}?\b(?:charge[sd]?|payments?|debit(?:ed|s)?|billed)\b"
        r"|(?:i|we) (?:didn't|did not|never) (?:place|make|placed|made) (?:this|that|the|an|any) order\b"
        r"|(?:i|we) (?:didn't|did not|never) (?:order|ordered|buy|bought) anything\b(?! else)"
        # (not "I've never ordered a cake before, can you help?")
        r"|why (?:am i|are we|have i been|have we been|do i keep) (?:getting|receiving) (?:emails?|messages?|this"
        r"|these) (?:about|for) (?:an? |this |the )?(?:order|basket|cart|checkout|payment)"
        # "I got an order confirmation I didn't place"
        r"|(?:order|confirmation|receipt|email)s? (?:for (?:an? |this )?order )?(?:that )?(?:i|we) (?:didn't|did not"
        r"|never) (?:place|make|order|placed|made)\b",
    ),
    (
        "data_leak",
        "says they were sent another customer's personal details",
        -2.6,
        "negated",  # "no one else's details were in there, don't worry"
        # a personal data breach the owner must look into (and may have to report): "You've sent me someone else's
        # receipt with their name and address on it", "another customer's invoice was in my box", every customer's
        # address in the To line of a newsletter
        r"(?:someone else'?s|somebody else'?s|another customer'?s|another person'?s|a stranger'?s|other customers'?"
        r"|other people's|a different customer's) (?:\w+ )?(?:receipt|invoice|delivery note|packing (?:slip|note|list)"
        r"|order (?:details|confirmation|form|summary)|details|personal details|name and address|address|email"
        r"|e-mail|phone number|card details|account|paperwork|label)s?\b"
        # "someone else's order with their name and address on it"
        r"|(?:someone|somebody|another customer|another person|a stranger)(?: else)?'?s (?:\w+ )?(?:order|parcel|box"
        r"|package)\b[^.!?\n]{0,40}?\b(?:their|his|her) (?:name|address|details|phone number|email)"
        r"|(?:receipt|invoice|delivery note|packing slip|paperwork)s? (?:\w+ )?(?:for|addressed to|in the name of"
        r"|belonging to|with the (?:name|address) of) (?:someone|somebody|another|a different|a stranger|other)"
        r"|(?:can|could) see (?:everyone|every customer|all (?:the )?(?:other )?customers|other customers|everybody)"
        r"(?:'s|s')? (?:email|e-mail)s?(?: address(?:es)?)?"
        r"|(?:can|could) see (?:other|all (?:the )?other|everyone else's) (?:customers'?|people's) (?:full )?(?:names?"
        r"|addresses|orders|details|phone numbers)"
        r"|(?:cc'?d|cc'?ed|copied in|sent it to) (?:everyone|every customer|all (?:your|the|of your) customers)\b"
        # on the website: "the 'recent orders' box on your homepage is showing people's full names, addresses and phone
        # numbers", "your order confirmation page shows my full card number"
        r"|(?:showing|shows|showed|displaying|displays|lists|listing) (?:other |all )?(?:people's|customers'"
        r"|everyone's|other customers') (?:full )?(?:names?|addresses|card numbers?|card details|phone numbers"
        r"|details)|(?:showing|shows|showed|displaying|displays) my full (?:card number|card details|security code)"
        # after probes 31-33: "showing me other people's names, addresses and phone numbers", "another customer's full
        # card number, expiry date and security code"
        r"|(?:other people's|other customers'?|someone else's|another customer's|another person's) (?:full )?"
        r"(?:names?, (?:addresses|emails|phone numbers)|card numbers?|bank details|home addresses)"
        # after probes 40-42: "if I change the number at the end of the link I can see other people's", "everyone's
        # email addresses visible in the To: line"
        r"|(?:i can|you can|anyone can|we can|i could) (?:now )?see other (?:people's|customers'?)(?:\s*[.!]|$"
        r"| (?:orders?|details|addresses|names|accounts?|information|info|data|order history))"
        r"|(?:everyone's|all the|hundreds of|other people's|customers') (?:e-?mail )?addresses (?:were |are )?"
        r"(?:visible|showing|on show) in the (?:to|cc)\b",
    ),
    (
        "ingredients",
        "says it contains something the label or listing says it doesn't",
        -2.0,
        "",
        # a product sold as vegan or vegetarian that is not ("I ordered the vegan brownies and I'm fairly sure these
        # have butter in them"); not a question ("do you do a vegan version?") nor "they don't contain butter"; free
        # from an allergen and with it in is a safety report
        r"(?:vegan|plant[- ]based|vegetarian|veggie|halal|kosher)\b" + _THEN_CONTAINS + _NOT_FREE
        # a question that doubts it: "is there dairy in the vegan brownies? they taste very buttery"
        + r"|(?:is|are) there (?:any |some )?(?:dairy|butter|milk|cream|eggs?|meat|gelatine|gelatin|honey|nuts?|gluten"
        r"|wheat|fish) in (?:the|my|these|this|your|those) (?:\w+ )?(?:vegan|vegetarian|dairy[- ]free|gluten[- ]free"
        r"|nut[- ]free|egg[- ]free|plant[- ]based)"
        + r"|(?:sure|convinced|certain|found out|turns out|noticed|realised|realized) (?:that )?(?:these|this|they|it"
        r"|the \w+)(?:'s| is| are)? (?:have|has|contain|contains|had|contained|made with|got)"
        r" (?:real |actual |some )?" + _NOT_FREE
        + r"|(?:said|says|claimed|claims|sold as|labelled|labeled|listed as|described as) (?:it was |it's |they were "
        r"|they're |as )?(?:vegan|plant[- ]based|vegetarian|halal|kosher)[^.!?\n]{0,40}?\bbut\b",
    ),
    (
        "website",
        "reports a problem with the website, a link or a code",
        -1.8,
        "",
        # the shop's own machinery, not the goods: "the discount code doesn't work", "can't check out"
        # (a code may be named: "your discount code WELCOME10 isn't working", "the code 'spring' doesn't work")
        # "your website's showing every price as £0.00": every sale is free until it is fixed
        r"(?:showing|shows|listing|lists) (?:every|all|each|the) (?:prices?|items?|products?) (?:\w+ )?as (?:£|\$|€)?0"
        r"(?:\.00)?\b|"
        # "your Etsy listings are all showing £0.00 and someone's posted it on Hot UK Deals", "someone posted a glitch
        # on a deals forum", "your checkout is charging people 10 times over", "throwing error 500 for everyone", "your
        # website has been replaced with a page saying 'hacked by'... redirecting to a casino site"
        r"(?:all|every|everything|listings|prices)\b[^.!?\n]{0,40}?(?:showing|shows|listed|priced|going through"
        r"|selling) (?:at |for |as )?(?:£|\$|€)0(?:\.00)?\b"
        r"|(?:showing|shows|listed|priced|going through|selling) (?:everything|all|every \w+|them all) (?:at|for|as)"
        r" (?:£|\$|€)0(?:\.00)?\b"
        r"|(?:showing|listed|priced|going through|selling) (?:at|for|as) (?:£|\$|€)\d+(?:\.\d\d)?\b[^\n]{0,100}?"
        r"(?:forum|hot ?uk ?deals|people are (?:ordering|buying|checking out)|everyone|right now)"
        r"|price glitch|pricing (?:error|glitch|mistake)|glitch on (?:a|the) (?:\w+ )?(?:forum|site|page|group)"
        r"|(?:showing|listed|priced|shows|selling) (?:the )?(?:[\w-]+ ){0,4}(?:at|for) (?:£|\$|€)\d+(?:\.\d\d)?"
        r" instead of (?:£|\$|€)\d+"
        r"|(?:charging|charged|charges) (?:people |everyone |customers |me |us )?(?:\d+|two|three|four|five|ten)"
        r" times (?:over|the price|what)"
        # "your site is charging me every few minutes - 12 charges of £35 so far and it won't stop"
        r"|(?:charging|charged|charges|taking money from) (?:me |my card |my account |us |people |everyone "
        r"|customers )?(?:again )?every (?:few |couple of |\d+ )?(?:seconds?|minutes?|mins?|hours?)"
        r"|(?:[3-9]|[1-9]\d{1,2}|three|four|five|six|seven|eight|nine|ten|several|multiple|dozens of) "
        r"(?:separate |different )?charges of (?:£|\$|€)"
        r"|error 500|500 error|(?:website|site|page|homepage) (?:has been |was |is |got )?(?:hacked|defaced|replaced"
        r" with)|redirect\w* (?:\w+ )?to (?:a |an |some )?(?:\w+ )?(?:casino|scam|porn|gambling|betting|crypto)|"
        r"(?:(?:code|voucher|coupon)s?(?: ['\"]?[\w-]+['\"]?| (?:you|they) (?:sent|gave|emailed)(?: me| us)?)?"
        r"|(?:discount|link|website|site|app|checkout|login|log ?in"
        r"|password|account|basket|cart|button|page|gift card|gift voucher)s?)(?: (?:in|on|from) (?:your|the|my|this)"
        r" \w+)?"
        r" (?:just |still )?(?:doesn't|does not|don't"
        r"|do not|won't|will not|isn't|is not|aren't|are not"
        r"|stopped|not|never|didn't|did not|wouldn't|would not) (?:(?:seem|seems|appear|appears) to )?(?:work|working"
        r"|load|loading|apply|applying|accept"
        r"|accepting|open|opening|go through)"
        # (what only a shop's website does, not "my dad won't let me use my iPad": no subject to look for first)
        r"|(?:won't|will not|wouldn't|would not|doesn't|does not|didn't|did not) let (?:me|us) (?:log ?in|sign in"
        r"|check ?out|pay\b|place (?:an|my|the) order|complete (?:my|the) (?:order|purchase|payment|checkout)"
        r"|apply (?:the|my|a) (?:code|discount|voucher|coupon)|add (?:it|this|anything|items?) to (?:my|the) (?:basket"
        r"|cart))"
        r"|(?:keeps|kept) (?:going|sending me|taking me|jumping|bouncing) back to the (?:basket|cart|start|home ?page"
        r"|login|checkout)"
        r"|(?:can't|cannot|couldn't|could not|unable to) (?:log ?in|sign in|check ?out|complete (?:my|the) (?:order"
        r"|purchase|payment|checkout)|apply (?:the|my|your) (?:code|discount|voucher|coupon)|reset (?:my|the) password)"
        r"|(?:website|site|app|checkout|page) (?:keeps |kept )?(?:crash|crashing|crashed|freezing|froze|erroring)"
        # "your payment page gave an error", "the checkout threw an error", "the site is broken"
        r"|(?:website|site|app|checkout|page|basket|cart|link|button) (?:just |keeps |kept )?(?:gave|gives|giving"
        r"|threw|throws|showed|shows|came up with|comes up with) (?:me )?(?:an |a |another )?(?:\w+ )?error"
        r"|(?:website|site|checkout|link|button|page)(?: (?:in|on|from) (?:your|the|my|this) (?:\w+ )?\w+)?"
        r" (?:is|was|seems|looks) (?:completely |totally )?broken"
        r"|(?:got|get|getting|keep getting|kept getting) (?:an |a |this |the same )?(?:\w+ )?error(?: message)?"
        r" (?:at|on|when|while|during|every time)\b"
        r"|broken (?:checkout|link|website|payment page|basket|cart|login)"
        r"|(?:payment|card|checkout|order)s? (?:keeps|kept) (?:failing|declining|getting declined|being declined"
        r"|erroring|bouncing)|(?:tried|with) (?:two|three|four|several|multiple|\d) (?:different )?cards"
        r"|(?:says|said|shows|showed|showing) (?:it's |it is |as )?in stock but"
        # "the payment link took me to a page that said 'expired'", "it keeps saying declined"
        r"|(?:link|page|code|voucher|coupon)s? (?:\w+ ){0,6}?(?:said|says|shows|showed|showing) ['\"]?(?:expired"
        r"|invalid|error|not found|page not found|404)\b"
        r"|(?:goes|went|takes you|took me|takes me|leads|led) to (?:a |an )?(?:404|error|blank|broken|dead) page"
        r"|keeps? (?:saying|coming up|showing|telling me) ['\"]?(?:declined|error|failed|invalid|payment failed"
        r"|card declined)\b"
        r"|(?:website|site|page|listing|shop page)s? (?:is |are |still )*(?:showing|shows|says|has|lists) (?:the )?"
        r"(?:wrong|old|last year's|outdated|out of date|incorrect)"
        r"|(?:code|voucher|discount|coupon)(?: code)? (?:is |was )?(?:invalid|rejected|not valid)|says invalid"
        # two stories: "your site says next day delivery but at checkout it says 3-5 days"
        r"|(?:site|website|page|listing|product page|app) (?:says|said|shows|showed) [^.!?\n]{1,40}? but"
        r" (?:at (?:the )?checkout |on the checkout |in the basket |in my basket |on the order )?"
        r"(?:it |the checkout |the basket )?"
        r"(?:says|said|shows|showed|charged|charges)\b"
        # a gift card with nothing on it: "she says it shows £0 balance"
        r"|0(?:\.00)? balance|(?:zero|nil|empty) balance"
        # after probes 31-33: "your code SPRING10 is giving 100% off everything, not 10%"
        r"|(?:code|discount|voucher)\b[^.!?\n]{0,30}?(?:is giving|giving|gives|is taking|taking) (?:people )?100% off",
    ),
    (
        "billing",
        "reports a billing problem",
        -2.0,
        "",
        r"charged (?:me |us |her |him |them |(?:my|her|his|their|our) (?:card|account) )?(?:twice|two times"
        r"|three times|\d times|several times|multiple times|double|again"
        r"|full price|for|the wrong|too much|extra|more than)|\boverdrawn\b"
        # present tense only for a charge made twice or wrongly: "do you charge extra for gift wrap?" is a question
        r"|charg(?:e|ing) (?:me |us )?(?:twice|two times|double|the wrong)"
        r"|\b(?:i|we) (?:pay|paid) (?:two|2|three|3) times?\b"
        r"|charged (?:me |us )?in (?:dollars|euros|pounds|the wrong)|double[- ]charged|overcharged"
        # "Checkout said £24 and my bank has taken £240"
        r"|(?:said|says|showed|was) [£$€]\d+(?:\.\d\d)? (?:and|but) (?:my bank|you|they|it|paypal)(?:'ve| have| has)?"
        r" (?:taken|charged|took)"
        r"|charged (?:for )?(?:the |my )?(?:shipping|postage|delivery|p&p|order|item|subscription) (?:twice|two times"
        r"|double)|(?:shows?|showing|appears?|came out) (?:up )?(?:two|2|three|3) times on my (?:statement|bank|account"
        r"|card)"
        # "I was billed £29.99 for a subscription I cancelled in March"
        r"|(?:billed|charged|taken|paid)\b(?:[^.!?\n]|\.(?=\d)){0,40}?\b(?:subscription|membership|plan|order|box)s?"
        r" (?:that )?"
        r"(?:i|we) (?:had )?(?:already )?cancell?ed"
        r"|took my (?:money|payment)|taken my money|why (?:was|am|have) i (?:been )?charged"
        # "... saying my payment failed but the money has left my account"
        r"|(?:but|yet|and|though) (?:the )?(?:money|payment|it)(?:'s| has)? (?:already )?(?:left|gone out of"
        r"|come out of|been taken (?:from|out of)) my (?:account|bank|card)"
        # "your invoice #2231 is overdue? we paid it on the 3rd"
        r"|(?:invoice|bill)s? (?:#?\w+ )?(?:is|was|are|says|shows|marked)(?: as)? (?:overdue|unpaid|outstanding)"
        # "please stop trying to take payment, I cancelled the subscription last month!"
        r"|stop (?:trying to )?(?:take|taking|charging|charge|billing|bill|debiting) (?:payment|payments|money|me|my"
        r" card|my account)\b"
        # a gift card emptied: "my gift card says it has £0 balance but I haven't used it"
        r"|(?:card|voucher|balance) (?:says|shows|showing|has|had) (?:it has |a |an )?(?:[£$€]?0(?:\.00)?|zero|nil|no)"
        r" (?:balance|left|remaining|credit)\b|(?:zero|nil) balance"
        # "my subscription renewed without warning"
        r"|(?:renewed|charged|billed|took (?:the )?payment|debited)(?: me| my card| my account)? without (?:any )?"
        r"(?:warning|asking|notice|telling me|my (?:permission|consent|say-so)|consent)"
        # a charge they don't know: "my card shows a charge of £45", "a payment I don't recognise"
        r"|(?:charge|payment|transaction|debit)s? (?:that )?(?:i|we) (?:don't|do not|didn't|did not) (?:recogni[sz]e"
        r"|make|authori[sz]e)|(?:unrecogni[sz]ed|unauthori[sz]ed) (?:charge|payment|transaction|debit)"
        r"|(?:card|bank|account|statement) (?:statement )?(?:shows|showed|has|had) (?:a |an |two )?(?:charge|payment"
        r"|transaction|debit)s? (?:of|for|from)\b"
        r"|(?:invoice|receipt)s? (?:\w+ ){0,4}(?:is|was|are|were|has|had|shows?|showed) (?:the )?(?:wrong|incorrect)"
        r"|(?:wrong|incorrect) (?:vat|tax|amount|price|total|figure|prices|amounts) (?:number )?on"
        r" (?:the|my|it|your|our) (?:invoice|receipt|bill)"
        # a refund promised that has not reached them ("thanks for the refund, but it still hasn't reached my account")
        r"|(?:hasn't|has not|hasnt|haven't|have not|still not|not yet|never|didn't|did not) (?:reached|hit|appeared in"
        r"|shown up in|show up in|gone into|arrived in|come into|reach|hit|appear in|go into) (?:my|our|the)"
        r" (?:bank|account|card|bank account|balance|statement)"
        r"|(?:hasn't|has not|why has|why hasn't|why is|why isn't) (?:my|the|our) refund (?:still )?(?:not )?(?:been )?"
        r"(?:processed|come through|arrived|gone through|paid|showing|appeared|here)"
        r"|(?:refund|money) (?:still )?(?:hasn't|has not|hasnt|have not|haven't|isn't|is not|never|didn't|did not)"
        r" (?:yet )?(?:come through|arrived|reached|appeared|shown up|gone through|been (?:received|paid|processed))"
        # "the payment reminder said my card expired but I updated it last week"
        r"|(?:said|says|saying) (?:that )?my (?:card|payment) (?:has )?(?:expired|failed|was declined|declined|bounced)"
        r"[^.!?\n]{0,20}? but (?:i|we)(?:'ve| have)? (?:already )?(?:updated|changed|replaced|paid|fixed)"
        # "I was charged £45 but the order total said £38"
        r"|charged (?:me |us )?[£$€]\d[\d.,]*\b,? (?:but|instead of|not|rather than|when|yet|and)\b"
        # "your email says my payment failed but my bank says it went through"
        r"|payment (?:has |had )?failed\b[^.\n]{0,60}?\b(?:went through|gone through|been taken|was taken|has left"
        r"|left my|come out|came out)"
        # the agreed discount left off: "the invoice for November seems to be missing the discount we agreed"
        r"|(?:invoice|bill|receipt)s? (?:\w+ ){0,5}?(?:is |was |seems to be |looks to be )?(?:missing|without"
        r"|doesn't (?:include|show|have)|does not (?:include|show|have)) (?:the|my|our) (?:\w+ )?"
        r"(?:discount|deal|credit)"
        r"|(?:discount|credit|deal) (?:wasn't|was not|hasn't been|has not been|isn't|is not|not) (?:been )?(?:applied"
        r"|taken off|included|deducted)",
    ),
    (
        "repeat",
        "says they have written before without an answer",
        -1.6,
        "",
        # the third time they write, not the third time they order ("third time ordering and it never disappoints")
        r"\b(?:second|third|fourth|fifth|2nd|3rd|4th|5th|\d+th) (?:email|message|request|attempt|time "
        r"(?:(?:that |now )?(?:i|we)(?:'ve|'m| have| am| had)? )?(?:(?:now|had|have) to )?"
        r"(?:written|writing|write|emailed|emailing|email"
        r"|asked|asking|ask|contacted|contacting|contact|messaged|messaging|called|calling|chased|chasing|tried|trying"
        r"|raised|raising|reported|reporting|sent|sending|requested|requesting)\b)"
        # a promise with a day that has passed: "You said you'd refund me on Monday, it's now Thursday."
        r"|(?:said|promised|told me)\b[^.!?\n]{0,60}?\b(?:on|by) (?:" + _WEEKDAY + r"|yesterday)\b[,;.]? (?:and )?"
        r"(?:it's|it is|today is|now it's) (?:now )?" + _WEEKDAY + r"\b"
        r"|(?:mentioned|raised|reported) (?:it|this) (?:twice|three times|several times|multiple times|many times"
        r"|repeatedly)(?! to (?:my|a|some|all|friends|family|everyone|people|colleagues|others)\b)"
        r"|(?:emailed|written|wrote|messaged|contacted|called|asked|chased) (?:you |this )?(?:twice|three times|"
        r"several times|multiple times|many times|before|already|repeatedly|\d+ times|four times|five times)"
        # "...but can't answer a single email in two weeks"
        r"|(?:can't|cannot|couldn't|won't|don't|didn't) (?:even )?(?:answer|reply to|respond to) (?:a single|one|any)"
        r" (?:email|message)"
        r"|already (?:emailed|written|asked|contacted|messaged|called|chased)"
        r"|(?:following|follow) up (?:again|on)|\bagain on\b|(?:writing|emailing|asking|chasing) (?:you )?again"
        r"|(?:still )?no ?(?:one|body) (?:has )?(?:replied|responded|answered|called|got back)"
        # a promise to get back that was not kept: "you said you'd call me back yesterday and you didn't"
        r"|(?:you|they|she|he) (?:said|promised) (?:you'd|you would|to|they'd|they would|she'd|he'd) (?:call|ring|phone"
        r"|email|e-mail|get back|reply|contact|let me know)[^.!?\n]{0,50}?\b(?:and|but) (?:you |they |she |he |nobody"
        r" |no one )?(?:didn't|did not|never|haven't|have not|hasn't|has not|still haven't)"
        # "your automatic reply said someone would get back to me in 24 hours. It's been 3 days."
        r"|(?:said|promised|says) (?:someone|somebody|a person|a human|you|they)(?: would|'d| will)? (?:get back|reply"
        r"|respond|answer|call|ring|be in touch|contact)\b[^\n]{0,60}?\b(?:it's been|it has been|that was"
        r"|still (?:nothing|no (?:reply|answer|word|response)|waiting|haven't|have not))"
        # "you never reply to emails", "you didn't answer my last email"
        r"|you've not (?:responded|replied|answered|got back)"
        r"|you (?:never|still haven't|still have not|haven't|have not|didn't|did not) (?:ever )?(?:reply"
        r"|replied|respond|responded|answer|answered|get back|got back|call back|called back|return|returned)"
        r"(?! (?:it|the (?:parcel|item|order|box)))"
        r"|no ?(?:one|body) (?:is |was |has been )?(?:answering|replying|responding|picking up)"
        r"|no ?(?:one|body) (?:ever )?(?:answers|replies|responds|picks up|gets back)"
        # written before ("I wrote last week about my missing parcel") and heard nothing since
        r"|(?:wrote|emailed|messaged|contacted|called|rang|phoned) (?:to )?(?:you )?(?:last week|yesterday|on (?:monday"
        r"|tuesday|wednesday|thursday|friday|saturday|sunday)|(?:a few|a couple of|two|three|\d+) (?:days|weeks) ago"
        r"|a week ago|last month)"
        r"|(?:haven't|have not|not|never) heard (?:anything|back|a thing|a word)(?: since| from you| back)?"
        r"|(?:still )?(?:no|not had a|haven't had a|not a single) (?:reply|response|answer|word)"
        r"(?! (?:needed|necessary|required|expected|needs|need))(?<!no word(?= on| about))"
        # "three emails, zero replies"
        r"|" + _NUM + r" (?:emails|e-mails|messages|calls|voicemails|attempts)(?:,| and| later,?) (?:still )?(?:zero|no"
        r"|not a single|not one|nil) (?:replies|reply|responses|response|answers|answer)"
        r"|(?:ignoring|ignored) (?:me|my)|is anyone there|anyone\?|hello\?\?"
        r"|(?:left|sent) (?:two|three|four|five|several|multiple|so many|\d+) (?:voicemails|voice messages|messages"
        r"|emails|e-mails|dms)"
        r"|is (?:anyone|anybody) (?:actually |even )?(?:running|reading|working at|in charge of|there at)"
        r" (?:this|the|your)"
        r"|(?:nobody|no one|no-one|noone) (?:ever )?(?:rings|calls|phones) (?:me )?back"
        r"|(?:haven't|have not|hasn't|has not|not|never|didn't|did not) (?:received|receive|got|get|had|gotten)"
        r" (?:any|a|an|one) (?:reply|replies|response|answer)"
        # "per my last email", "as previously stated": said before, and said again
        r"|(?:as )?per my (?:last|previous|earlier)(?: (?:two|three|four|\d+|few))? (?:email|e-mail|message)"
        # "lovely to be ignored for a week"; "it would be nice to get a reply at some point"
        # "your 'we'll get back to you shortly' autoreply is all I've had for 12 days"
        r"|(?:auto-?reply|automatic reply|auto reply|automated (?:reply|response|email))\b['\"]?"
        r" (?:is|was) all (?:i've|i have|we've|we have|i|we) (?:had|got|received)(?: for (?:\d+|two|three|four|five"
        r"|six|several) (?:days|weeks))?"
        # 'your email said "we'll be in touch within 24 hours". That was 9 days ago.'
        r"|(?:said|says|promised) ['\"]?(?:we'll|we will|we'd|someone will|someone'll) (?:be in touch|get back|reply"
        r"|respond)\b[^\n]{0,60}?\b(?:that was|it's been|it has been|still (?:waiting|nothing))"
        # "...but not to answer my email from 10 days ago"
        r"|(?:answer|reply to|respond to) my (?:email|message|e-mail)s? (?:from|of) (?:\d+|two|three|four|five|six"
        r"|several|a few) (?:days|weeks) ago"
        r"|all (?:i've|i have|we've|we have) (?:had|got|received) is (?:an?|your) (?:auto|automatic|automated)"
        # "It's the 18th. You said the 10th. Then you said the 15th."
        r"|(?:it's|it is|today is|now it's) the \d{1,2}(?:st|nd|rd|th)\b[.,;]? (?:and )?you (?:said|promised)"
        r"|you (?:said|promised)(?: me)? the \d{1,2}(?:st|nd|rd|th)\b[.,;]? (?:and )?then (?:you said|the)"
        r"|(?:to|about|for) my (?:two|three|four|five|\d+|several) (?:emails|messages)\b"
        r"|(?:(?:i|we)(?:'ve| have)? been|(?:i|we)(?:'m| am|'re| are) (?:being|getting)|(?:i|we) (?:keep|kept) (?:being"
        r"|getting)|(?:lovely|nice|great|fun) to be) ignored\b"
        r"|would be (?:nice|good|lovely|great) to (?:actually |at least |eventually )?(?:get|have|receive)"
        r" (?:a |an |some )?(?:reply|response|answer)|(?:reply|response|answer) at some point"
        r"|as (?:i )?(?:previously|already) (?:stated|said|mentioned|explained)|as stated in my (?:last|previous)"
        r"|(?:my )?last (?:two|three|\d+|few) (?:messages|emails)|(?:do|does) (?:you|anyone) (?:even )?read"
        r"|(?:checking|wondering|asking) (?:if |whether |that )?you (?:got|received|saw|had) my (?:message|email|last)"
        r"|(?<!how )(?:did|have) you (?:get|got|receive|received|see|seen) my (?:last |previous |earlier )?(?:message"
        r"|email)\b(?! address)"
        r"|(?:is|does) any(?:one|body) (?:actually |even |ever )?read(?:ing|s)? (?:these|my|this)"
        r"|(?:can't|cannot|couldn't|could not|impossible to|trying to) get (?:hold of|through to) (?:anyone|anybody"
        r"|you|someone|a person)"
        r"|(?:tried|trying|been trying) (?:calling|ringing|phoning|emailing|to call|to ring|to phone|to reach"
        r"|to contact|to get hold of) (?:you |anyone |someone )?(?:twice|three times|several times|multiple times"
        r"|many times|all day|all week|repeatedly|for days)",
    ),
    (
        "threat_chargeback",
        "threatens a chargeback",
        -3.0,
        "",
        r"chargeback|charge back(?! to\b)(?<!delivery charge back)(?<!postage charge back)(?<!shipping charge back)"
        r"(?<!delivery charges back)|disput(?:e|ing) (?:the |this |my )?(?:charge|payment|transaction)"
        r"|\bdisputing\b"
        r"|(?:contact|call|calling|contacting|tell|telling|go(?:ing)? to|speak(?:ing)? to|talk(?:ing)? to|ring(?:ing)?"
        r"|phon(?:e|ing)|report(?:ing)? (?:this|you|it) to) my (?:bank|card (?:company|provider|issuer)|credit card"
        r" company)|reverse the (?:charge|payment)"
        r"|paypal (?:claim|dispute|case)|open(?:ed|ing)? a (?:claim|case|dispute)"
        r"|dispute (?:raised|opened|filed|lodged) (?:with|through)|raised a dispute|(?:already )?reversed the charge"
        # after probe 56: "Filed a dispute with PayPal. Maybe that'll get your attention." (not "filed a claim with
        # Royal Mail for the lost parcel": the courier's, no threat to the shop)
        r"|(?:filed|filing|lodged|lodging|submitted|started|logged) a (?:paypal |bank |card )?dispute"
        r"|charge (?:has been |was |got )?reversed"
        r"|(?:go|going|went|gone) (?:to|through) paypal",
    ),
    (
        "threat_legal",
        "threatens or takes legal action, or involves an authority",
        -3.0,
        "",
        # a threat, not a mention: "my husband is a solicitor, could you deliver to his office?" and "I'm a lawyer
        # and your croissants get me through the week" are no threat
        r"(?:legal action|legal proceedings|court action|small claims court|county court)\b"
        r"|reported (?:you|your (?:business|shop|company)) to\b"
        r"|(?:take|taking|file|filing|go|going|make|making|submit|start|starting|open|opening) (?:you |this |it |a )?"
        r"(?:to )?(?:the )?small claims"
        # "sue" the verb, not Sue who writes from the café
        r"|(?:sue|suing) (?:you|your|the (?:company|shop|business))\b|(?:will|going to|gonna|could|can|might|i'll"
        r"|i will|we'll|we will|to) sue\b|(?:have|get) you sued"
        r"|see you in court|take (?:you|this|it|the matter) to court"
        r"|(?:my|our) (?:lawyer|solicitor|attorney|legal team)s? (?:will (?:be|contact|hear|write|call|deal|handle)"
        r"|(?:is|are|has been|have been) (?:aware|involved|informed|instructed|contacted|told|copied|cc'?d|handling"
        r"|dealing|looking into|in touch))"
        r"|(?:hear from|contact|contacting|call|calling|consult|consulting|speak to|speaking to|speak with|get|getting"
        r"|hire|hiring|instruct|instructing|involve|involving|pass(?:ed|ing)? (?:this|it|the matter) (?:on )?to"
        r"|hand(?:ed|ing)? (?:this|it|the matter) (?:over )?to|forward(?:ed|ing)? (?:this|it) to|go(?:ing)? to"
        r"|went to) (?:my|our|a) (?:lawyer|solicitor|attorney|legal team)\b(?!'s)"
        r"|(?:get|getting) (?:the )?(?:lawyers|solicitors|attorneys|legal) involved"
        r"|(?:report|reporting|reported|contact|contacting|contacted|complain(?:ing|ed)? to|go(?:ing)? to|went to"
        r"|speak(?:ing)? to|call(?:ing|ed)?|inform(?:ing|ed)?|tell(?:ing)?|escalat\w* (?:this|it) to)"
        r" (?:you |this |it )?(?:to )?(?:the )?(?:trading standards|ombudsman|better business bureau|bbb"
        r"|consumer protection|citizens advice|ftc|attorney general|consumer rights|environmental health"
        r"|food standards|fsa|advertising standards|asa|information commissioner|ico)\b"
        r"|(?:trading standards|the ombudsman|citizens advice|consumer protection) will (?:hear|know|be)"
        r"|report(?:ing)? (?:you|u)\b"
        r"|instructed (?:\w+ |& |and ){0,4}?(?:solicitors?|lawyers?|attorneys?)\b"
        # "You'll be hearing from my lawyer", "small claims papers are being prepared", "a claim against your
        # business through Money Claim Online", "my insurer and my lawyer are both involved now"
        r"|(?:hearing|hear) from (?:my|our) (?:lawyer|solicitor|attorney|legal team)s?"
        r"|small claims (?:papers|claim|case|form|forms|track|proceedings)|money claim online"
        r"|(?:submitted|filed|lodged|issued|made|started|opened) a (?:\w+ )?claim against (?:you|your)"
        r"|(?:my|our) (?:lawyer|solicitor|attorney)s? (?:are|is) (?:both |now |already |fully )+(?:involved|aware"
        r"|instructed)"
        r"|(?:solicitors?|lawyers?|attorneys?) to act (?:on my behalf|for me|for us|on our behalf)"
        # "Our solicitors, Harrow & Finch LLP, will be writing to you this week"
        r"|(?:my|our) (?:lawyer|solicitor|attorney)s?, [^.!?\n]{1,40}?, will (?:be )?(?:writing|write|contact"
        r"|contacting|in touch)"
        # Already under way, or an authority involved: "we act for Ms J. Carter in relation to injuries sustained", "my
        # solicitor has issued a letter before action", "I have issued proceedings against you", "the results are with
        # my solicitor and the Food Standards Agency", "Trading Standards has opened an investigation", "Laura Kent,
        # Environmental Health Officer at the district council. We have received two reports of illness"
        r"|(?:we|i) act (?:for|on behalf of) (?:mr|mrs|ms|miss|mx|dr|our client)\b"
        r"|(?:we|i) act (?:for|on behalf of) (?:[\w&'-]+ ){1,4}(?:ltd|limited|llp|plc|inc)\b"
        r"|letters? (?:of claim|before (?:action|claim))"
        r"|(?:issued|issuing|commenced|started|filed|brought|bringing) (?:court |legal |county court )?proceedings"
        r"|(?:results|evidence|photos|receipts|everything|details|matter|case|file) (?:are|is) (?:now )?with (?:my|our)"
        r" (?:solicitor|lawyer|attorney)s?\b"
        r"|(?:trading standards|environmental health|food standards agency|(?:the )?fsa|advertising standards"
        r"|information commissioner'?s?(?: office)?|(?:the )?ico)\b[^.!?\n]{0,80}?\b(?:investigat\w*|opened|opening"
        r"|inspect\w*|received (?:\w+ ){0,2}(?:reports?|complaints?)|(?:have|has) been in touch|got in touch with me"
        r"|(?:been|were|was|are"
        r"|is) (?:informed|notified|contacted|told|involved))"
        r"|(?:environmental health|trading standards) officer (?:at|from|for|with) (?:the )?(?:\w+ ){0,3}?(?:council"
        r"|authority)"
        # "I'm an officer with Gloucestershire Trading Standards", "Following a report of a serious injury to a child
        # associated with a walker supplied by you, Trading Standards...", "The Office for Product Safety and Standards
        # has been notified", "an officer will carry out an inspection", "DC Holt, West Mercia Police. We have received
        # information", "I have since been contacted by Avon and Somerset Police"
        r"|officer (?:with|at|from|for) (?:the )?(?:\w+ ){0,2}?(?:trading standards|environmental health)"
        r"|(?:following|after|we have received|we've received|we received)"
        r" (?:a |an |two |three |several |a number of )?(?:reports?|complaints?|notifications?)\b[^\n]{0,200}?"
        r"\b(?:trading standards|environmental health|product safety)"
        r"|office for product safety|\bopss\b|product safety notice|recall notice"
        r"|(?:an )?officers? will (?:carry out|visit|call|attend|inspect)|carry out an inspection"
        r"|\bpolice\b[^.!?\n]{0,100}?\b(?:investigat\w*|enquir\w*|inquir\w*|ongoing|relevant to|in connection with"
        r"|received information|believe (?:the|that|an?|it)|been in touch|want to speak)"
        # "This is PC Lloyd Jones, Dyfed-Powys Police. We have received information about a threat"
        r"|\bpolice\.? (?:we have|we've) received (?:information|a report|reports)"
        r"|\bpolice (?:are|have been|were|is|are now) (?:now |already )?involved"
        r"|(?:contacted|visited|questioned|interviewed|called) by (?:the |\w+ ){0,4}?police\b"
        # after probe 60 ("...took him into the storeroom on his own and touched him. We've called the police but I need
        # to know whether that man will be there this Saturday"): the customer has already gone to the police (not
        # "should I call the police?", "I nearly called the police", "the police called round about the raffle")
        r"|(?<!nearly )(?<!almost )(?:we've|we have|i've|i have|we|i) (?:just |already |now )?(?:called|rung|phoned"
        r"|contacted|reported (?:it|this|him|her|them) to) the police\b"
        r"|(?<!nearly )(?<!almost )(?:the )?police (?:have|has) been (?:called|informed|contacted|notified)"
        # after probes 31-33: "a consultant in health protection at UKHSA South West. We are investigating a case"
        r"|ukhsa|uk health security agency|health protection team|consultant in health protection"
        # after probes 40-42: the medical devices regulator ("MHRA Class 1 recall: bed rail model BR-200...")
        r"|\bmhra\b|medicines and healthcare products regulatory agency",
    ),
    (
        "threat_harm",
        "threatens you or your staff",
        -3.0,
        "",  # affirmative forms only: "I'm not going to hurt anyone" does not match
        # violence to the people in the shop or damage to it; hyperbole about the goods is not ("I'd kill for another
        # slice", "these brownies are killing me"), nor "I'll hit you up", "you will regret it if you buy one"
        r"(?:i'll|i will|i'm going to|im going to|i am going to|i'm gonna|im gonna|we'll|we will|we're going to"
        r"|or i'll|or else i'll|i swear i'll|i'd like to|i want to|i should) (?:come (?:down |round |over )?(?:there "
        r"|to (?:the|your) (?:shop|bakery|store|house) )?and )?(?:\w+ )?(?:"
        r"(?:punch|hit|slap|deck|batter|hurt|kill|stab|beat|strangle|thump|smack|throttle) (?:you|him|her|them|the"
        r" (?:owner|driver|staff|manager|girl|lad|guy|woman|man|baker|courier))\b(?! (?:up|off|with|to|at|in (?:sales"
        r"|price))\b)"
        r"|(?:smash|burn|torch|trash|wreck|vandalise|vandalize) (?:up )?(?:(?:your|the) (?:shop|windows?|van|place"
        r"|bakery|store|car|door|front|stall|unit|workshop|studio)\b|the whole (?:\w+ )?(?:shop|stall|place|unit"
        r"|workshop|studio|store|lot|thing)\b|every(?:thing| \w+) (?:in|on) (?:your|the) (?:\w+ )?(?:shop|shelves"
        r"|place|stall|window|unit|workshop)\b))"
        r"|(?:lucky|luck) (?:i|we) (?:didn't|did not) (?:punch|hit|slap|deck|batter|hurt|kill|stab|thump|smack) "
        r"|knock (?:his|her|your|their) (?:block|head|teeth|lights) (?:off|in|out)"
        r"|sort (?:you|him|her|them|the (?:driver|owner|manager)) out (?:myself|properly|good and proper|once and for"
        r" all)|come (?:down|round|over) (?:there )?(?:and|n|&) sort (?:you|u|him|her|them|the \w+) out"
        r"|(?:i|we) know where (?:you|he|she|they) (?:live|lives|work|works)"
        r"|(?:pop by|come to|turn up at|wait (?:at|outside)|see you at) (?:the |your (?:kids'?|children's) )?school"
        r" gates?"
        r"|i know (?:exactly )?where your (?:little )?(?:shop|bakery|store|studio|house|stall|unit) is\b[^\n]{0,80}?"
        r"(?:think about (?:that|it)|just saying|watch (?:out|yourself)|be careful|you've been warned|in person|regret"
        r"|come (?:and|to|round|down|by) (?:collect|get|discuss|sort))"
        r"|deserves? what's coming(?: to (?:them|you|him|her))?"
        r"|(?:you'll|you will|like you|they'll|they will|he'll|she'll|(?:you|they|he|she) (?:are|is|'re|'s) going to)"
        r" get what's coming"
        r"|see what happens to (?:your|that|the|this) (?:\w+ ){0,3}?(?:shop|windows?|vans?|cars?|stall|business|place"
        r"|house|bakery|workshop|unit|studio)\b"
        r"|find (?:out )?where (?:you|he|she|they) (?:live|lives)|don't (?:you )?(?:dare )?test me\s*(?:[.!]|$)"
        # "Funny how accidents happen to shops that rip people off", "before I come down there and sort it out myself"
        r"|accidents (?:happen|can happen|do happen|have a way of happening) to (?:shops|people|businesses|places"
        r"|bakeries|those)"
        r"|come (?:down|round|over) (?:there |here )?(?:and|n|&) sort (?:it|this|things) out (?:myself|my ?self)"
        r"|(?:you|u)(?:'ll| will) pay for (?:this|that|it)(?: (?:one day|believe me|mark my words))?\s*(?:[.!]|$)"
        r"|watch (?:your|his|her|their) backs?|teach (?:you|him|her|them) a lesson"
        # after probe 60: "I come saturday and I will teach this woman lesson she never forget", "I know what time you
        # lock up." (not "I know what time you close, I'll come at 4")
        r"|teach (?:this|that|your) (?:woman|man|lady|girl|guy|lad|bloke|staff|owner|shop) (?:a )?lesson"
        r"|i know (?:exactly )?(?:what time|when) (?:you|she|he|they) (?:lock up|leave|get home|walk home"
        r"|finish work)\b"
        r"|burn (?:your|the) (?:\w+ ){0,2}?(?:shop|place|bakery|store|unit|workshop|studio|house|home|van|stall) down"
        # "Someone should burn that place down with you lot inside it", "Your dog is lovely. Be a shame if he got out
        # of the garden." (not "someone should burn these candles in every house", "a shame if it went to waste")
        r"|(?:someone|somebody) (?:should|ought to|needs to|wants to|is going to|will) (?:burn|torch) (?:that|this|your"
        r"|the) (?:\w+ ){0,2}?(?:place|shop|unit|workshop|studio|bakery|farm|house|stall|business|lot) down"
        r"|(?:shame|pity) if (?:he|she) (?:got out|went missing(?! from| off)|got hurt|had an accident)"
        # "Wouldn't want anything to happen to those lovely big windows of yours", "I'll be waiting for her after
        # closing", "Be a real shame if your dogs got out onto the main road one night", "I followed your van home",
        # "I'm coming down there tomorrow with my brothers. You'll give me my money back one way or another."
        r"|(?:wouldn't|would not|won't|don't) want anything (?:bad )?(?:to )?(?:happen|happening) to (?:those|that|your"
        r"|the) (?:(?:lovely|nice|big|little|pretty|shiny|new) )*(?:windows?|shop|unit|workshop|van|car|stall|house"
        r"|home|kids|children|family|dogs?|premises|studio)\b"
        r"|(?:shame|pity) if your (?:\w+ ){0,2}?(?:dogs?|cats?|kids|children|family|windows?|van|car|unit|workshop"
        r"|shop|stall|house|home) (?:got|went|were|was|caught|ended)"
        r"|followed (?:you|your (?:van|car)|her|him) home"
        r"|(?:give|hand|pay) me my (?:money|refund)(?: back)? one way or (?:another|the other)"
        r"|(?:get|take|beat|knock) it out of (?:you|him|her|them|your hide)\b"
        r"|(?:put|throw|chuck) (?:a brick|a rock|something) (?:through|at) (?:your|the) (?:window|door|van)"
        # "You'd better hope I don't bump into you at the market", "Shame if something happened to it", "Be careful
        # walking to your car after you close up", "I'm sat outside your unit. I'll wait as long as it takes"
        r"|(?:you'd|you had|you) better (?:hope|pray) (?:i|we) (?:don't|do not|never) (?:bump into|see|meet|run into"
        r"|catch|find|turn up|show up|come (?:round|down|over))"
        r"|(?:shame|pity) if (?:something|anything) (?:happened|were to happen|was to happen|should happen) to"
        r"|(?:be careful|watch yourself|mind yourself) (?:walking|going|getting|on your way) (?:to your (?:car|van)"
        r"|home|back)\b[^.!?\n]{0,40}?(?:after you (?:close|lock)|when you (?:close|lock|leave)|at night|in the dark)"
        r"|(?:sat|sitting|waiting|parked|standing|stood) outside your (?:\w+ )?(?:shop|unit|house|home|premises|door"
        r"|bakery|studio|store|workshop)\b[^\n]{0,60}?(?:as long as it takes|until (?:someone|you)|for someone to"
        r" come out)"
        r"|(?:got|have|found|know|looked up|tracked down) your (?:home|house|personal) address"
        r"|(?:had|'d) better watch (?:himself|herself|yourself|themselves|your back|his back|her back|their back)"
        # "if I see her there again I won't be responsible for what happens"
        r"|(?:won't|will not|wouldn't|would not|can't|cannot) be (?:held )?responsible for (?:what happens|my actions"
        r"|what i do|what (?:i|he|they) might do)"
        r"|outside your (?:\w+ )?(?:shop|unit|house|home|premises|door|bakery|studio|store|workshop|stall)\b"
        r"[^.!?\n]{0,20}?[.!]? ?come out and (?:explain|face|talk|speak|sort)"
        # "Enjoy locking up tonight. I'll be watching.", "I know which van is yours", "Your kids go to St Mary's,
        # don't they? Cute.", "or my brother and his mates will come round and collect it in person", "telling people
        # he's going to 'deal with' the shop", "a comment about your assistant, including her street"
        r"|(?:i'll|i will|we'll|we will) be watching(?: you)?\s*(?:[.!]|$)"
        r"|(?:i|we) know (?:which|what) (?:van|car|house|door|bike|cottage|flat|unit|home|one) (?:is )?yours"
        r"|your (?:kids|children|son|daughter|little ones?) (?:go|goes) to \w+"
        r"|or (?:else )?(?:i|we|my \w+)(?: and (?:his|her|my|their) (?:mates|friends|boys|lads))? (?:will|'ll) come"
        r" (?:round|over|down)"
        r"|better (?:hope|pray) (?:i|we) (?:don't|do not|never) have to come"
        r"|going to ['\"]?(?:deal with|sort out|sort)['\"]? (?:the|your) (?:shop|owner|staff|place)"
        r"|(?:including|with|gave|posted|shared) (?:her|his|your|their) (?:street|home address|house)\b"
        r"|(?:read|reads|sounded|sounds) like a threat"
        # In few words: "Answer me today or I'll be round with a few mates to have a word", "I'm not the kind of person
        # you want to mess around. You'll find that out soon enough.", "tell your delivery girl she'd better not show
        # her face on my street again", "I'll come down there and smash every pot on your shelves" (above), "I've
        # driven past your unit twice this week. Next time I'll stop.", "I'm outside your workshop right now. Come
        # out.", "I'm not a violent man, but", "I'll be waiting for him after his shift", "I'll find you."
        r"|(?:i'll|i will|we'll|we will) be (?:round|over|down)(?: there| at yours| to yours| your way)?"
        r" (?:with (?:a few |some |my |the )?(?:mates|lads|boys)\b(?! to (?:collect|pick))|to have a (?:little )?word)"
        r"|not (?:the (?:kind|sort|type) of|a|someone|somebody) (?:\w+ )?(?:you (?:want|wanna|would want) to"
        r" (?:mess|mess around|mess about|mess with|cross|upset|wind up|annoy|rip off|fob off)|to (?:mess|mess around"
        r"|mess with|cross|be messed (?:with|about|around)))"
        r"|(?:you'll|you will) find (?:that |this )?out soon enough"
        r"|(?:had )?better not show (?:his|her|their|your|its) (?:\w+ )?face"
        r"|(?:driven|drove|walked|been|come|came|cycled) (?:past|by) your (?:\w+ )?(?:shop|unit|house|home|premises"
        r"|bakery|studio|store|workshop|stall|place) (?:twice|three times|several times|a few times|every day"
        r"|every night|again)\b[^\n]{0,60}?next time (?:i'll|i will|we'll|we will) stop"
        r"\s*(?:[.!]|$)"
        r"|outside your (?:\w+ )?(?:shop|unit|house|home|premises|door|bakery|studio|store|workshop|stall)\b"
        r"[^.!?\n]{0,20}?[.!]? ?come out\s*(?:[.!]|$)"
        r"|(?:i'm|i am|im) not a violent (?:man|person|woman|guy|bloke|type|sort)\b"
        r"|(?:i'll|i will|we'll|we will|they'll|they will) be waiting for (?:him|her|them|the \w+) (?:after (?:his"
        r"|her|their) (?:shift|work)|after (?:closing|close|you close|work)|when (?:he|she|they) (?:leaves?|finish\w*"
        r"|locks? up))"
        r"|(?:i'll|i will|we'll|we will) (?:always )?(?:find|track down|hunt down) (?:you|him|her|them|the owner)"
        r"\s*(?:[.!]|$)"
        # "I know where your workshop is." (said and left there), "Be a shame if it went up", "I told you what would
        # happen if you kept ignoring me", "Sat outside your house last night", "I know which school your girls go to
        # now", "Open the door or I'm coming in", "You're dead."
        r"|^i know where your (?:\w+ )?(?:shop|bakery|store|studio|house|stall|unit|workshop|home|premises|farm|barn"
        r"|yard|garage|cafe|shed|cottage) is"
        r"\s*[.!]*\s*$"
        r"|(?:shame|pity) if (?:it|the place|the (?:shop|workshop|unit|stall|bakery|studio)|your (?:\w+ )?(?:shop"
        r"|workshop|unit|stall|place|bakery|studio|van)) (?:went up|burnt down|burned down|caught fire|got (?:damaged"
        r"|smashed|burnt|burned))"
        r"|(?:i|we) (?:told|warned) you what (?:would|will|'d|was going to) happen if you (?:kept|keep|didn't|don't"
        r"|ignored|ignore|carried on|carry on)"
        r"|(?:sat|sitting|parked|waited|waiting|stood|standing) outside your (?:house|home|flat)"
        r" (?:last night|all night|every night|at night|tonight|till (?:gone|late|midnight)|until (?:gone|late"
        r"|midnight))"
        r"|know (?:which|what) school (?:your|the) (?:\w+ )?(?:kids|children|girls|boys|son|daughter)s? (?:go|goes"
        r"|attend)"
        r"|open (?:the|your) door or (?:i'm|i am|i'll|we're|we'll|i will) (?:(?:coming|going|gonna come|come) in"
        r"|(?:kick|break|smash) it (?:in|down))"
        r"|(?:^|[.!?]\s+)(?:you're|you are|youre|ur) dead\s*[.!]*\s*$|(?:you're|you are|youre|ur) dead meat\b"
        # after probes 31-33: "I'll burn your poxy shed down with you in it", "if he comes down my road again I'll put
        # him in hospital", "If she does she won't be driving back up it", "you'll be sorry. tonight.", "Me and my
        # brothers will be round on Saturday to discuss this face to face. Don't bother calling the police"
        r"|with (?:you|u|you lot|the lot of you|your \w+|them) (?:still )?(?:in|inside) (?:it|there)\b"
        r"|(?:i'll|i will|gonna|going to|i'm going to) put (?:him|her|you|them|your \w+) in (?:hospital|the hospital"
        r"|a wheelchair|the ground|an early grave)(?=\s*(?:[.!,;]|$|if|and|for|next|myself))"
        r"|if (?:he|she|they|you) (?:does|do|did|comes?|tries|try)\b[^.!?\n]{0,40}?(?:he|she|they|you) won't be"
        r" (?:driving|walking|going|getting|coming) (?:back|home|out)\b"
        r"|you(?:'ll| will) (?:be sorry|regret (?:it|this))\W+(?:tonight|tomorrow|soon|very soon)\b"
        r"|(?:me and my|with my) (?:brothers|mates|lads|boys|cousins)\b[^\n]{0,60}?\b(?:round|over|down|a visit)\b"
        r"[^\n]{0,80}?(?:face to face|police)"
        # after probes 34-36: "If I see that tutor of yours near my wife again I'll break his legs."
        r"|(?:i'll|i will|i'm going to|im going to|i'm gonna|im gonna|gonna) break (?:his|your|her|their|the \w+'s)"
        r" (?:legs?|arms?|neck|jaw|nose|face|fingers)\b"
        # after probes 40-42: "I'll slash his tyres, and him too", "Your unit would go up nicely with all those
        # batteries in it", "I know his routine"
        r"|(?:i'll|i will|gonna|i'm going to) slash (?:his|your|her|their|the \w+'s) tyres"
        r"|(?:your|the) (?:\w+ )?(?:unit|shop|workshop|barn|place|premises|van|house|studio) (?:would|will|could)"
        r" (?:go up|burn) (?:nicely|a treat|like a torch|in minutes|quick)"
        r"|i know (?:his|her|your|their) (?:daily )?routine(?:\s*[.!]|$)"
        # after probes 49-51: "Hope your insurance covers fire."
        r"|hope (?:your|you've got|you have) (?:\w+ )?insurance (?:covers?|for|that covers) (?:fire|arson)\b"
        r"(?! (?:damage )?(?:from|after|in) (?:the|your|a|last))"
        # a bomb threat, after probes 46-48: "There's a package in your studio that'll go off at 3pm. Maybe refund
        # people next time." (not a bath bomb, a cake that was "the bomb", nor a parcel that went off course)
        r"|(?:planted|placed|left|hidden|hid|put) an? (?:bomb|device|explosive)"
        r"|(?:(?<!bath )(?:bomb|device|explosive)\b[^.!?\n]{0,60}?|(?:package|parcel|something|box|bag) (?:in|at"
        r"|outside|under|inside|by) (?:your|the) (?:shop|studio|workshop|unit|premises|van|stall|warehouse|office"
        r"|building)"
        r"[^.!?\n]{0,40}?)(?:will|'ll|that'll|is going to|gonna) (?:go off|explode|blow)(?! (?:to|well|fine|ok|okay"
        r"|smoothly|without|on time|with))"
        r"|blow (?:up )?(?:your|the) (?:shop|studio|workshop|unit|premises|van|stall|warehouse)(?: up)?\b(?!'s| with"
        r"| on| online| page)",
    ),
    (
        "distress",
        "may be in crisis: talks of not wanting to go on",
        -3.0,
        "negated",  # "never thought of ending it all"
        # A customer who says they may harm themselves or see no point in living ("I don't really see the point of
        # anything now", "I won't be around much longer to use it anyway"): a person must read it now, and nothing
        # automatic may answer it. First person and plainly said: news of a "suicide attack", a band called Suicide
        # Silence, and hyperbole ("if they sell out I'll kill myself", "may as well kill myself", with "haha") are not.
        r"(?:(?:thought|thinking|think) (?:about|of) (?:suicide|killing myself|ending (?:it all|my life|things)"
        r"|taking my (?:own )?life)"
        r"|(?:i'm|im|i am|i feel|i felt|i was|i've been|i have been|(?:i'm|i am|i've been|i have been) feeling"
        r"|(?:^|(?<=[.!?] ))(?:been )?feeling) (?:so |really |very |quite |a bit |pretty )?suicidal"
        r"|suicid(?:al|e) (?:thoughts|feelings)"
        r"|(?:i )?(?:want|wanna|going|gonna|might|may|could) (?:to )?(?:just )?(?:kill|hurt|harm) myself"
        r"|(?:i've|i have|i'm|i am|i've been|i have been|been|started) self[- ]harm\w*"
        r"|(?:want|going|wanted|planning) to end (?:it all|my life|everything)|(?:take|taking) my own life"
        r"|(?:don't|do not|dont|can't|cannot|cant) (?:really )?see (?:the|any) point (?:of|in) (?:anything|living|life"
        r"|going on|carrying on|being here|any of it|it all)"
        r"|(?:no|not any|nothing) (?:reason|point) (?:to live|in living|to go on|in going on|to carry on"
        r"|in carrying on)"
        r"|be (?:around|here) long enough to (?:need|use|see|enjoy|get)"
        # warning signs said in passing: "I'm giving my things away to people who'll appreciate them", "I don't know
        # how much longer I can keep going with any of it"
        r"|giving (?:all )?(?:my|away my) (?:things|stuff|belongings|possessions) (?:away|to)"
        r"|(?:(?:don't|do not|dont) know |not sure )?how much longer i can (?:keep going|go on|carry on|cope|do this"
        r"|take (?:it|this))"
        r"|won't be (?:around|here) (?:much|for much) longer|won't be (?:around|here) to (?:use|enjoy|need|see)"
        r" (?:it|them) (?:after this (?:month|week)|anyway|any more|anymore)"
        r"|(?:everyone|everybody|they|people|you all|the world|my (?:family|kids|children))(?:'d| would)?"
        r"(?: all)? be better off without me|nothing (?:left )?to live for"
        # "i think everyone's better off without me tbh", "i just want to sleep and not wake up for a long time",
        # "anyway probably won't be around to order again", "Doesn't matter now. Nothing really does.", "the only
        # thing that makes me feel anything anymore"
        r"|(?:everyone|everybody|they|people|you all|the world)(?:'s|'re| is| are)(?: all)? better off without me"
        r"|(?:want|wanna|wish i could|hoping|just want) to (?:go to )?sleep and (?:not|never) wake up"
        r"|won't be (?:around|here) to (?:order|buy|shop) (?:again|any more|anymore)(?=\s*(?:[.,;!]|$))"
        r"|nothing (?:really )?(?:matters|does) (?:any ?more|now)(?=\s*(?:[.,;!]|$))"
        r"|(?:doesn't|does not) matter (?:now|any ?more)\W+nothing (?:really )?does"
        r"|only thing (?:that )?(?:makes|made) me feel anything"
        # "Nobody would notice if I wasn't around anyway", "I just want things tidied up for everyone before I go."
        r"|(?:nobody|no one|no-one|noone) (?:would|will|'d) (?:even )?(?:notice|care|miss me) if i (?:wasn't|was not"
        r"|weren't|were not|was gone|disappeared|died)"
        r"|(?:tidied|tidy|sorted|sort|in order) (?:up )?(?:for everyone |for them )?before i go\b(?=\s*(?:[.!]|$))"
        # "no point anymore, I won't be around to use it" (not "... to use it until March"); "I'm sorting things out
        # so nobody has to deal with my stuff"; "putting my affairs in order"; "I've given most of my plants away
        # now... I won't be needing them"; "Just wanted to say goodbye really" (`_leaves_for_a_reason`: not when
        # they are moving, retiring or the shop is closing)
        r"|won't be (?:around|here) to (?:use|enjoy|need|see|wear|read|eat|finish) (?:it|them)(?=\s*(?:[.,;!]|$))"
        r"|so (?:that )?(?:nobody|no one|no-one|noone) (?:has|will have|needs) to (?:deal with|sort out|sort through"
        r"|clear out|go through) my (?:stuff|things|belongings|mess|affairs)"
        r"|(?:putting|put|getting|got|sorting|sorted) (?:all )?my affairs (?:in order|sorted)"
        # "I won't be needing the order now. I've put things in order and my sister will..."
        r"|won't be needing\b[^\n]{0,60}?\b(?:put|putting|got|getting) (?:things|everything|my things) in order"
        r"|(?:given|giving|gave) (?:away )?(?:most of |all of |all |the rest of )?my (?:\w+ )?(?:things|stuff"
        r"|belongings|possessions|plants|books|clothes|records|jewellery|jewelry|furniture|candles)(?: \w+)? away\b"
        r"[^\n]{0,160}?won't (?:be )?need(?:ing)? (?:them|it|any)"
        r"|(?:just )?(?:wanted|want|writing|wanting) to say (?:a )?goodbye"
        # "I won't be around after this week. I've sorted my things and written my letters", "wanted something nice
        # before the end", "I don't think I'll be needing anything again", "give whatever's left to someone who needs
        # it", "nothing's really mattered since the divorce", "I don't see the point of much anymore"
        r"|won't be (?:around|here) after (?:this|next) (?:week|month|weekend)|written (?:my|all my|the) (?:letters"
        r"|goodbyes)|saying my goodbyes"
        r"|(?:something|one last \w+|a last \w+|a final \w+|a treat)(?: nice)?(?: for myself)? before the end"
        r"(?=\s*(?:[.!]|$))"
        r"|(?:won't|will not|don't think i'll|don't think i will) (?:be )?need(?:ing)? anything (?:again|ever again"
        r"|anymore|any more)"
        r"|(?:give|pass) (?:whatever's|whatever is|what's|anything) left (?:over )?to (?:someone|somebody|anyone)"
        r"|nothing(?:'s| has)? (?:really )?mattered (?:since|for)"
        # "I don't think I'll be here much longer", "I want her to get it after I'm gone", "I've been writing to
        # everyone who's been kind to me", "the last thing I give anyone", "I won't be needing the subscription any
        # more, or anything really", "Please give my candles to someone who'll enjoy them"
        r"|(?:(?:don't|dont|do not) think (?:i'll|ill|i will)|may not|might not) be (?:around|here) (?:much|for much)"
        r" longer"
        # "I won't need books where I'm going", "any books on how to end things painlessly? It's for me"
        r"|(?:won't|will not|wont) need (?:\w+ ){0,2}where i'm going\.\s+thank|end (?:things|it all|it|my life)"
        r" painlessly"
        r"|painless(?:ly)? way to (?:die|go|end)"
        # "I've decided I'm not going to be around after this weekend", "i'm not going to be around much longer", "I
        # won't need anything after this week", "I don't think I can do this anymore without him" (not "I've decided
        # I'm not going to be around for the delivery", "I won't need anything after this week as we're moving":
        # `_leaves_for_a_reason`)
        r"|(?:decided|made up my mind) (?:that )?(?:i'm|i am|im) not (?:going|gonna) to be (?:around|here)"
        r"(?! (?:for|to|when|on|at|in|until|till)\b)"
        r"|(?:i'm|i am|im) not (?:going|gonna) to be (?:around|here) (?:much|for much) longer(?! (?:in|at|with|as)\b)"
        r"|(?:won't|will not|wont) need anything (?:else )?after (?:this|next) (?:week|weekend|month)"
        r"(?=\s*(?:[.,;!]|$))"
        r"|(?:can't|cannot|(?:don't|dont) think i can) do this (?:any ?more )?without (?:him|her|them)\b"
        # "not like I'll be around to use it", "I prob won't be here by the time it comes anyway", "I've been
        # stockpiling my tablets", "the last nice thing I wanted to have", "I won't be able to tell her myself"
        r"|not like i'll be (?:around|here) (?:to|for|much|long)"
        r"|won't be (?:around|here) by the time (?:it|they) (?:comes?|arrives?|gets? here)\b[^.!?\n]{0,10}?anyway"
        r"|stockpil\w* (?:my |all my |up my )?(?:tablets|pills|medication|meds|painkillers)"
        r"|(?:the )?last nice thing (?:i|i'll|i will) (?:wanted|want|get|buy|have)"
        r"|won't be (?:able to|here to|around to) tell (?:her|him|them) (?:myself|in person)"
        r"|(?:after|when|once) i'm gone\b(?! (?:on|for|to|away|abroad))"
        r"|writing to (?:everyone|everybody|all the people) who(?:'s| has| have|'ve) been kind"
        r"|(?:the )?last thing i (?:will )?(?:give|buy|do|send) (?:anyone|anybody|for anyone)"
        r"|won't be needing\b[^.!?\n]{0,50}?\b(?:or|and) anything (?:else )?really"
        r"|give (?:all )?my (?:\w+ ){0,2}to (?:someone|somebody|people) who(?:'ll| will| can| could) (?:enjoy|use"
        r"|appreciate|need|love)"
        r"|(?:don't|do not|dont|can't|cannot|cant) (?:really )?see (?:the|any) point (?:of|in) (?:much|anything much)"
        r" (?:anymore|any more)"
        r"|(?:don't|do not|dont) (?:really )?(?:want|wanna) to (?:be here|be alive|live|wake up|exist|go on|carry on)"
        r" (?:anymore|any more|like this))\b"
        # after probes 31-33: "Took all my tablets at once, saves time", "sitting here with a load of pills", "I'll
        # end it and it'll be on you", "I don't think I can do this much longer", "the last thing I wanted to sort out
        # before I go", "thanks for everything before I go" (not "... before I go on holiday")
        r"|(?:took|taken|swallowed) (?:all|the whole|a whole|a load of|loads of) (?:of )?(?:my |the )?(?:tablets|pills"
        r"|meds|medication|paracetamol)(?! for (?:today|the day|this morning))"
        r"|(?:sitting|sat) (?:here )?with (?:a load of|all my|loads of|a pile of|a bottle of) (?:pills|tablets)"
        r"|(?:i'll|i will|i'm going to|gonna) end it(?: all)? (?:and|tonight|today)\b"
        r"|(?:don't|dont|do not) think i can (?:do this|keep going|go on|carry on) (?:much|for much) longer"
        r"(?! without (?:a|an|some|the|my|more|proper)\b)"
        r"|last thing i (?:wanted|want|needed|need) to (?:sort|do|sort out)\b[^.!?\n]{0,20}?before i go\b"
        r"(?!\s+(?:on|to|away|abroad|back|into|for|out|in)\b)"
        r"|(?:say|said) (?:thanks|thank you) for everything before i go\b(?!\s+(?:on|to|away|abroad|back|into|for"
        r"|out|in)\b)"
        # after probes 34-36: "I'm going to light it tonight and take all my tablets" (not "... take all my tablets
        # with me on holiday"), "I've sorted all my affairs now." (not "... before the move")
        r"|(?:i'm going to|i am going to|im going to|gonna|i'll|i will)\b[^.!?\n]{0,40}?\b(?:take|swallow) all"
        r" (?:of )?(?:my|the|these|those) (?:tablets|pills|meds|medication|painkillers)\b(?! (?:with|on|to|away"
        r"|abroad|in|into|for|back)\b)"
        r"|(?:i've|i have|i) (?:now )?(?:sorted|sorted out|put|got) (?:all )?(?:of )?my affairs(?: (?:in order"
        r"|sorted))?(?: now)?\s*(?:[.!]|$)"
        # after probes 40-42: "I took too many of my tablets last night and I'm not really ok", "the last nice thing I
        # own. I won't need it for long."
        r"|(?:took|taken|had) too many (?:of )?(?:my |the )?(?:tablets|pills|meds|painkillers|sleeping pills)"
        r"|(?:won't|will not|wont) (?:need|be needing|have) (?:it|them|anything) (?:for )?(?:very )?long"
        r"(?:\s*[.!]|$| now)",
    ),
    (
        "at_risk",
        "may not be safe at home: asks you to keep their orders or emails from someone who reads them",
        -1.6,
        "negated",  # "he doesn't read my emails"
        # "Please send it to my work. He goes through the post and I'm not allowed to buy things for myself. And please
        # don't email a receipt, he reads my emails." A reply, a receipt or a reminder may be read by the person they
        # fear: the owner decides what to send, and nothing automatic answers. Not a surprise kept from someone
        # (`_keeps_a_surprise`), nor "my son reads my emails to me".
        r"(?:he|she|my (?:husband|partner|wife|boyfriend|girlfriend|ex|other half))(?:'s| is)? (?:always |often "
        r"|sometimes |now |still )?(?:reads|checks|checking|reading|goes through|going through|monitors|monitoring"
        r"|looks through|opens|controls) (?:all )?(?:of )?my (?:emails|e-mails|email|post|mail|phone|messages|texts"
        r"|bank|statements|letters|parcels|accounts?|money|spending)\b(?! (?:to|for) me)"
        r"|(?:don't|do not|dont|stop) send(?:ing)? (?:any )?(?:more )?(?:\w+ )?(?:to )?(?:this|my) (?:email|address"
        r"|e-mail)[^.!?\n]{0,20}?\b(?:he|she) (?:checks|reads|sees|opens|looks at) (?:it|them)"
        r"|(?:moved into|staying in|living in|in|at|from|it's|it is|this is) a (?:women's )?refuge\b"
        # "If a man called Mark rings asking for my address, please don't give him anything. I've moved for a reason.",
        # "please don't confirm to anyone who calls that I'm a customer. My ex has been turning up", "My ex has been
        # sending things to my new address in my name"
        r"|(?:don't|do not|never) (?:give|tell|confirm|pass on|release) (?:to )?(?:him|her)\b[^.!?\n]{0,40}?(?:my"
        r" (?:address|details|number|order)|anything|that i'm|that i am|where i)"
        r"|(?:don't|do not|never) confirm to (?:anyone|anybody|any ?one) (?:who (?:calls|rings|asks|phones|emails))"
        r"|(?:i've|i have|i) moved (?:house |address |away )?for a reason"
        # "I have a non-molestation order", "He can't see it. I'm not safe here right now."
        r"|non-molestation order|restraining order|protective order|injunction against (?:him|her|my ex)"
        r"|(?:i have|i've got|i've) a stalker|(?:being|been) stalked|(?:is|has been|keeps|been) stalking me"
        r"|(?:i'm|i am|im) not safe (?:here|at home|there|right now|with him|with her)"
        r"|my ex (?:has been|is|keeps|kept|has started) (?:\w+ ){0,2}?(?:turning up|showing up|following me|tracking"
        r" me|ordering things|sending things|using my name)"
        r"|(?:can't|cannot|daren't|dare not|don't want to) go (?:back )?home\b[^.!?\n]{0,10}?(?:not after|after (?:last"
        r" night|what happened)|because of (?:him|her))"
        r"|(?:he|she|my ex) (?:can't|cannot|mustn't|must not|shouldn't|must never) (?:find out|know|see) where i"
        r"|(?:my ex|he|she) (?:has been|is|keeps|has) (?:\w+ ){0,6}?to (?:try to )?find (?:out )?(?:my|where i)"
        r"|(?:my (?:husband|partner|wife|boyfriend|girlfriend|ex)|he|she) (?:checks|reads|goes through|monitors) mine\b"
        r"|(?:i'm|im|i am|i was|i feel|i've been|i get) (?:\w+ )?(?:scared|afraid|frightened|terrified) of (?:him|her"
        r"|my (?:husband|partner|ex|boyfriend|girlfriend))\b"
        r"|(?:i'm|im|i am) not (?:allowed|permitted) to (?:buy|spend|order|get) (?:anything|things|stuff|money|much"
        r"|for myself|myself|nice things)"
        r"|(?:not|isn't|is not|wouldn't be|won't be) safe (?:for me )?(?:at home|if (?:he|she) (?:finds|found|sees|saw"
        r"|knew|knows))",
    ),
    (
        "threat_review",
        "threatens a bad review",
        -2.4,
        "negated or praised",  # "I won't leave a bad review"; "a glowing review on Trustpilot" is a promise
        r"\b(?:one|1|zero|0)[- ]star|(?:bad|negative|honest|terrible) review|review (?:everywhere|on)"
        r"|(?:tell|warn) (?:everyone|everybody|others|people)|post (?:about )?this (?:on|online)"
        # "Posted on the local Facebook group about you" (not "tell my followers": as often praise as a threat)
        r"|posted (?:on|in) (?:the |my |a )?(?:local )?(?:facebook"
        r"|fb|instagram|twitter|tiktok|reddit|mumsnet|nextdoor)\b[^.!?\n]{0,30}?\babout (?:you|this|your)"
        # "I'll be telling everyone in my local Facebook group how I've been treated"
        r"|(?:i'll|i will|i'm going to|i am going to|going to|gonna) (?:be )?(?:telling|warning) (?:everyone|everybody"
        r"|others|people)"
        r"|trustpilot|tripadvisor|feefo|yelp|google reviews?"
        # "It would be a shame if word got around about how you treat your customers"
        r"|(?:shame|pity) if (?:word|people) (?:got|get|gets|were to get) (?:around|round|out|to know)"
        r"|word gets (?:around|round) (?:fast|quickly)"
        r"|make sure (?:everyone|everybody|people|the world) (?:knows|hears)"
        r"|review (?:telling|warning) (?:everyone|everybody|people|others)|alongside my review"
        r"|(?:i'll|i will|i'm going to|going to|gonna) (?:be )?(?:post|posting|share|sharing)"
        r" (?:that|this|the|these|those|my) screenshots?"
        r"|(?:i'll|i will|i'm|im|i am|we'll|we will|going to|gonna) (?:be )?(?:post|posting) (?:about )?(?:this|it)"
        r" (?:on|in) (?:the |my |our |every |all the )?(?:\w+ )?(?:facebook|fb|instagram"
        r"|twitter|tiktok|reddit|mumsnet|nextdoor|group|page)",
    ),
    (
        "scam",
        "mentions a scam, fraud or hacking",
        -2.4,
        "negated",  # "not a scam at all, it came!"
        # an accusation ("this is a scam"), or a question the owner should answer ("is this email a scam?")
        r"(?:scam|scams|scammers?|scammed|fraud|fraudulent|fraudsters?|con artists?|crooks?|thie(?:f|ves)"
        r"|daylight robbery|hacked|phishing|spoofed|spoofing|data breach)\b|stole (?:my|our) money|ripped (?:me|us) off"
        r"|(?:leaked|sold|shared) my (?:details|data|email|address)"
        # "I think someone is using my account"
        r"|(?:someone|somebody|some ?one else) (?:is |has been |was |else is |else has been )?(?:using|logged into"
        r"|logging into|accessing|got into|in) my (?:account|card|details|login)\b"
        # "my ex ordered from you using my card without asking", "someone has used my card on your website"
        r"|(?:using|used|with|on) my (?:card|account|details|paypal)(?: \w+){0,3}? without (?:asking|my (?:permission"
        r"|consent|knowledge|say-so))|(?:someone|somebody|a stranger) (?:has )?(?:just )?used my (?:card|account"
        r"|details)"
        r" (?:on your|at your|with you|to (?:order|buy|place))"
        # "Someone has bought a £240 necklace on your site with MY card"
        r"|(?:someone|somebody|a stranger) (?:has |have )?(?:just )?(?:bought|ordered|purchased|paid for)\b"
        r"[^.!?\n]{0,60}?\b(?:with|using|on) my (?:credit |debit |bank )?(?:card|account|details|paypal)\b"
        # "notifications from my bank for payments to your shop that I didn't make"
        r"|(?:payments?|charges?|transactions?) (?:to (?:your shop|you|your \w+) |on my (?:card|account|statement) )?"
        r"(?:(?:from|to|for) (?:your shop|you|your \w+|£?\$?\d+(?:\.\d\d)?) )?"
        # "a £240 charge from your shop on my credit card that I did not make"
        r"(?:on my (?:credit |debit )?(?:card|account|statement) )?(?:that |which )?(?:i|we)"
        r" (?:definitely |certainly |honestly |never )?(?:didn't|did not|never|don't|do not) (?:make|made|authori[sz]e"
        r"|authori[sz]ed|recogni[sz]e)"
        # a gift card emptied by someone else
        r"|gift ?card\b[^\n]{0,120}?\b(?:someone|somebody) (?:has |must have )?(?:used|spent|drained|emptied) it"
        # a supplier's "our bank details have changed, please pay the outstanding invoice to..." (the commonest fraud
        # on a small business: escalation makes it an alert and says to check by phone)
        r"|(?:our|the company's|their) (?:bank|banking|account|payment) details have (?:now |recently )?(?:changed"
        r"|been (?:changed|updated))"
        r"|(?:has|have) changed (?:banks|bank accounts?)|(?:pay|payment)\b[^.!?\n]{0,40}?(?:to|into) (?:our|the) new"
        r" (?:bank )?account"
        # "my card's being charged right now. This wasn't me."
        r"|my (?:card|account|details) (?:has|have) (?:just )?been used (?:on|at|with) your"
        r"|(?:card|account)(?:'s| is) being (?:charged|used)\b[^.!?\n]{0,30}?(?:[.!]\s*)?(?:this|that|it)"
        r" (?:wasn't|was not) me\b"
        # an account taken over: "an email saying my password was changed - I didn't change it", "Your payout bank
        # account was changed at 02:14 from a new device. If you did not make this change..."; a card-testing attack
        # on the checkout; "we have accessed your customer database... pay 0.5 BTC"
        r"|(?:password|email address|login|bank account|payout (?:bank )?account|bank details|account details)"
        r"(?: was| has been| had been| were| have been)? (?:changed|reset)\b[^\n]{0,80}?(?:i didn't|i did not"
        r"|wasn't me|was not me|not me|if you did not|if you didn't)"
        r"|card[- ]testing"
        r"|(?:accessed|hacked into|breached|stolen|downloaded|copied) your (?:customer )?(?:database|customer (?:data"
        r"|list|records|details))",
    ),
    (
        "impersonation",
        "says someone may be using your shop's name",
        -1.6,
        "negated",  # "it wasn't someone pretending to be you, it was my bank"
        # Someone taking money or details in the shop's name: other customers may be paying a fake shop or giving it
        # their bank details now, so the owner warns them today ("someone claiming to be you", "an Instagram account
        # with your logo", "a text saying it was from you asking me to pay a customs charge", "a website that copies
        # yours exactly"). "Is this email really from you?" alone is a scam question, for the inbox.
        r"(?:claiming|pretending|purporting) to be (?:you|from you|your (?:shop|company|business|store))"
        r"|(?:using|used|stolen|copied|copies|copying) your (?:\w+ )?(?:name|logo|photos|pictures|brand|branding"
        r"|identity|website|site|wording)|copies yours"
        r"|(?:saying|claiming|say|claim|said|claimed) (?:they're|they are|they were|he's|she's|he was|she was) (?:you"
        r"|from you|from your (?:shop|company|business|store))\b"
        r"|(?:fake|copycat|impostor|imposter|cloned) (?:account|page|site|website|shop|store|profile)"
        r"|(?:account|page|profile|site|website) (?:with|using) your (?:logo|photos|pictures|name|branding)"
        r"|(?:text|email|e-mail|message|call|letter) (?:saying|claiming) (?:it was|it's|it is|they were|to be)"
        r" from you"
        # "Got a text from 'you' saying my parcel was held at customs", "an email from something that looked like your
        # shop", "a website that looks exactly like yours", "They've got all your photos", "a man saying he works for
        # you, asking me to read out the code", "did you change your bank details? I got the invoice ... asking me to
        # pay into a new account", "Someone is emailing customers from 'orders@yourshop-support.co'"
        r"|(?:from|by) ['\"\u2018\u201c](?:you|your (?:shop|company|team|store))['\"\u2019\u201d]"
        r"|(?:something|email|e-mail|site|website|page|account|text|message)(?: that| which)? (?:looked|looks"
        r"|look) (?:exactly |just |identical |almost exactly |a lot )?like (?:yours|it was (?:from )?you\b|your (?:shop"
        r"|site|website|emails?|company|business|store|brand)\b)"
        r"|(?:they've|they have|they've got|they have got|using) (?:all )?your (?:photos"
        r"|pictures|logo|branding|product (?:photos|descriptions))"
        r"|(?:saying|claiming|claimed|claims) (?:he|she|they) (?:works?|worked|was|were|is|are) (?:for|with|from)"
        r" (?:you|your (?:shop|company|business|store|team))\b"
        r"|(?:did|have|had) you (?:changed?|updated?) (?:your )?(?:bank|account|payment) details"
        r"|(?:pay|paid|paying|payment|transfer\w*|send|sent) (?:it |the (?:balance|money|deposit|invoice) )?(?:in)?to"
        r" a (?:new (?:bank )?account|different (?:bank )?account (?:than|from|to) (?:usual|normal|before|last time))"
        # "Your Facebook page has been hacked, it's messaging your followers asking them to send money in your name", "a
        # WhatsApp from Niamh's number saying she's stuck abroad and needs me to send €500"
        r"|(?:your|the shop's) (?:facebook|instagram|tiktok|twitter|whatsapp|email|website|site)(?: page| account)?"
        r" (?:has been|was|is|got|'s been) (?:hacked|compromised|taken over)"
        r"|(?:money|payments?|scams?|donations?) in your (?:shop's |business's )?name\b"
        r"|(?:whatsapp|text|message) from \w+'s (?:number|phone)\b[^.!?\n]{0,60}?(?:send|transfer|pay|money|€|£|\$)"
        r"|(?:someone|somebody|people|scammers?) (?:is |are |has been |have been |'s been )?(?:emailing|texting"
        r"|messaging|calling|phoning|contacting) (?:your |other |all your )?customers"
        # after probes 31-33: "There's a fake copy of your website taking payments right now"
        r"|(?:fake|copycat|cloned|clone|scam) (?:copy |version )?of your (?:website|site|shop|page|store)",
    ),
    (
        "never_again",
        "says they will not order again",
        -2.4,
        "",
        r"never (?:ever )?(?:order|ordering|buy|buying|shop|shopping|use|using|come|coming|go|going|step|return)"
        r" (?:\w+ )?(?:\w+ )?(?:\w+ )?again"
        r"|(?:won't|will not|wouldn't|would not|never) (?:be )?(?:go|going|come|coming) back"
        r"|(?:won't|will not|wouldn't) (?:be )?(?:ordering|order|buying|buy|shopping|recommend)"
        r"|last time i (?:order|buy|shop)"
        r"|(?:not|no|in no) (?:in a )?(?:rush|hurry) to (?:order|buy|shop|come back|return|use)",
    ),
    (
        "sarcasm",
        "sounds sarcastic",
        -2.2,
        "",
        # Praise said through gritted teeth. Every match also needs a problem situation next to it
        # (`_PROBLEM`, or another problem cue in the message): "thank you so much for the lovely note"
        # is thanks, "so much for next-day delivery, still waiting" is not.
        r"thanks? (?:you )?for nothing|just (?:great|wonderful|fantastic|brilliant|perfect|marvell?ous)\b(?:[.!]|$)"
        r"|yeah,? right|what a joke|(?<!thanks )(?<!thank you )(?<!thank you very )\bso much for\b"
        r"|oh (?:great|wonderful|brilliant|good|joy)|(?:really|sure) helped\.|great job\.{2,}|thanks a lot\.{2,}"
        r"|^(?:great|wonderful|fantastic|brilliant|perfect|lovely)[,.!] (?:another|more|still|now)"
        r"|love (?:waiting|being (?:ignored|kept waiting|charged))|seriously\?|\bsurprise,? surprise|just wow\b"
        r"|i'll just wait (?:another|a few more|some more|forever)"
        # "Cheers for the soggy bread", "Thanks a lot for the broken mug" (not "thanks for the refund on the broken
        # mug")
        r"|(?:^|(?<=[.!?] ))(?:cheers|thanks|thank you)(?: a lot| so much| very much)? for the (?:\w+ )?(?:soggy"
        r"|broken|stale|squashed|crushed|smashed|melted|mou?ldy|burnt|wrong|damaged|cracked|leaking|rotten)\b"
        # "amazing how fast you took my money and how slow you are to send the order"
        r"|(?:amazing|funny|incredible|interesting|impressive) how (?:fast|quick(?:ly)?|quickly|easily) you"
        r" (?:took|take|taken|charged|charge|cashed)"
        r"|(?:no (?:rush|hurry|worries)|take your time)(?: then| apparently| obviously"
        r"|,? (?:it's|it is|i've|i have|i'm|i am|i) only (?:been|waited|waiting|for|need|needed))",
    ),
    (
        "wants_owner",
        "asks for the owner or a manager",
        -1.8,
        "",
        r"(?:speak|talk|speaking|talking) (?:to|with) (?:the |a |your )?(?:owner|manager|supervisor|someone in charge"
        r"|a (?:real )?(?:person|human))"
        r"|(?:a |an )?(?:real|actual|living) (?:human|person|people)\b(?! (?:would|could|can|will|might|is|was)\b)"
        r"|(?:reply|answer|respond)(?:ed)? (?:from|by) a (?:human|person)"
        r"|(?:response|reply|answer|call) from (?:someone|somebody) (?:senior|in charge|more senior)",
    ),
    (
        "worried",
        "worried about their order",
        -1.2,
        "negated or past",  # "don't worry, it will arrive" is no worry; "I was worried..." is resolved
        # about the order itself ("a bit worried about my order", "nervous about the parcel") ...
        r"(?:worried|worrying|nervous|anxious|concerned|panick?ing|scared|stress(?:ed|ing))\b[^.!?\n]{0,30}?"
        r"\b(?:about|for|over|regarding|with) (?:my|the|our|this|her|his|their) (?:\w+ )?" + _ORDER + r"\b"
        # ... or that it will not come in time
        + r"|(?:worried|worrying|worry|nervous|anxious|concerned|panick?ing|scared|stress(?:ed|ing))\b"
        r"[^.!?\n]{0,60}?\b(?:(?:needs?|need it|has|have|got) to (?:be here|arrive|be delivered|get here|be with"
        r" (?:me|us|her|him)) (?:by|before|for)\b|(?:won't|wont|will not|might not|may not|wouldn't|would not"
        r"|not going to|isn't going to|won't be able to|not) (?:\w+ )?(?:arrive|come|get (?:here|there|to (?:me|us|her"
        r"|him))|be here|be there|make it|turn up|reach|be delivered|be ready)|(?:in|on) time\b"
        r"|before (?:the |my |our |her |his |their )?"
        r"(?:party|wedding|birthday|event|weekend|christmas|holiday|holidays|trip|flight|funeral|anniversary"
        r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|big day|\d)"
        # "I'm really stressed, the wedding is on Saturday and ..."
        r"|(?:party|wedding|birthday|event|funeral|christening|big day) is (?:on |this |next )?(?:monday|tuesday"
        r"|wednesday|thursday|friday|saturday|sunday|tomorrow|\d))"
        # ... or asked, then told: "will my order arrive before Christmas? I'm getting a bit anxious"
        r"|(?:will|would) (?:it|my|the|our|they) (?:\w+ )?(?:arrive|come|get here|be here|be delivered|be ready)\b"
        r"[^\n]{0,80}?\b(?:anxious|worried|nervous|stressed|panick?ing|concerned)\b"
        # ... or whether what came is safe ("the chocolate had bloomed and gone white, is it still safe to eat?")
        r"|(?:is|are) (?:it|they|this|these|that) (?:still )?(?:safe|ok|okay|alright|all right) to (?:eat|drink|use"
        r"|give|feed|serve)"
        # a change in the goods they ask about: "the chocolate was white and powdery when it arrived, is that normal?"
        r"|(?:is|was) (?:that|this|it) (?:normal|meant to (?:be|happen|look like that)|supposed to (?:be|happen|look"
        r" like that))\?"
        # did it work? "I've had no confirmation email, did my order go through?"
        r"|did (?:my|the|our) (?:order|payment) (?:actually )?(?:go through|work)\b"
        r"|(?:no|not had an?|haven't had an?|never got an?|didn't get an?|not received an?|haven't received an?"
        r"|didn't receive an?) (?:order confirmation|confirmation (?:email|e-mail))\b"
        # as a reader of English as a second language may put it: "I paid but I did not get email of confirmation.
        # Is order ok?"
        r"|(?:email|e-mail|mail|message) of confirmation|is (?:my |the |our )?order (?:ok|okay|alright|all right"
        r"|fine|good)\?",
    ),
    (
        "unhappy",
        "says they are unhappy with the service",
        -2.0,
        "negated",
        r"\bnot (?:happy|impressed|pleased|satisfied|acceptable|good enough|ok|okay)\b|unacceptable"
        # "ridiculous", not "ridiculously good" or "ridiculous how good it is"
        r"|ridiculous\b(?! (?:how |just how )?(?:good|tasty|delicious|yummy|cheap|fast|quick|nice|lovely|gorgeous"
        r"|beautiful|pretty|cute|moreish|well))"
        r"|(?:poor|terrible|awful|horrible|appalling|shocking|worst) (?:service|quality|experience|packaging|"
        r"customer service|communication)|gone downhill|disappoint|fed up|frustrat"
        r"|\bupset\b(?! (?:stomach|tummy))(?<!stomach upset)(?<!tummy upset)(?<!stomach's been upset)"
        r"(?<!stomach has been upset)(?<!stomach was upset)(?<!stomach is upset)(?<!tummy's been upset)"
        r"|\bjunk\b|rip[- ]?off"
        r"|waste of money|(?:can't|cannot) believe (?:how long|it's been|i have to|i had to)"
        # "well that was a waste of £40"; "your delivery charges are getting silly"
        r"|waste of (?:[£$€]\d|\d+ (?:pounds|quid|dollars|euros))|extortionate"
        r"|(?:charges?|prices?|postage|shipping|delivery|costs?|fees?) (?:are|is) (?:getting )?"
        r"(?:a bit |really )?silly\b"
        # plain anger, which the model reads too mildly when no situation is named ("Absolutely livid.")
        r"|furious|livid|fuming|outraged|seething|infuriat\w*|\bangry\b(?! birds?\b)|pissed off|disgusted|appalled"
        # (not "a nightmare for my diet", "gutted when I finished the last slice")
        r"|sick (?:and tired )?of|had enough|devastated|heartbroken"
        r"|gutted(?! (?:when|that|because|as) (?:i|we|they|he|she)(?:'d| had)? (?:finished|ate|eaten|ran out|polished"
        r"|got to the (?:last|end)))(?! (?:it's|they're|that it's|that they're|they've|it's all|they're all) (?:all )?"
        r"(?:gone|finished|sold out|eaten))"
        r"|nightmare(?! for (?:my|the|your|our) (?:diet|waistline|willpower|figure|hips|teeth))|unprofessional"
        # rude to them, not "sorry, I was rude on the phone yesterday"
        r"|rude\b(?<!i was rude)(?<!i was so rude)(?<!i was very rude)(?<!i was really rude)(?<!i was a bit rude)"
        r"(?<!for being rude)(?<!i've been rude)(?<!i'm being rude)"
        r"|disrespectful"
        # "Fine. Keep the money. Clearly you don't care."; "Is this some kind of joke?"
        r"|(?:clearly|obviously) you (?:don't|do not) care|you (?:clearly|obviously) (?:don't|do not) (?:even )?care"
        r"|is this (?:some kind of |some sort of |a )joke"
        # "not sure why I bother ordering from small shops anymore"
        r"|(?:not sure|don't know|dunno|no idea|wonder) why i (?:even )?bother\b"
        # a wasted trip: "nobody told me the shop would be closed, I drove 40 minutes for nothing"
        r"|(?:drove|driven|travell?ed|made the trip|queued|took the day off|came all the way|walked all the way)\b"
        r"[^.!?\n]{0,40}?\bfor nothing\b"
        r"|(?:nobody|no one|no-one) (?:told|warned|informed|let) (?:me|us) (?:know )?(?:that|the|it|you)\b"
        # a complaint in so many words: "I wish to make a formal complaint", "shocked at how I've been treated"
        r"|(?:make|making|file|filing|lodge|lodging|raise|raising|register|registering|submit) (?:a |an )?(?:formal"
        r" |official )?complaint|formal complaint|(?:want|wish|like|need) to complain(?! about nothing)"
        r"|shocked (?:at|by|with)"
        r"|(?:the way|how) (?:i|we)(?:'ve| have)? been treated|(?:the|your) worst (?:\w+ )?(?:in (?:town|the)|ever\b"
        r"|(?:i|we|you)(?:'ve| have)? ever)"
        # "£12 for shipping on a £15 order is a joke", "this is an absolute joke" (not "relax, it was a joke")
        r"|(?:price|prices|postage|shipping|delivery|service|charges?|costs?|fees?|order|packaging)(?:'s| is| are)"
        r" (?:an? )?(?:absolute |complete |total |bit of a |frankly a )?(?:joke|farce|disgrace)\b"
        r"|(?:this|that|it)(?:'s| is) (?:an? )?(?:absolute|complete|total|utter) (?:joke|farce)\b"
        r"|(?:this|that|it)(?:'s| is) (?:an? )?(?:absolute |complete |total |utter )?disgrace\b"
        r"|(?:feel|felt|been|was|were) (?:completely |totally |so |really )?(?:lied to|misled|cheated(?! on)|conned"
        r"|mis-?sold)"
        r"|(?:that's|that is|this is|it's|it is) (?:completely |totally |very |so )?misleading|false advertising"
        r"|(?:the )?rudest (?:reply|response|email|person|service|staff|message)"
        r"|(?:you|you lot|you people|your (?:shop|company|business|service)) (?:are|is) (?:an? )?(?:absolute |complete "
        r"|total )?(?:joke|disgrace|shambles)\b"
        # value for money: "I expected a lot better", "not worth the price", "overpriced"
        r"|expected (?:a lot |a bit |much |so much |far |way |a great deal )?better|\boverpriced\b"
        r"|not (?:at all |really |quite )?what (?:i|we) (?:expected|was expecting|were expecting|hoped for|paid for)"
        r"|not worth (?:the (?:money|price|cost)|what (?:i|we) paid|paying)|(?:poor|bad|terrible|awful) value"
        # a regular let down: "the first time I've been let down", "the quality has really slipped lately"
        # "this is the second time this has happened"
        r"|(?:second|third|fourth|2nd|3rd|4th) time (?:this|it|that) (?:has )?happened"
        # again: "this morning's delivery didn't turn up at all. Not the first time."
        r"|not the first time\b(?! (?:i|we)(?:'ve| have)? (?:ordered|bought|been|had|tried|used|visited|come|shopped"
        r"|eaten|made))"
        # "they were wilted, really embarrassing" (a gift gone wrong in front of someone)
        r"|(?:really|so|very|quite|totally|absolutely|utterly|extremely) embarrass(?:ing|ed)|embarrassed (?:me|us)\b"
        r"|(?:^|(?<=[.!?] ))(?:very|so|really|extremely) bad[.!]"
        r"|(?:been|feel|felt|feeling|so|really) let down|you(?:'ve| have)? (?:really )?let (?:me|us) down"
        r"|(?:quality|standards?) (?:has|have|had|is|was) (?:\w+ )?(?:slipped|dropped|declined|fallen|gone down"
        r"|gone off|deteriorated|not what it was)",
    ),
    (
        "urgent",
        "says it is urgent",
        -1.0,
        "negated",  # "no rush, it's not urgent"
        r"urgent(?:ly)?\b|as soon as (?:possible|you can)\b|asap\b"
        r"|(?:get back to|reply to|respond to|call|ring|phone|contact) (?:me|us)(?: back)?"
        r"(?: (?:on|at) \+?[\d() -]{6,20}?)? (?:today|tonight|this morning"
        r"|this afternoon|straight away|right away|immediately|now|urgently|as a matter of urgency)"
        r"|(?:(?:if|unless) (?:i|we) (?:don't |do not |haven't |have not |can't |cannot )?(?:get |have )?)?"
        r"(?:hear back|hear from you|a reply|an answer|a response) (?:by |before )?(?:today|tonight|this (?:morning"
        r"|afternoon|evening)|by (?:noon|midday|the end of (?:the )?day|close of business|5 ?pm))",
    ),
    (
        "callback",
        "asks you to call them back",
        -0.5,
        "negated",  # "no need to call me back"; "please don't ring me, email is easier"
        # only a person can: "Please call me back on 07700 900123, it's about tomorrow's order"
        r"(?:call|ring|phone) (?:me|us) (?:back\b|on \+?\(?\d|when you (?:can|get a (?:chance|minute|moment))"
        r"|at your earliest)|give (?:me|us) a (?:call|ring|bell)\b"
        r"|(?:can|could|would) (?:you|someone|somebody) (?:please )?(?:call|ring|phone) (?:me|us)"
        r"(?= (?:back|on|when|today|tomorrow|this|please|about|asap|at|later|urgently)\b|\s*[?.!]|$)",
    ),
    (
        "bereavement",
        "mentions a bereavement",
        -1.0,
        "negated",
        # someone has died: the owner writes personally, nothing automatic ("my phone died" and "the plant you sent
        # died" are not; a lost card or lost keys are not)
        r"passed away|\bdeceased\b|\bbereave\w*|\bfuneral\b|(?:her|his|their) passing\b"
        r"|(?:" + _KIN + r"|he|she) (?:has |had |sadly |recently |suddenly |unexpectedly |just )*died\b"
        r"|(?:my|our|his|her) late " + _KIN + r"\b"
        r"|lost (?:my|our|his|her) " + _KIN + r"\b(?!'s| (?:card|keys|phone|password|receipt|order|number|email))",
    ),
    (
        "opt_out",
        "asks to stop receiving emails",
        -1.0,
        "negated",  # "please don't unsubscribe me"
        # a whole message of "STOP" or "remove me", as people answer texts
        r"^(?:please )?(?:stop|remove(?: me)?|unsub|unsubscribe me)(?: please)?[.! ]*$"
        r"|(?:why do|why are|why does) (?:you|your shop|this shop) (?:keep )?(?:emailing|e-mailing|messaging|spamming"
        r"|sending me)|(?:too many|so many|endless|constant) (?:emails|e-mails|reminders)"
        # "Why do I keep getting reminders about a basket I emptied weeks ago?"
        r"|why (?:do i|am i|do we|are we) (?:keep |still )?(?:getting|receiving) (?:these |your |all these |so many )?"
        r"(?:reminders|emails|e-mails)\b"
        r"|unsubscribe|opt (?:me )?out\b|(?:take|remove) (?:me|my (?:email|address|details|name)) (?:off|from)"
        # for this address ("could you not send any more reminders to this address"), not someone else (next kind)
        r"|(?:take|remove) this (?:email |e-mail )?address (?:off|from)"
        r"|(?:not|don't|do not|stop|never) send(?:ing)? (?:any ?more |any |further )?(?:\w+ )?(?:emails|e-mails"
        r"|reminders"
        r"|messages|newsletters|marketing)\b(?! (?:to|for) (?:her|him|them|my|our)\b)"
        r"|stop (?:sending|emailing|e-mailing|spamming|messaging|mailing|contacting) (?:me|us)\b"
        r"|stop (?:the|these|your|all|sending) (?:\w+ )?(?:emails|e-mails|messages|reminders|newsletters?|marketing)"
        r"|no more (?:emails|e-mails|reminders|marketing|newsletters)"
        r"|(?:don't|do not|never) (?:email|e-mail|contact|message|spam) (?:me|us) (?:again|any ?more|ever)"
        r"|(?:never|didn't|did not) (?:signed|sign) up (?:for|to)"
        # the reminders: "please don't chase me", "why are you still reminding me?", "three reminders in two days is
        # a bit much"
        # (not "ugh, don't remind me", "you keep reminding me how good they are")
        r"|(?:don't|do not|stop|no need to) (?:chase|chasing|nag|nagging|pester|pestering|hassle|hassling) (?:me|us)\b"
        r"|(?:why (?:are|do) you|you) (?:still|keep) (?:reminding|emailing|e-mailing|chasing|nagging|pestering"
        r"|messaging) (?:me|us)\b(?! (?:of|how|that|what|why))"
        r"|(?:emails|e-mails|reminders|messages)\b[^.!?\n]{0,30}\b(?:a bit much|too much|excessive|overkill"
        r"|over the top)",
    ),
    (
        "opt_out_other",
        "asks to stop the emails to someone else",
        -1.0,
        "negated",
        # "please remove her from your mailing list" (often after a bereavement): not the sender's own consent, so
        # nothing changes by itself; the owner finds whose it is
        r"(?:take|remove) (?:her|him|them|(?:his|her|their) (?:email|address|details|name)) (?:off|from)"
        r"|(?:stop|no more|not send|don't send|do not send|never send)(?: sending| any ?more| the)? (?:emails|e-mails"
        r"|reminders|messages|newsletters|marketing) (?:to|for) (?:her|him|them|my " + _KIN + r"|our " + _KIN + r")\b",
    ),
)

_ANGRY_EMOJI: Final = "[\U0001F621\U0001F92C\U0001F620\U0001F47F\U0001F4A2\U0001F44E]"  # 😡🤬😠👿💢👎
_UNHAPPY: Final = next(row for row in _CUE_TABLE if row[0] == "unhappy")
_SARCASM: Final = next(row for row in _CUE_TABLE if row[0] == "sarcasm")
_SAFETY: Final = next(row for row in _CUE_TABLE if row[0] == "safety")
_TABLE_ORDER: Final = {row[0]: i for i, row in enumerate(_CUE_TABLE)}


def _table_index(kind: str, found: list[Cue]) -> int:
    """Where a cue of `kind` goes in `found`, which is in table order."""
    rank = _TABLE_ORDER[kind]
    return next((i for i, c in enumerate(found) if _TABLE_ORDER.get(c.kind, len(_TABLE_ORDER)) > rank), len(found))
_ASCII_LOWER: Final = (r"[a-z]")
_DROP_ASCII_LOWER: Final = str.maketrans("", "", "abcdefghijklmnopqrstuvwxyz")
_DROP_ASCII_UPPER: Final = str.maketrans("", "", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_NEGATED: Final = r"(?:\bnot|\bno|\bnothing|\bnever|n't|\bwithout|\bnone)(?:\s+\w+){0,2}\s*$"
# A worry told in the past tense has been resolved ("I was so worried it wouldn't come in time, but...").
_PAST: Final = r"\b(?:was|were|been)(?:\s+\w+){0,2}\s*$"
# Praise just before a review: "I'll leave you a lovely review on Google" promises, not threatens.
_PRAISED: Final = (r"\b(?:lovely|great|good|glowing|positive|five[- ]stars?|5[- ]stars?|nice|fantastic|brilliant"
                   r"|amazing|excellent|wonderful|rave|happy|fab|fabulous|super)(?:\s+\w+){0,2}\s*$")
# The customer's own slip: "I think I gave you the wrong address" asks for a change, it reports no mistake of ours.
_OWN_SLIP: Final = (r"\b(?:don't|do not|didn't|did not|wouldn't|not) (?:want|like) to (?:buy|order|get|pick|send|give)"
                    r" (?:the|an?|them the|him the|her the)\s*$"
                    r"|\b(?:i|we)(?:'ve| have| had)? (?:\w+ )?(?:gave|given|put|entered|used|typed|wrote|written|chose"
                    r"|chosen|picked|selected|ordered)(?: you| in| down)? (?:the|an?|my|our)\s*$")
# A fear that did not come true: "I was a bit worried it would get squashed in the post, but it was perfect".
_FEARED: Final = (r"\b(?:worried|afraid|scared|feared|fearing|concerned|nervous)"
                  r" (?:that )?(?:it|they|the \w+)(?:'d| would| might| could| will| may)(?: \w+)?\s*$")
_PASSIVE: Final = r"\b(?:has|have|had|was|were|got|been|being|is|are)(?:\s+\w+)?\s*$"
_GUARDS: Final[dict[str, str]] = {"passive": _PASSIVE, "negated": _NEGATED,
                                  "negated or feared": _NEGATED + "|" + _FEARED,
                                  "negated or past": _NEGATED + "|" + _PAST,
                                  "negated or praised": _NEGATED + "|" + _PRAISED, "own slip": _OWN_SLIP,
                                  # "my order says cancelled": done to them, as "has been cancelled" is
                                  "passive or negated": _PASSIVE + "|" + _NEGATED
                                  + r"|\b(?:says|say|shows|show|showing|marked|listed)(?: as)?\s*$"}
GUARD_WINDOW: Final = 30  # characters before a match that a guard looks at


# A problem situation: what makes praise read as sarcasm when it sits next to it.
_PROBLEM: Final = (
    r"\b(?:late|later|missing|lost|broken|broke|damaged|again|still|waiting|waited|wait|never|nobody|no one|nothing"
    r"|wrong|ignored|ignoring|delayed|another|cancel\w*|refund\w*|charged|yet|empty"
    r"|stale|cold|melted|crushed|leaking|useless|no reply|no answer|no response|only been)\b"
)
_FAILED: Final = (r"(?:wrong|broken|damaged|late|missing|squashed|crushed|smashed|melted|stale|cancelled|lost|delayed"
                  r"|forgotten|forgot)")
# Praise of exactly what failed, next to a bitter fact: "Great service, it's only been 3 weeks and still nothing",
# "Thanks for the speedy delivery... two weeks and counting". Both must sit in one stretch of the message with no
# turn between them: "great service, but still no sign of my parcel" is a polite complaint (not clearly positive,
# as it ends on the problem), and "great service, it arrived late but was worth the wait" is thanks.
_IRONIC_PRAISE: Final = (
    r"\b(?:(?:great|excellent|brilliant|fantastic|amazing|superb|wonderful|stellar|outstanding|impeccable"
    r"|top[- ]notch|first[- ]class|world[- ]class|5[- ]star|five[- ]star|fab|fabulous|terrific) (?:customer )?"
    r"(?:service|communication|customer care|support|job|work|effort|organi[sz]ation|stuff)"
    r"|(?:speedy|quick|fast|prompt|swift|rapid|next[- ]day|express|lightning) (?:delivery|shipping|service|reply"
    r"|replies|response|responses|dispatch|turnaround)"
    r"|(?:really |very |so |truly )?(?:impressed|impressive)|well done|top marks|bravo|hats off|kudos|nice one"
    r"|good job|great job|love (?:it )?(?:how|when)"
    r"|^(?:(?:honestly|wow|well|oh|just|really),? )?(?:great|excellent|brilliant|fantastic|amazing|wonderful|perfect"
    r"|lovely|superb|marvell?ous|terrific)\b[,.!]+)"
)
_BITTER_FACT: Final = (
    r"\b(?:still (?:nothing|no sign|no word|no (?:reply|response|answer|parcel|order|package|delivery)"
    r"|waiting" + _NOT_A_TREAT + r"|not (?:here|arrived|received|delivered|heard))"
    r"|only been (?:over |more than )?" + _NUM + r" (?:days?|weeks?|months?)(?:\s*(?:[.!?]|$)|,? and (?:still |yet )?"
    r"(?:nothing|no|not|waiting))"
    r"|" + _NUM + r" (?:days?|weeks?|months?) (?:on|later|now)?,? ?(?:and|&) (?:still |yet )?(?:nothing|counting"
    r"|no (?:sign|word|reply|response|parcel|order|package|delivery))"
    r"|(?:zero|not a single|not one) (?:replies|reply|responses|response|answers|answer)"
    r"|left (?:me |us )?in the dark|now (?:over |more than )?" + _NUM + r" (?:days?|weeks?) late"
    # the day it was for has passed ("it turned up a day after the birthday"), not "it came a day late but..."
    r"|(?:arrived|came|turned up|delivered) " + _NUM + r" (?:days?|weeks?) after (?:the|her|his|my|our|their)"
    r" (?:date|party|wedding|birthday|event|funeral|christening)"
    # "paid for next day delivery and it turned up three days late" (not "... two days later", which may be praise)
    r"|(?:arrived|arrives|came|comes|turned up|turns up|showed up|shows up) " + _NUM + r" (?:days?|weeks?) late\b"
    r"(?!,? (?:but|though|although|however|and (?:it was |it's |was )?(?:worth|fine|perfect|lovely)))"
    r"|never (?:reply|replies|respond|responds|answer|answers|get back|gets back|call back|calls back)"
    # the same failure again: "the wrong cake again", "sent the wrong size for the second time"
    r"|" + _FAILED + r"(?: (?!order|buy|shop|use|come|recommend)\w+)?(?: again| for the (?:second|third|fourth|2nd|3rd"
    r"|4th) time)\b"
    # "Ordered on the 1st, now the 20th. Nothing."
    r"|(?:^|(?<=[.!?,:;] )|(?<=\n))(?:still )?nothing(?:\s*[.!]|$))"
)
_IRONY_TURN: Final = r"\b(?:but|however|although|though|unfortunately|sadly|except|apart from)\b"
PROBLEM_CUES: Final = frozenset({"late", "refund", "cancel", "cancelled", "damage", "safety", "wrong_item", "delivery",
                                  "ingredients", "billing", "website", "repeat"})
SARCASM_WINDOW: Final = 80
# The customer says it can wait: escalation keeps the message in the owner's inbox instead of texting
# (`says_it_can_wait`). Said through gritted teeth ("no rush apparently", "take your time, it's only for my
# wedding") it is the sarcasm cue; "in no hurry to order again" is the never-again cue.
_CAN_WAIT: Final = (
    r"\b(?:no (?:rush|hurry|urgency)|not (?:urgent|in a (?:rush|hurry)|a (?:big |huge )?(?:deal|priority))"
    r"|no (?:big |huge )?deal|take your time|in your own time|no worries(?: if not| at all)?"
    # no harm meant by telling: "the ribbon was a bit crushed, but no matter"
    r"|(?:it )?(?:doesn't|does not) matter|no matter(?: at all)?|not to worry|no harm done|not the end of the world"
    # "the box was a bit dented but the biscuits inside were fine, no problem" (not "no problem with the taste, but")
    # (the customer's own "no problem", not "my bank says there's no problem")
    r"|(?<!there's )(?<!there is )(?<!there was )(?<!says )(?<!said )(?<!had )(?<!has )(?<!have )no problems?"
    r"(?! with| at all with)(?: at all)?"
    r"|(?:the )?(?:\w+ )?(?:inside|contents) (?:was|were|is|are) (?:all |absolutely |perfectly |completely |totally )?"
    r"(?:fine|ok|okay|intact|undamaged|unharmed|unscathed)"
    r"|no need to (?:do|reply|worry|send|refund|replace) (?:anything|about it|it|a thing)?"
    r"|just (?:letting you know|to let you know|so you know|(?:some |a bit of )?feedback|for next time)"
    r"|(?:just )?a (?:quick |little |friendly )?heads[- ]up|zero stress|no stress|(?:just )?(?:fyi|an fyi)"
    r"|but (?:they're|they are|it's|it is|they were|it was) (?:all )?(?:fine|ok|okay|perfect|undamaged)"
    r"|(?:i )?(?:just )?thought you(?:'d| would| should)"
    r" (?:want to |like to )?know"
    r"|whenever (?:you (?:can|get a (?:chance|moment|minute|sec))|suits|is (?:convenient|easiest))"
    r"|when(?:ever)? you (?:get|have) a (?:chance|moment|minute|sec(?:ond)?))\b(?! to\b)"
)
# An offer to review ("I'd love to leave you a review, where's the best place? Trustpilot?"): no threat, unless the
# message also complains.
_REVIEW_OFFER: Final = (
    r"\b(?:(?:love|happy|glad|like|keen|delighted) to (?:leave|write|post|give)(?: you| a| an)*(?: \w+)? review"
    r"|(?:where|how) (?:can|do|should|could|would) (?:i|we) (?:leave|write|post|give)"
    r"|(?:can|could|may) (?:i|we) (?:leave|write|post|give) (?:you )?(?:a|an)(?: \w+)? review"
    r"|(?:left|wrote|posted|gave|given) (?:you )?(?:a |an )?(?:\w+ )?review)"
)
# Their own payment, not a dispute: "my card was declined, I'll call my bank and try again", "can I pay over the
# phone? I'll call my bank first to let them know" are no chargeback threat.
_OWN_PAYMENT_TROUBLE: Final = (
    r"\b(?:declined|blocked|rejected|bounced|failed|won't go through|didn't go through|wouldn't go through"
    r"|not going through|try again|retry|re-?order|re-?try|unblock\w*|let them know|to (?:authori[sz]e|approve"
    r"|confirm|check) (?:it|the (?:payment|transfer|charge))|pay (?:by|with|over)|paying (?:by|with|over))\b"
)
_CHARGEBACK_WORDS: Final = (r"\b(?:dispute|disputing|chargeback|charge back|reverse|claim|money back"
                                      r"|refund\w*|fraud\w*|scam\w*|stole|never (?:arrived|came|received))\b")
# A threat in so many words, which an offer elsewhere in the message does not undo.
_REVIEW_THREAT: Final = (r"\b(?:one|1|zero|0)[- ]star|(?:bad|negative|terrible) review|warn|everyone knows")
_COMPLAINT_KINDS: Final = frozenset({"unhappy", "never_again", "sarcasm"})
# A match inside a wider kind's match is that kind's: "the code doesn't work" is the website's trouble, not faulty
# goods; "stop sending emails to my mum" is about her emails, not the sender's.
_SUBSUMES: Final = (("website", "damage"), ("billing", "cancel"), ("cancelled", "cancel"), ("opt_out_other", "opt_out"),
                    ("not_their_order", "wrong_item"),
                    ("data_leak", "wrong_item"))
# A kind that says all the other does and more: an allergen in a free-from product is a safety report.
_OUTRANKS: Final = (("safety", "ingredients"), ("safety", "allergy"))


@cache
def _compiled(kind: str) -> re.Pattern[str]:
    """A kind's pattern, compiled when a message first needs it searched (most messages need few kinds)."""
    # Every alternative starts a word: the leading \b lets the search skip positions inside words
    # cheaply (about twice as fast on short messages), and "nowhere is my order" is not "where is my order".
    return re.compile(r"\b(?:" + _CUE_TABLE[_TABLE_ORDER[kind]][4] + ")")


def _trie(words: Iterable[str]) -> str:
    """A pattern matching any of `words`, the longest where several start at one place, with shared beginnings
    written once ("late|later|lost" is "l(?:ate(?:r)?|ost)"): the engine follows one path, not one try per word."""
    root: dict[str, dict[str, Any]] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(root)


@cache
def _gate() -> tuple[re.Pattern[str], dict[str, frozenset[str]], frozenset[str]]:
    """One pass over a message finds every gate word in it (`cue_gates.GATES`): the pattern finds, at each place, the
    longest word starting there, and the map gives the kinds of that word and of every shorter word it starts with
    (they are there too). Kinds without a gate are always searched."""
    kinds_of: dict[str, set[str]] = {}
    for kind, words in GATES.items():
        for word in words:
            kinds_of.setdefault(word, set()).add(kind)
    found_with = {word: frozenset().union(*(kinds_of.get(word[:end], ()) for end in range(1, len(word) + 1)))
                  for word in kinds_of}
    return (re.compile("(?=(" + _trie(kinds_of) + "))"), found_with,
            frozenset(row[0] for row in _CUE_TABLE if row[0] not in GATES))


def _kinds_to_search(lowered: str) -> frozenset[str]:
    """The kinds whose pattern can match `lowered`: those with a gate word in it, and those without a gate."""
    pattern, found_with, always = _gate()
    return always.union(*(found_with[match.group(1)] for match in pattern.finditer(lowered)))


def _shouting(text: str) -> bool:
    """At least 8 letters, 70% or more of them capitals."""
    if text.isascii():  # most messages: count with C loops only
        upper = len(text) - len(text.translate(_DROP_ASCII_UPPER))
        if upper < 6:  # 70% of at least 8 letters is at least 6
            return False
        letters = upper + len(text) - len(text.translate(_DROP_ASCII_LOWER))
        return letters >= 8 and upper / letters >= 0.7
    if len(_lazy(_ASCII_LOWER).findall(text)) > 0.3 * len(text):
        return False  # quick and exact: more than 30% of all characters, so of the letters, are lower case
    alpha = [c for c in text if c.isalpha()]
    if len(alpha) < 8:
        return False
    return sum(1 for c in alpha if c.isupper()) / len(alpha) >= 0.7


def normalise(text: str) -> str:
    """Lower-case and straighten typographic apostrophes and quotes so one pattern fits all."""
    return text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')


def _ironic_praise(lowered: str) -> str:
    """The praise, when praise of what failed sits next to a bitter fact with no turn between them, or ""."""
    for praise in _lazy(_IRONIC_PRAISE).finditer(lowered):
        start, end = max(0, praise.start() - SARCASM_WINDOW), praise.end() + SARCASM_WINDOW
        for fact in _lazy(_BITTER_FACT).finditer(lowered, start, end):
            between = lowered[praise.end():fact.start()] if fact.start() >= praise.end() else lowered[fact.end():
                                                                                                      praise.start()]
            if not _lazy(_IRONY_TURN).search(between):
                return praise.group(0)
    return ""


_ALLERGY_WORD: Final = r"\b(?:allergic|allergy|allergies|coeliac|celiac|anaphylactic|epi-?pen)\b"
_ALLERGY_LABEL: Final = (_ALLERGY_WORD + r"[^\n]{0,150}?" + _LABEL_WRONG + r"|" + _LABEL_WRONG + r"[^\n]{0,150}?"
                         + _ALLERGY_WORD)


# Harm to someone's body, or a fire, named in words that mean little else in a message to a shop: with the goods
# in the message (`_THE_GOODS`: eaten, used, worn, burnt, "since", "after"...), a health or safety report however it
# is phrased ("hot wax from your candle spilled on my daughter's arm and it's blistering", "my spaniel's swallowed a
# chunk, he's retching", "the diffuser set fire to my side table"). The phrase patterns name what was seen; this
# catches the wordings nobody wrote down. Not in a question that supposes ("is it poisonous if the cat licks it?").
_HARM: Final = (
    r"\b(?:blister\w*|bled(?! through)|bleeding(?! through)|retch\w*|vomit\w*|diarrh\w*|(?<!a )rash(?! decision| of)"
    r"|(?<!your )(?<!bee )hives"
    r"|blotch\w*|swelling|swollen|swelled|chok(?:e|ed|ing) on|could (?:easily )?choke|epi-?pen|anaphyla\w*|ambulance"
    r"|poison(?:ed|ing)\b|poison (?:line|control|centre|center)|botulism|weevils?|maggots?|cockroach\w*|droppings"
    r"|(?:set|caught|catch|on) fire|burst into flames|smoke everywhere|scald\w*|reacting to|went up in flames"
    # (a tongue burnt on a hot pie is no report: burns count on the skin, as in the table)
    r"|(?:sliced|cut|gashed) (?:my|his|her|their|our) (?:\w+'s )?" + _BODY
    + r"|(?:burnt|burned) (?:my|his|her|their|our) (?:\w+'s )?" + _SKIN
    + r"|sick (?:through|all) (?:the )?night|lead (?:swab|test|paint|poisoning)|stings|stinging|emergency vets?"
    r"|vets? (?:says|said) (?:to )?(?:bring|take) (?:him|her|them|it) in|alight|fire brigade"
    r"|made (?:my|his|her|our|their) (?:eyes?|nose|throat|skin) (?:stream|water|run|burn|itch|sting)"
    r"|(?:skin|face|eyes?|hands?|lips?|scalp)(?:'s| is| are)? (?:\w+ ){0,3}?(?:burning|bright red|peeling)"
    r"|flared up|(?:a )?(?:foot|feet|inches) of flame|flames? (?:shot|went|leapt|leaped) (?:right )?up"
    r"|glass (?:all over|everywhere)"
    r"|(?:jar|bottle|tin|can|glass|candle|batter(?:y|ies)|lid)s? (?:\w+ )?exploded(?! in popularity)"
    r"|exploded (?:in|on|all over) (?:my|the|our)|went off like a (?:firework|bomb|grenade)"
    r"|could (?:so |very )?(?:easily )?have (?:swallowed|choked on) (?:it|that|one|them)"
    r"|missed (?:my|his|her) head|rancid|scorched (?:the|my|a|our)|scorch marks?"
    # electrical: "my little boy got a shock from the casing", "the plug has gone brown", "when I plugged it in it
    # sparked"
    r"|electric(?:al)? shocks?|(?:got|had|gave (?:me|him|her|them|us)) an? (?:\w+ )?shock (?:from|off|touching)"
    r"|(?:plug|socket|cable|lead|wire|adapter|charger)s?(?:'s| has| have| had| is| are| was| were)? (?:\w+ ){0,2}?"
    r"(?:go|gone|going|went|turned|turning|goes) (?:brown|black)"
    r"|(?:it|which|and it|the (?:plug|socket|cable|lead|charger|adapter|machine))(?: just)? (?:sparked"
    r"|started sparking)"
    r"|sparks? (?:came|flew|coming|flying|shooting) (?:out|off)"
    r"|flames? (?:got|was|went|grew) (?:\w+ )?(?:massive|huge|enormous|really high|so high|out of control|really tall"
    r"|so tall|too (?:high|tall|big))"
    # "started smoking" while charging, "bare copper showing right at the plug", "choked - he's fine now after I did
    # back blows", "blood everywhere", "came home from school with a bloody sock", "he's got a cut on his head"
    r"|(?:it|which|and it) (?:started|began|was|is) smoking|(?:charger|battery|plug|socket|lead|cable|adapter|candle"
    r"|lamp|heater|kettle|toaster|compartment|wire|wiring) (?:\w+ ){0,3}?(?:started|began) smoking"
    r"|(?:charging|hot|sparking|sparked|melting|melted) and (?:then )?(?:started|began) smoking"
    r"|smoke (?:was |started )?(?:coming|pouring|billowing)"
    # "toppled over onto my son. He's got a head injury", "slammed the gate on my hand", "went up like a torch",
    # "dog ate treats now fitting", "three dogs this week with acute kidney injury"
    r"|head injury|concussion|(?:toppled|tipped|fell) (?:over )?on(?:to)? (?:my|his|her|their|our) (?:\w+ )?(?:son"
    r"|daughter|child|baby|toddler|dog|cat|foot|leg|hand|head)|slammed (?:the |a )?(?:gate|door|lid) on (?:my|his|her"
    r"|their) (?:hand|fingers?|foot|arm|leg)|went up like a (?:torch|bonfire|match|firework)"
    r"|(?:now|started|keeps|kept|still|been) fitting(?=\s*(?:[.!?,]|$| again| and| since))"
    r"|(?:kidney|liver) (?:injury|failure|damage)"
    # "He's got six stitches in his chin", "sliced his thumb open to the bone, he needs stitches", "fell off the
    # tricycle you delivered when the seat dropped. He hit his head", "my dog ran under a car. He's in surgery now"
    r"|(?:needs?|needed|needing|got|has got|have got|'s got) (?:\w+ )?stitches(?! (?:out|removed|taken out))"
    r"|stitches (?:in|on|to) (?:his|her|my|their) (?:chin|head|face|lip|hand|thumb|finger|leg|knee|arm|foot"
    r"|forehead|eye)"
    r"|(?:fell|fallen|slipped|tripped|knocked|thrown|came off)\b[^.!?\n]{0,60}?\b(?:hit|banged|cracked|split) (?:his"
    r"|her|my|their) head|(?:he|she) (?:hit|banged|cracked|split) (?:his|her) head|to the bone"
    r"|(?:he|she|they|he's|she's|they're)(?: is| are| may| might| will| now)? (?:in|needs?|need|having|going into"
    r"|go into) (?:emergency )?surgery"
    # a pet that ate it: "Vet says possible blockage", "today he hasn't eaten or pooped at all"
    r"|(?:possible |a |an |intestinal |bowel )blockage|(?:hasn't|has not|hasnt) (?:eaten|pooped|drunk|weed)"
    r"(?: or (?:pooped|drunk|eaten|weed|been out))? (?:since|all day|at all|today|for \w+ (?:hours|days))"
    r"|bare (?:copper|wires?|wiring|metal showing)|exposed (?:wires?|wiring|copper)|electric(?:al)? shock"
    r"|back blows|heimlich|blood everywhere|covered in blood|drew blood|bloody (?:sock|socks|nose|finger|hand|foot"
    r"|knee)|(?:a |nasty |deep |bad )?cut (?:on|to|in|above|under) (?:his|her|my|their|our) (?:\w+ )?(?:head|face"
    r"|hand|foot|finger|leg|arm|eye|lip|knee|chin)|food poisoning"
    r"|having (?:a |some kind of |some sort of |what looks like a )?(?:fit|fits|seizure|seizures)"
    # paramedics called, lips gone blue: "my daughter's lips have gone blue after the fudge, paramedics are here now"
    r"|paramedics? (?:are|were|is|was|came|arrived|here|with|on (?:their|the) way)|called (?:the |an )?(?:paramedics?"
    r"|ambulance)|(?:lips?|face|fingers?|skin|tongue)(?:'s| have| has| had| is| are| was| were)? (?:gone|going"
    r"|turned|turning|went) (?:a bit |all )?blue"
    r"|(?:was|were|been|has been|have been) sick (?:\w+ ){0,2}?after (?:eating|having|using|trying|the|your|a|one"
    r"|some)"
    r"|turned (?:my|his|her|their) (?:\w+ )?(?:earlobes?|ears?|skin|fingers?|neck|wrists?|lips?) (?:\w+ )?(?:green"
    r"|red|black|blue|itchy|sore)"
    r"|(?:nearly|almost) (?:had|put|got) (?:it|the (?:\w+ ){0,2}?\w+|a (?:\w+ ){0,2}?\w+) in (?:his|her|their) mouth"
    r"|sharp (?:metal |plastic |wooden )?(?:pins?|edges?|points?|shards?|bits?|spikes?)|splinter(?:ed|s)? into"
    r"|(?:staple|nail|screw|needle|wire|pin)s? (?:stuck|sticking|poking|embedded) (?:in|into|out|up|through)"
    r"|before (?:he|she|they|my \w+|the (?:baby|dog|cat)) (?:got|put) it (?:in|into) (?:his|her|their|its)"
    r" mouth"
    r"|(?:unwell|ill|poorly|sick) (?:ever )?(?:since|after) (?:eating|having|drinking|using|trying)"
    r"|(?:blood )?(?:sugar|glucose)(?: levels?)? (?:has |have |is |are )?(?:gone |went |shot )?(?:through the roof"
    r"|sky ?high)"
    r"|(?:palms?|hands?|fingers?|ears?|neck|wrists?|lips?|face|skin) (?:went|go|gone|turned|are|is|were|was)"
    r" (?:all |really |very |bright )?(?:red|blotchy|itchy|sore|green|raw)"
    r"|made (?:my|his|her|their|our) (?:ears?|neck|wrists?|fingers?) (?:\w+ )?(?:red|itchy|sore|swell|green)"
    # a button battery in a child's mouth, or missing from the toy: not a question before buying
    r"|button batter(?:y|ies)\b[^.!?\n]{0,80}?(?:mouth|swallow\w*|can't find|cannot find|missing|chew\w*|came out"
    r"|fell out|loose)|(?:mouth|swallow\w*)[^.!?\n]{0,60}?button batter(?:y|ies))\b"
)


# (or a fault in a thing: "had a sharp edge", "overheated and set the tissue paper alight", "a metal pin poking up
# through the insole", "got really hot while it was charging and started smoking", "arrived with a mains lead that has
# bare copper showing")
_GOODS_LINK: Final = (r"\b(?:your|from you|you sold|you sent|bought|out of the box|from the box|spill\w*|spilt"
                      r"|from the|(?:came|come|comes|fell|falls|snapped|broke) off|sharp (?:edges?|points?|bits?)"
                      r"|overheat\w*|(?:get|got|gets|getting|went|became) (?:really |very |so |extremely )?hot"
                      r"|(?:poking|sticking) (?:up|out|through)|came apart|gave way|while (?:it was )?charging"
                      r"|plugged (?:it|them) in|switched (?:it|them) on|turned (?:it|them) on"
                      r"|(?:arrived|came|comes) with|snapped|razor[- ]sharp|you (?:delivered|made|supplied|fitted"
                      r"|assembled)|(?:came|come|comes) out of)\b")


def _harm_with_goods(lowered: str, quoted: list[tuple[int, int]]) -> str:
    """The harm word of a health or safety report no pattern named (`_HARM`), or ""."""
    if not _names_the_goods(lowered) and _lazy(_GOODS_LINK).search(lowered) is None:
        return ""
    return _first_unguarded(_HARM, lowered, quoted, supposing=True)


def _first_unguarded(pattern: str, lowered: str, quoted: list[tuple[int, int]], supposing: bool = False) -> str:
    """The first match of `pattern` not negated just before it nor in quotation marks (nor, with `supposing`, in a
    question that supposes), or ""."""
    for match in _lazy(pattern).finditer(lowered):
        if _lazy(_NEGATED).search(lowered, max(0, match.start() - GUARD_WINDOW), match.start()):
            continue
        if (quoted and _in_quotes(quoted, match.start(), match.end())) or (supposing and _asks_what_if(lowered, match)):
            continue
        return match.group(0)
    return ""


def _allergy_label(lowered: str) -> str:
    """A label that got an allergen wrong next to someone's allergy ("the packet says may contain sesame, the list
    online doesn't mention it; my daughter is allergic"), or "". Looked for only where an allergy is named."""
    if not any(word in lowered for word in ("allerg", "coeliac", "celiac", "anaphyla", "epipen", "epi-pen")):
        return ""
    match = _lazy(_ALLERGY_LABEL).search(lowered)
    if match is None or _lazy(_NEGATED).search(lowered, max(0, match.start() - GUARD_WINDOW), match.start()):
        return ""
    return match.group(0)


_PRAISABLE: Final = frozenset({"damage", "unhappy"})
_GOOD_WAY: Final = (r"\bin (?:a|the|the very) (?:good|best|nicest|loveliest|most delicious|right)"
                    r" (?:possible )?way")


def _in_a_good_way(lowered: str, matched: str) -> bool:
    """The match is followed, within a few words, by "in a good way" or "in the best way"."""
    at = lowered.find(matched)
    return at >= 0 and _lazy(_GOOD_WAY).search(lowered, at + len(matched), at + len(matched) + 30) is not None


def _problem_near(lowered: str, matched: str, found: list[Cue]) -> bool:
    """True when a problem situation sits next to the (sarcastic-sounding) praise."""
    if any(c.kind in PROBLEM_CUES for c in found):
        return True
    at = lowered.find(matched)
    start, end = max(0, at - SARCASM_WINDOW), at + len(matched) + SARCASM_WINDOW
    return bool(_lazy(_PROBLEM).search(lowered, start, end))


# The customer says the mistake was theirs ("I accidentally ordered the same thing twice, could you cancel one?"):
# a request to handle, not a complaint (`owns_the_mistake`).
_OWN_MISTAKE: Final = (
    r"\b(?:accidentally|by mistake|by accident|my (?:own )?(?:mistake|fault|bad|error)|our (?:own )?(?:mistake|fault)"
    r"|(?:i|we)(?:'ve| have)? (?:mistakenly|wrongly)|(?:i|we) (?:think (?:i|we) )?(?:ordered|paid|bought|checked out)"
    r" (?:for )?(?:it |this |the same (?:thing|item|order|cake|box) |the (?:\w+ ){1,2})?twice"
    # "please ignore my email from this morning about the missing earring back - found it in the tissue paper"
    r"|(?:please )?ignore my (?:last |previous |earlier |other )?(?:email|e-mail|message)(?: from \w+(?: \w+)?)?"
    r"(?: about [^.!?\n]{0,60}?)?[^.!?\n]{0,10}?\bfound (?:it|them))\b"
)


def owns_the_mistake(text: str) -> str:
    """The words in which the customer says the mistake was theirs ("my mistake", "accidentally"), or ""."""
    match = _lazy(_OWN_MISTAKE).search(normalise(text))
    return match.group(0) if match else ""


def says_it_can_wait(text: str) -> str:
    """The words in which the customer says their message can wait or is no big deal ("no rush", "whenever you get a
    chance", "no matter", "just letting you know"), or ""."""
    match = _lazy(_CAN_WAIT).search(normalise(text))
    return match.group(0) if match else ""


# A cue that quotes the words written on the goods ("the card said 'Happy Birthday' but it's her anniversary"): the
# engine reads the quoted words too, so a pleased reading may be the card's, not the customer's.
_QUOTES_THE_WRITING: Final = r"(?:says|said|reads|read|wrote|written|written as|put|spelt|spelled) ['\"]"


def quotes_the_writing(cue: Cue) -> bool:
    """The cue's match quotes words written on the goods (a card, a cake, a label)."""
    return cue.kind == "wrong_item" and _lazy(_QUOTES_THE_WRITING).search(cue.match) is not None


PRODUCT: Final = "item"  # what a product name reads as (`without_products`): "the wrong Broken Biscuit Bag" is wrong


@lru_cache(maxsize=8)
def _product_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    words = [re.escape(" ".join(name.split())).replace("\\ ", r"\s+").replace("'", "['\u2019]")
             for name in sorted(names, key=len, reverse=True) if name.strip()]
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(e?s)?(?!\w)", re.IGNORECASE) if words else None


def without_products(text: str, names: tuple[str, ...]) -> str:
    """The text with the shop's own product names (config `escalation.product_names`) read as plain "item": "two of
    your Broken Biscuit Bags" names a product, not damage. Case and spacing do not matter; a plural is "items"."""
    pattern = _product_pattern(names) if names else None
    if pattern is None:
        return text
    return pattern.sub(lambda m: PRODUCT + ("s" if m.group(1) else ""), text)


MEMO_MAX_CHARS: Final = 20_000  # longer texts are not kept: the memo holds at most 32 of these (a few MB)


def find_cues(text: str) -> tuple[Cue, ...]:
    """Every cue kind found in `text`, at most once each, in table order (then "unhappy" from an angry-face emoji,
    which has no word to anchor a pattern to, and shouting).

    Memoised for a few recent texts of ordinary length: one inbound email is looked at by escalation
    and by the complaint-surge flow, and the answer is an immutable tuple. A sender can make a text as
    long as they like, so long ones are not kept."""
    if len(text) > MEMO_MAX_CHARS:
        return _find_cues(text)
    return _recent(text)


# Words in quotation marks are someone else's, most often the shop's own email the customer answers ("Why did I get a
# 'sorry your order is late' email? It arrived on Tuesday"): a cue wholly inside them does not count. An opening mark
# follows a space or the start, a closing one precedes a space or punctuation, so "don't" and "it's" open nothing.
_QUOTED: Final = r"""(?:^|(?<=[\s(:]))(?:'[^'\n]{3,120}?'|"[^"\n]{3,120}?")(?=[\s.,;:!?)]|$)"""


def _quoted_spans(lowered: str) -> list[tuple[int, int]]:
    """Quoted stretches within the customer's own words, in order: not one that is most of the message or opens it (a
    whole text pasted in quotation marks is still theirs)."""
    if "'" not in lowered and '"' not in lowered:
        return []
    first_word = next((i for i, c in enumerate(lowered) if c.isalnum()), len(lowered))
    return [m.span() for m in _lazy(_QUOTED).finditer(lowered)
            if 2 * (m.end() - m.start()) < len(lowered) and m.start() > first_word]


def _in_quotes(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """The stretch start..end lies wholly inside one of the (ordered, disjoint) quoted spans."""
    at = bisect_right(spans, start, key=lambda span: span[0]) - 1
    return at >= 0 and spans[at][0] < start and end < spans[at][1]


# "My card was stolen so I cancelled it": they cancelled their bank card, not an order ("I cancelled the card" is in
# the pattern); "I paid by card, please cancel it" still asks.
_CARD_BEFORE: Final = r"\b(?:card|cards)\b[^.!?\n]{0,30}\b(?:i|we)(?:'ve| have| had|'m| am| are)?(?: just| already)? $"
_IT_AFTER: Final = r" (?:it|them)\b"


# Said in jest: laughter or "only joking" beside a would-be threat.
_JOKING: Final = (r"\b(?:ha(?:ha)+\w*|hehe\w*|lol|lmao|jk|just kidding|only kidding|only joking|just joking)\b"
                  r"|[\U0001F602\U0001F923\U0001F609\U0001F61C\U0001F606\U0001F605]|;\)|:p\b")


# A question about what would happen: "What's your refund policy if the cake gets damaged in the post?", "Do you
# send replacements if anything arrives broken?", "Can I cancel if my plans change?" reports nothing. (Not for a
# health or safety word: "what should I do if he has a reaction?" is still read as one.)
_HYPOTHETICAL_KINDS: Final = frozenset({"late", "refund", "cancel", "damage", "wrong_item", "delivery"})
_WHAT_IF: Final = r"\b(?:if|in case|what if|whether|supposing)\b"
_SENTENCE_BREAK: Final = r"[.!?\n]"
_QUESTION_REACH: Final = 300  # how far on a supposing question's "?" is looked for (bounded: hostile input)


def _asks_what_if(lowered: str, match: re.Match[str]) -> bool:
    """The match sits in a question that supposes: "if" (or "in case") before it in the same sentence, which ends in
    a question mark."""
    start = max(0, match.start() - 60)
    before = lowered[start:match.start()]
    breaks = [m.end() for m in _lazy(_SENTENCE_BREAK).finditer(before)]
    if _lazy(_WHAT_IF).search(before, breaks[-1] if breaks else 0) is None:
        return False
    end = _lazy(_SENTENCE_BREAK).search(lowered, match.end(), match.end() + _QUESTION_REACH)
    return end is not None and end.group(0) == "?"


# Hyperbole: "if they sell out I'm going to kill myself", "that story makes me want to kill myself", "I may as well
# kill myself!" (a condition, or something that "makes" them, in the same sentence before it).
_HYPERBOLE_BEFORE: Final = r"\b(?:if|unless|makes? me|made me|making me|may as well|might as well)\b"


# Whole-message facts a reject asks for each match: looked up once per message, not once per match (a long text that
# repeats a phrase has thousands of matches, and a search of the whole text for each would be quadratic).
@lru_cache(maxsize=4)
def _jokes(lowered: str) -> bool:
    return _lazy(_JOKING).search(lowered) is not None


@lru_cache(maxsize=4)
def _names_the_goods(lowered: str) -> bool:
    return _lazy(_THE_GOODS).search(lowered) is not None


# The words hyperbole is made of ("I'll kill myself if they sell out lol"): laughter takes back only these, not a
# quiet "i prob won't be here by the time it comes anyway 💀" written with a "lol".
_SAID_FOR_EFFECT: Final = r"\b(?:kill\w*|die|dying|dead|suicid\w*|end it all|hurt myself|harm myself)\b"


def _says_it_in_jest(lowered: str, match: re.Match[str]) -> bool:
    """A would-be cry for help in the words of hyperbole said with laughter anywhere in the message, or any after a
    condition in its sentence."""
    if _jokes(lowered) and _lazy(_SAID_FOR_EFFECT).search(match.group(0)):
        return True
    start = max(0, match.start() - 80)
    before = lowered[start:match.start()]
    breaks = [m.end() for m in _lazy(_SENTENCE_BREAK).finditer(before)]
    return _lazy(_HYPERBOLE_BEFORE).search(before, breaks[-1] if breaks else 0) is not None


# "Just wanted to say goodbye, we're moving to Spain", "I've given my candles away, I won't be needing them now I'm
# moving abroad", "... now you're closing": a goodbye or a giving-away with its reason given.
_GOODBYE_REASON: Final = (r"\b(?:mov(?:e|ed|es|ing)|emigrat\w*|relocat\w*|retir\w*|clos(?:e|ed|es|ing)|closure"
                          r"|travel\w*|holiday\w*|trip|away (?:for|on|until|till)|hospital stay|operation|overseas"
                          r"|deployed|working away|work trip"
                          r"|shutting|leaving (?:the|for|to)|new job|abroad|selling up"
                          r"|sold the (?:shop|business))\b")


@lru_cache(maxsize=4)
def _gives_a_reason_to_leave(lowered: str) -> bool:
    return _lazy(_GOODBYE_REASON).search(lowered) is not None


def _leaves_for_a_reason(lowered: str, match: re.Match[str]) -> bool:
    """The match is a goodbye, a giving-away or an absence from a date, and the message says why (moving, travelling,
    retiring, the shop closing)."""
    said = match.group(0)
    return (any(part in said for part in (" away", " after ", " anything", " tell ")) or said.endswith("goodbye")
            ) and _gives_a_reason_to_leave(lowered)


# A surprise kept from someone: "please don't email a receipt, my husband reads my emails and it's his birthday
# present".
_SURPRISE: Final = (r"\b(?:surprise\w*|present|presents|gift|gifts|birthday|anniversary|christmas|xmas|spoil\w*"
                    r"|secret santa|valentine\w*)\b")


@lru_cache(maxsize=4)
def _speaks_of_a_surprise(lowered: str) -> bool:
    return _lazy(_SURPRISE).search(lowered) is not None


def _keeps_a_surprise(lowered: str, match: re.Match[str]) -> bool:
    """The message is about a surprise or a present: a secret kept kindly, not from fear."""
    return _speaks_of_a_surprise(lowered)


def _cancels_a_card(lowered: str, match: re.Match[str]) -> bool:
    """The "cancel" match is "I cancelled it" just after a bank card is named in the same sentence."""
    return (match.group(0) != "cancel" and _lazy(_IT_AFTER).match(lowered, match.end()) is not None
            and _lazy(_CARD_BEFORE).search(lowered, max(0, match.start() - 45), match.start()) is not None)


# A symptom found alone (`safety`'s "she's drooling", "I feel faint") is a report about the goods only beside
# something eaten, used, worn or burnt: "he's being sick, can you hold my order till Friday?" is no report.
_THE_GOODS: Final = (r"\b(?:ate|eaten|eating|eat|drank|drinking|drink|used|using|use|wore|wearing|worn|burning|burnt"
                     r"|lit|lighting|applied|applying|chewed|chewing|swallowed|licked|tried|trying|after|since|toxic"
                     r"|ingredients?|in (?:it|them)|made of|made with|contains?|poison\w*|reaction"
                     r"|made (?:my|his|her|our|their|me)|got hold of|(?:had|has|took|eaten) (?:a bit|a bite|some"
                     r"|a piece|one|two|three|a few|a couple) of|" + _ALLERGEN + r"s?|almonds?|treats?)\b")


# The words one of which a `_SYMPTOM` needs: the pattern starts on common words ("i'm", "he's", "face"), so it is
# searched for only in a message that holds one of these.
_SYMPTOM_WORDS: Final = ("swell", "swollen", "puffy", "tingl", "blotch", "red raw", "all red", "gone red", "blister",
                         "faint", "dizzy", "light", "woozy", "drool", "wheez", "cough", "vomit", "choking",
                         "being sick", "throwing up", "lethargic", "fitting", "shaking", "trembling", "floppy",
                         "drowsy", "unresponsive", "sleepy", "not himself", "not herself", "not themselves",
                         "breathless")


# Something swallowed by a child, a pet or someone who cannot judge for themselves, with a worry about it: "My wee one
# drank some of it", "our spaniel got into the hamper and ate most of the plum chutney - does it have raisins or onion
# in it? Vet needs to know now", "one of our residents, who has dementia, ate several flowers... The GP is asking".
# Not a child who ate the whole cake and loved it, nor a question before anything was eaten ("is the calathea safe for
# cats? Mine chews anything green").
_AGE: Final = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)[- ](?:year|month|week)s?[- ]old"
_PETS: Final = (r"dogs?|pupp(?:y|ies)|pups?|cats?|kittens?|spaniel|lab|labrador|terrier|collie|beagle|retriever|whippet"
                r"|greyhound|dachshund|poodle|rabbit|bunny|parrot|budgie|hamster|guinea pig|ferret|tortoise|horse|pony")
_SWALLOWER: Final = (
    r"\b(?:(?:my|our|the|his|her|their) (?:\w+ )?(?:baby|babies|toddler|son|daughter|child|children|kids?|little one"
    r"|wee one|little boy|little girl|grandson|granddaughter|grandchild|nephew|niece|twins|resident|" + _AGE
    + r"|(?P<pet>" + _PETS + r"))|grandson|granddaughter|toddler)\b")
_SWALLOWED: Final = (r"(?:ate|eaten|eats|has eaten|swallowed|drank|drunk|has drunk|chewed|chewing|licked"
                     r"|sucking on|sucked|got into|ingested|munched|scoffed|wolfed"
                     r"|had (?:some|a cup|a bite|a lick|a sip|a taste))\b")
_SWALLOW_WORRY: Final = (
    r"\b(?:vets?|doctor|gp|111|999|a&e|hospital|paramedics?|poison\w*|toxic|toxicity|harmful|dangerous"
    r"|is (?:it|that|this|they|there) (?:safe|going to (?:hurt|harm|make)|anything (?:in|toxic|harmful|dangerous))"
    r"|will (?:he|she|it|they) be (?:ok|okay|alright|all right|fine)|going to hurt|hurt (?:him|her|them)"
    r"|should (?:i|we) (?:be worried|worry|take)"
    r"|symptoms?|vomit\w*|being sick|been sick|throwing up|(?:really|very|so|unusually) sleepy|drowsy"
    r"|breath(?:e|ing|less)|racing heart|seizures?|fitting|wobbly|panting|drooling|(?:sugar|blood) levels"
    r"|levels (?:are|have|keep) (?:going up|gone up|rising|dropping))\b")
# ... and not a story with its ending told: "three years ago my dog ate a whole box (he was fine, the vet laughed at
# us)", "rang the vet just to be safe and they laughed... No action needed, just thought you'd enjoy the story"
_FINE: Final = r"(?:totally |absolutely |completely |perfectly )?"
_SWALLOW_SETTLED: Final = (
    r"\b(?:(?:vet|vets|doctor|gp)\b[^.!?\n]{0,40}?\b(?:laughed|said (?:not to worry"
    r"|(?:he|she|they|it)(?:'s| is| was| were| are|'ll be| will be) " + _FINE + r"(?:fine|ok|okay|harmless)))"
    r"|(?:he|she|they) (?:was|were) " + _FINE + r"fine|no action needed|nothing to worry about"
    r"|(?:years?|months?) ago|last (?:year|month|summer|winter|christmas))\b")
_PET_TOXINS: Final = (r"\b(?:xylitol|raisins?|currants?|sultanas?|grapes?|onions?|garlic|macadamia|chocolate|cocoa"
                      r"|caffeine|lily|lilies|daffodils?|essential oils?)\b")


def _swallowed_with_worry(lowered: str, quoted: list[tuple[int, int]]) -> str:
    """"my wee one drank some of it... she seems ok" and the like (`_SWALLOWER`), or ""."""
    if _lazy(r"\b" + _SWALLOWED).search(lowered) is None:  # the verb is rarer than the subject ("the ...")
        return ""
    if _lazy(_SWALLOW_SETTLED).search(lowered):  # the story's ending is told, whoever ate what
        return ""
    for who in _lazy(_SWALLOWER).finditer(lowered):
        sentence_end = re.search(r"[.!?\n]", lowered[who.end():])
        rest = lowered[who.end(): who.end() + (sentence_end.start() if sentence_end else 120)]
        verb = _lazy(r"^[^.!?\n]{0,80}?\b" + _SWALLOWED).search(rest)
        if verb is None or (quoted and _in_quotes(quoted, who.start(), who.end())):
            continue
        if _lazy(_NEGATED).search(lowered, max(0, who.start() - GUARD_WINDOW), who.end() + verb.end()):
            continue
        after = lowered[who.start():]
        if _lazy(_SWALLOW_WORRY).search(after) or (who.group("pet") and _lazy(_PET_TOXINS).search(after)):
            return lowered[who.start(): who.end() + verb.end()]
    return ""


def _symptom_with_goods(lowered: str, quoted: list[tuple[int, int]]) -> str:
    """A symptom in someone ("she's drooling", "I feel faint") in a message that names something eaten, used, worn or
    burnt, or ""; "he's being sick, can you hold my order?" is no report about the goods."""
    if not any(word in lowered for word in _SYMPTOM_WORDS) or not _names_the_goods(lowered):
        return ""
    return _first_unguarded(r"\b" + _SYMPTOM, lowered, quoted)


# What, besides a guard before it or quotation marks around it, makes a match no cue: checks in code for what a
# pattern cannot say (a look around of any length), run only on a match of their kind.
_REJECTS: Final[dict[str, tuple[Callable[[str, re.Match[str]], bool], ...]]] = {
    kind: (_asks_what_if,) for kind in _HYPOTHETICAL_KINDS} | {"cancel": (_cancels_a_card, _asks_what_if),
                                                                "distress": (_says_it_in_jest,
                                                                             _leaves_for_a_reason),
                                                                "at_risk": (_keeps_a_surprise,)}


def _find_cues(text: str) -> tuple[Cue, ...]:
    lowered = normalise(text)
    quoted = _quoted_spans(lowered)
    found: list[Cue] = []
    searched = _kinds_to_search(lowered)
    for kind, reason, weight, guard_name, _pattern in _CUE_TABLE:
        if kind not in searched:
            continue
        guard = _lazy(_GUARDS[guard_name]) if guard_name else None
        for match in _compiled(kind).finditer(lowered):
            if guard is not None and guard.search(lowered, max(0, match.start() - GUARD_WINDOW), match.start()):
                continue
            if quoted and _in_quotes(quoted, match.start(), match.end()):
                continue
            if any(rejects(lowered, match) for rejects in _REJECTS.get(kind, ())):
                continue
            found.append(Cue(kind, reason, weight, match.group(0)))
            break
    harm = next((c for c in found if c.kind == "threat_harm"), None)
    if harm is not None and _jokes(lowered):
        found.remove(harm)  # "I'll kill you if you stop making these brownies haha"
    review = next((c for c in found if c.kind == "threat_review"), None)
    if (review is not None and not _lazy(_REVIEW_THREAT).search(review.match) and _lazy(_REVIEW_OFFER).search(lowered)
            and not any(c.kind in PROBLEM_CUES or c.kind in _COMPLAINT_KINDS for c in found)):
        found.remove(review)
    bank = next((c for c in found if c.kind == "threat_chargeback" and "my " in c.match), None)
    if (bank is not None and _lazy(_OWN_PAYMENT_TROUBLE).search(lowered)
            and not _lazy(_CHARGEBACK_WORDS).search(lowered)):
        found.remove(bank)  # calling their bank about their own declined card, or to let them know of a payment
    for wider, narrower in _SUBSUMES:
        outer = next((c for c in found if c.kind == wider), None)
        if outer is not None:
            found = [c for c in found if not (c.kind == narrower and c.match in outer.match)]
    # "rock hard... in the best way", "a bit of a mess, in a good way": praise, not a problem
    found = [c for c in found if c.kind not in _PRAISABLE or not _in_a_good_way(lowered, c.match)]
    if not any(c.kind == "safety" for c in found):
        label = (_allergy_label(lowered) or _symptom_with_goods(lowered, quoted)
                 or _harm_with_goods(lowered, quoted) or _swallowed_with_worry(lowered, quoted))
        if label:
            found.insert(_table_index("safety", found), Cue("safety", _SAFETY[1], _SAFETY[2], label))
    for higher, lower in _OUTRANKS:
        if any(c.kind == higher for c in found):
            found = [c for c in found if c.kind != lower]
    sarcasm = next((c for c in found if c.kind == "sarcasm"), None)
    if sarcasm is not None and not _problem_near(lowered, sarcasm.match, found):
        found.remove(sarcasm)
        sarcasm = None
    if sarcasm is None and (found or "nothing" in lowered):  # a bitter fact is nearly always a cue of its own too
        ironic = _ironic_praise(lowered)  # "great service, it's only been 3 weeks and still nothing"
        if ironic:
            found.insert(_table_index("sarcasm", found), Cue("sarcasm", _SARCASM[1], _SARCASM[2], ironic))
    if not any(c.kind == "unhappy" for c in found):
        angry = _lazy(_ANGRY_EMOJI).search(text)  # "😡😡😡" says it all, and has no word to anchor a pattern to
        if angry is not None:
            found.append(Cue("unhappy", _UNHAPPY[1], _UNHAPPY[2], angry.group(0)))
    if _shouting(text):
        found.append(Cue("shouting", "writes in capitals", -1.0, ""))
    return tuple(found)


_recent: Final = lru_cache(maxsize=32)(_find_cues)

CUE_KINDS: Final[tuple[str, ...]] = (*(row[0] for row in _CUE_TABLE), "shouting")
# What the owner reads for a problem cue (a suggested reply tells a problem from a worry by these).
PROBLEM_REASONS: Final = frozenset(row[1] for row in _CUE_TABLE if row[0] in PROBLEM_CUES)
# What the owner reads for a request to stop the emails (the flows act on the escalation's reasons, not a rescan).
OPT_OUT_REASON: Final = next(row[1] for row in _CUE_TABLE if row[0] == "opt_out")
# What the owner reads for a bereavement (no automatic reply answers one).
BEREAVEMENT_REASON: Final = next(row[1] for row in _CUE_TABLE if row[0] == "bereavement")
# What the owner reads for a threat to them or their staff (no automatic reply answers one either).
THREAT_HARM_REASON: Final = next(row[1] for row in _CUE_TABLE if row[0] == "threat_harm")
# What the owner reads for a customer who may be in crisis (no automatic reply answers one).
DISTRESS_REASON: Final = next(row[1] for row in _CUE_TABLE if row[0] == "distress")
# What the owner reads for a customer who may not be safe at home (no automatic reply: someone else may read it).
AT_RISK_REASON: Final = next(row[1] for row in _CUE_TABLE if row[0] == "at_risk")
# What the owner reads for someone using the shop's name (the draft says plainly it isn't the shop).
IMPERSONATION_REASON: Final = next(row[1] for row in _CUE_TABLE if row[0] == "impersonation")
