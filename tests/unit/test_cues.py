"""Customer-service cues: each kind, negation, and quiet on friendly messages."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain import cues
from chalicelib.domain.cues import CUE_KINDS, PREMISES_NOW, find_cues


def kinds(text: str) -> set[str]:
    return {c.kind for c in find_cues(text)}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Where is my order? It's been 3 weeks", "late"),
        ("Still waiting for my parcel", "late"),
        ("The package never arrived", "late"),
        ("My order hasn’t arrived yet", "late"),  # typographic apostrophe
        ("Tracking shows delivered but I have nothing", "late"),
        ("I want a full refund immediately", "refund"),
        ("Can I get my money back?", "refund"),
        ("Please cancel my order", "cancel"),
        ("I paid by card, please cancel it for me.", "cancel"),  # a card named, but "cancel it" asks us
        ("I used my gift card for the order, can you cancel it?", "cancel"),
        ("The mug arrived cracked", "damage"),
        ("It stopped working after two days", "damage"),
        ("You sent me the wrong size", "wrong_item"),
        ("Two items are missing from the box", "wrong_item"),
        ("I was charged twice for one order", "billing"),
        ("This is the third time I'm writing", "repeat"),
        ("Your automatic reply said someone would get back to me in 24 hours. It's been 3 days.", "repeat"),
        ("Thanks for the apology but I still don't have my order.", "late"),
        ("Sorry for my last email, I was a bit sharp. The cake is still missing though.", "wrong_item"),
        ("Nobody told me the shop would be closed on Monday, I drove 40 minutes for nothing.", "unhappy"),
        ("The girl on the till was really rude to my mum this morning.", "unhappy"),
        ("Well that was a waste of £40.", "unhappy"),
        ("Love your stuff but your delivery charges are getting silly, £7.95 for a loaf?", "unhappy"),
        ("Our order for the office arrived but someone had clearly opened the box and eaten two.", "delivery"),
        ("The parcel had been tampered with and resealed.", "delivery"),
        ("Please don't send any more cake reminders, my wife is diabetic now.", "opt_out"),
        ("Why does my order say cancelled? I didn't cancel it!", "cancelled"),
        ("Ordered 6 sourdough, 4 arrived. Please send the other 2 or refund.", "wrong_item"),
        ("Hi, I think the courier left my parcel at number 14 instead of 41.", "delivery"),
        ("the delivery driver was rude and threw the parcel at me", "delivery"),
        ("Your site says next day delivery but at checkout it says 3-5 days?", "website"),
        ("This cake tastes like soap.", "safety"),
        ("The soap gave my daughter hives.", "safety"),
        ("The necklace turned my neck green after one day.", "damage"),
        ("There's mould on the bread I bought this morning.", "damage"),
        ("The loaf I bought yesterday is mouldy.", "damage"),
        ("I've had no confirmation email, did my order go through?", "worried"),
        ("Please call me back on 07700 900123, it's about tomorrow's order.", "callback"),
        ("Could you give me a ring when you get a chance? Thanks!", "callback"),
        ("Can someone call me? The order number is 1043.", "callback"),
        ("You've sent me someone else's receipt with their name and address on it.", "data_leak"),
        ("There was another customer's invoice in my box.", "data_leak"),
        ("Your newsletter went out and I can see everyone's email addresses in it!", "data_leak"),
        ("I think someone is using my account, I got an order confirmation I didn't place.", "scam"),
        ("I got an order confirmation I didn't place.", "not_their_order"),
        # written quickly, in text-speak
        ("ur driver threw my parcel over the fence AGAIN", "delivery"),
        ("im gonna come down there n sort u out", "threat_harm"),
        ("wot do u mean my payment failed?? money has left my account", "billing"),
        ("i got someone elses order with their name and address on it", "data_leak"),
        # a regular's standing order
        ("It's the third Saturday running the standing order has been short.", "wrong_item"),
        ("I've mentioned it twice in the shop. Please can someone sort it.", "repeat"),
        ("This morning's delivery didn't turn up at all. Not the first time.", "late"),
        ("This morning's delivery didn't turn up at all. Not the first time.", "unhappy"),
        # replies to Warmline's own emails and the owner's promises
        ("You said you'd refund me on Monday, it's now Thursday.", "repeat"),
        ("Why do I keep getting reminders about a basket I emptied weeks ago?", "opt_out"),
        ("The payment reminder said my card expired but I updated it last week.", "billing"),
        ("I was charged £45 but the order total said £38.", "billing"),
        ("Your email says my payment failed but my bank says it went through. Which is it?", "billing"),
        ("The invoice for November seems to be missing the discount we agreed.", "billing"),
        ("The 10% trade discount wasn't applied to my last order.", "billing"),
        ("I've emailed twice already and no one has replied", "repeat"),
        ("Frankly I'm furious that nobody answered my first email", "repeat"),  # nobody, one word
        ("I'll file a chargeback with my bank", "threat_chargeback"),
        ("I'm disputing the charge with PayPal", "threat_chargeback"),
        ("My lawyer will be in touch", "threat_legal"),
        ("Expect a one star review", "threat_review"),
        ("Never ordering from you again", "never_again"),
        ("Thanks for nothing", "sarcasm"),
        ("Great, another week of waiting. Just great.", "sarcasm"),
        ("I want to speak to the owner", "wants_owner"),
        ("Not happy with this at all", "unhappy"),
        ("For the price I paid I expected a lot better.", "unhappy"),  # value for money
        ("Honestly not worth the money", "unhappy"),
        ("Absolutely livid right now.", "unhappy"),  # plain anger, no situation named
        ("I am furious.", "unhappy"),
        ("WHERE IS MY PARCEL", "shouting"),
        ("I'm so nervous it won't arrive before the party", "worried"),
        ("I'm worried my order won't get here in time for Saturday's wedding.", "worried"),
        ("A little concerned the flowers won't be delivered before the funeral on Friday.", "worried"),
        ("Getting anxious, will the cake be ready before 3pm Saturday?", "worried"),
        ("Hi, I'm a bit worried about my order, I haven't had any tracking information yet.", "worried"),
        ("I'm getting nervous about the parcel, is everything okay with it?", "worried"),
        ("The milk had expired when it arrived.", "damage"),  # goods past their date
        ("The cheese was past its use-by date.", "damage"),
        ("Great, just great. The cake arrived upside down.", "damage"),
        ("I found a piece of glass in the loaf I bought on Friday.", "safety"),
        ("My daughter had an allergic reaction after eating the cookies.", "safety"),
        ("The label said nut free but there were almonds in it.", "safety"),
        ("Your label reads 'gluten free' but the ingredients list wheat flour.", "safety"),
        ("The packet said \"dairy free\" even though it contains whey.", "safety"),
        ("We all had food poisoning the day after the party.", "safety"),
        ("The fish pie made my husband violently ill.", "safety"),
        ("There was a long hair in the cake.", "safety"),
        ("The charger caught fire overnight.", "safety"),
        ("I cut my finger on the broken lid.", "safety"),
        ("My son nearly swallowed it.", "safety"),
        ("The new soap gave me an itchy rash all over my arms.", "safety"),
        ("He ended up in A&E after eating one.", "safety"),
        ("This is a scam.", "scam"),
        ("Is this email a scam? It asks for my card details.", "scam"),
        ("You lot ripped me off.", "scam"),
        ("I'm going to my bank about this.", "threat_chargeback"),
        ("I'll be phoning my credit card company tomorrow.", "threat_chargeback"),
        ("Please unsubscribe me.", "opt_out"),
        ("Stop emailing me.", "opt_out"),
        ("Take me off your mailing list please.", "opt_out"),
        ("I never signed up for these emails.", "opt_out"),
        ("Don't email me again.", "opt_out"),
        ("No more reminders, thanks.", "opt_out"),
        ("Received the parcel today, but it's not mine, it's addressed to someone in Leeds.", "wrong_item"),
        ("Just checking about the missing candle?", "wrong_item"),
        ("Hiya, just checking you got my message from Tuesday?", "repeat"),
        ("Did you get my last email?", "repeat"),
        ("I need this sorted today or I'm going to Trustpilot.", "threat_review"),
        ("I'll make sure everyone knows.", "threat_review"),
        ("Wow. Just wow. Paid for next day delivery, it took a week.", "sarcasm"),
        ("Dear Sir/Madam, I wish to make a formal complaint regarding order #2231.", "unhappy"),
        ("I'm honestly shocked at how I've been treated.", "unhappy"),
        ("This is the worst bakery in town.", "unhappy"),
        ("Absolutely heartbroken, it was for my mum.", "unhappy"),
        ("Please call me, it's urgent, about tomorrow's wedding cake.", "urgent"),
        ("Could you reply as soon as possible?", "urgent"),
        ("Please can someone get back to me today.", "urgent"),
        ("I've just seen an email saying my order has been cancelled.", "cancelled"),
        ("Why have you cancelled my order?", "cancelled"),
        ("I've tried calling twice and nobody picks up.", "repeat"),
        ("Starting to get a bit worried as it needs to be here by the 1st!", "worried"),
        ("\U0001F621\U0001F621\U0001F621", "unhappy"),  # angry faces and nothing else
        ("Your delivery driver was so rude to my elderly father.", "unhappy"),
        ("It's been a nightmare trying to get hold of anyone.", "repeat"),
        ("Is anyone actually reading these emails?", "repeat"),
        ("Your website charged me in dollars instead of pounds.", "billing"),
        ("Received 2 of the same invoice, did you charge me twice?", "billing"),
        ("The bottle exploded in the box.", "damage"),
        ("There was broken glass all through the box.", "safety"),
        ("My dog ate one of the chocolate treats you sent, is that dangerous?", "safety"),
        ("The puppy chewed the packaging and swallowed some of the silica sachet.", "safety"),
        ("I bit into a sharp piece of plastic in the granola.", "safety"),
        ("My son broke out in hives an hour after the cake.", "safety"),
        ("You have been hacked, I'm getting weird emails from your address.", "scam"),
        ("Lovely cookies as always, but I found a hair baked into one of them.", "safety"),
        ("We were all sick the next morning after the quiche. Was there anything off with that batch?", "safety"),
        ("My stomach's been upset since eating the prawn pie last night.", "safety"),
        ("The oven glove you sold me has a hole and I burnt my hand taking a tray out.", "safety"),
        ("Where is it? The tracking hasn't moved.", "late"),
        ("Still no parcel. No rush apparently!", "sarcasm"),
        ("Take your time, it's only been three weeks since I paid.", "sarcasm"),
        ("The bread was stale. I'd love to leave a review on Trustpilot about it.", "threat_review"),  # a complaint
        ("Can you tell me why I was charged three times? I'm now overdrawn.", "billing"),
        ("No hurry, just wanted to let you know the wrong cake came.", "wrong_item"),
        ("We got the wrong flowers, they were meant to be white.", "wrong_item"),
        ("This is unacceptable. I'm not in a hurry to order again either.", "never_again"),
        ("I'm writing on behalf of my mother, who sadly passed away last month.", "bereavement"),
        ("My husband died in October and I keep getting emails addressed to him.", "bereavement"),
        ("Our dog died last week so we won't need the treats any more.", "bereavement"),
        ("The flowers are for my dad's funeral on Friday.", "bereavement"),
        ("Please could you not send any more reminders to this address, the account holder is deceased.",
         "opt_out"),
        ("Please cancel her subscription and remove her from your mailing list.", "opt_out_other"),
        ("Please stop sending emails to my mum, she can't use a computer.", "opt_out_other"),
        ("The parcel was thrown over my fence and landed in a puddle.", "delivery"),
        ("The driver left the box out in the rain, it was soaked.", "delivery"),
        ("Your driver parked across my drive and blocked me in for 20 minutes.", "delivery"),
        ("The van reversed into our wall this morning.", "delivery"),
        ("You sent it to the wrong address even though I checked it twice.", "delivery"),
        ("STOP", "opt_out"),
        ("Remove me please.", "opt_out"),
        ("Why do you keep emailing me about items I left in my basket?", "opt_out"),
        ("Thanks for the automated reply but I'd like a real human to read this please.", "wants_owner"),
        ("I'll come down to the shop if I don't hear back today.", "urgent"),
        ("The name on the cake was misspelt, it's Siobhan not Shevaun.", "wrong_item"),
        ("This is my second time writing about this and I still have no refund.", "repeat"),
        ("The courier smashed it against the door.", "damage"),
        ("I've passed this on to my solicitor.", "threat_legal"),
        ("My solicitor has been informed.", "threat_legal"),
        ("The discount code in your email doesn't work, it says invalid.", "website"),
        ("I can't check out, the page keeps crashing.", "website"),
        ("The tracking link doesn't work.", "website"),
        ("Your website won't let me check out, it keeps going back to the basket.", "website"),
        ("Bought a gift card for my sister and she says it shows £0 balance.", "website"),
        ("It keeps sending me back to the basket when I try to pay.", "website"),
        ("I tried to place an order but your payment page gave an error.", "website"),
        ("I got an error message at checkout, is there a problem with the site?", "website"),
        ("Your site is broken, I've tried three times to order.", "website"),
        ("The link in your email is broken.", "website"),  # the shop's link, not damaged goods
        ("Hello, I paid but I did not get email of confirmation. Is order ok?", "worried"),
        ("Oh wonderful, the cake arrived as a pancake.", "damage"),
        ("Per my previous three emails, where is my refund?", "repeat"),
        ("Lovely to be ignored for a week.", "repeat"),
        ("I'm sure you're very busy but it would be nice to get a reply at some point.", "repeat"),
        ("Cheers for the soggy bread mate", "sarcasm"),
        ("Amazing how fast you took my money and how slow you are to send the order.", "sarcasm"),
        ("Not sure why I bother ordering from small shops anymore.", "unhappy"),
        ("Must be nice to take people's money and not send anything.", "late"),
        ("So I'm just supposed to wait forever then?", "late"),
        # phrasings from a probe written by someone who had not read these patterns
        ("Me and my wife have both been up all night being sick after the quiche we bought from you.", "safety"),
        ("Is there sesame in the seeded rye? I've eaten some and my throat feels tight and itchy.", "safety"),
        ("Bit of plastic in my granola, like a sliver off a tub.", "safety"),
        ("My little boy bit into a hard chunk of what looks like plastic in the cupcake.", "safety"),
        ("His gum is bleeding. What was that??", "safety"),
        ("My kid swallowed a button off the teddy we got from u.", "safety"),
        ("I think she's swallowed it. What is it made of?", "safety"),
        ("There was a sewing needle inside the cushion I bought for my baby's nursery.", "safety"),
        ("Found a long black hair baked into the middle of my brownie. Gross.", "safety"),
        ("My dog ate the whole bag of treats while I was out and now he's being sick.", "safety"),
        ("My cat got into the lily you sold me and chewed a leaf.", "safety"),
        ("My son has just come out in hives all over after eating one of your flapjacks.", "safety"),
        ("My husband has just collapsed after eating the harvest loaf.", "safety"),
        ("The candle jar shattered while it was lit and the flame went right up the side.", "safety"),
        ("Got a headache and feel dizzy after burning the new candle in a small room.", "safety"),
        ("Bought your 'gluten free' cake, just been told it was made with normal flour by mistake.", "safety"),
        ("I'm going to find out where you live.", "threat_harm"),
        ("You ruined my daughter's birthday and you WILL pay for it.", "threat_harm"),
        ("I'll come down and sort it out myself. Don't test me.", "threat_harm"),
        ("so u just take ppls money and dont send anything??", "late"),
        ("gonna report u to trading standards", "threat_legal"),
        ("Your 'we'll get back to you shortly' autoreply is all I've had for 12 days.", "repeat"),
        ('Your email said "We\'ll be in touch within 24 hours". That was 9 days ago.', "repeat"),
        ("It's the 18th. You said the 10th. Then you said the 15th.", "repeat"),
        ("Lovely to see you've got time for TikTok but not to answer my email from 10 days ago.", "repeat"),
        ("Received an empty box. Literally empty. Tape intact.", "wrong_item"),
        ("The earrings you sent aren't the ones I ordered.", "wrong_item"),
        ("The personalised book has a typo in my son's name on the front cover.", "wrong_item"),
        ("The cake said 'Happy 7th Birthday Oliver'. My daughter's name is OLIVIA.", "wrong_item"),
        ("I ordered the sourdough and a rye but only got the sourdough.", "wrong_item"),
        ("Tracking has said 'out for delivery' for 6 days.", "late"),
        ("The courier says you never handed it over.", "late"),
        ("Delivery was meant to be Thursday and it's Saturday now.", "late"),
        ("I think I've been charged the shipping twice? £3.95 shows up two times on my statement.", "billing"),
        ("I was billed £29.99 for a subscription I cancelled in March.", "billing"),
        ("I'll be telling everyone in my local Facebook group about how I've been treated.", "threat_review"),
        ("The tracking link in this goes to a 404 page.", "website"),
        ("The candle gives off so much black smoke it's left marks on my ceiling.", "damage"),
        ("The print has a small crease in the corner.", "damage"),
        ("The dog treats smell a bit off and one has white fuzz on it.", "damage"),
        ("Could you confirm the cupcakes are egg free? They're for a party with an allergic child.", "allergy"),
        ("My ex ordered from you using my card without asking.", "scam"),
        # from a second probe, measured once before these were written
        ("My face is swelling up after using the rose face balm this morning, my lips feel tingly.", "safety"),
        ("I think I'm having a reaction to the lavender bath bomb, I feel a bit faint.", "safety"),
        ("Husband's just swallowed part of the metal clip from the cheese board set. He's coughing.", "safety"),
        ("My kitten's been chewing the leaves of the peace lily and now she's drooling loads and won't eat.", "safety"),
        ("I've just realised the chocolate I gave my dog was your 70% one. He ate a whole bar.", "safety"),
        ("Ate the brie from the gift box, now been up all night being sick, so has my wife.", "safety"),
        ("The label on the chocolate torte doesn't mention hazelnuts but the description online does.", "safety"),
        ("Is the glaze food-safe? There's a strange metallic taste when I drink tea from it.", "safety"),
        ("The candle sparked and burnt my niece's hand.", "safety"),
        ("The paint on the wooden blocks is chipping and my 1 year old puts everything in her mouth.", "safety"),
        ("We noticed a burning smell from the wax warmer, the plug got really hot.", "safety"),
        ("The pet shampoo bar made my dog's skin all red and he keeps scratching.", "safety"),
        ("The cream cheese was fizzy and smelled sour, and it's well within date.", "damage"),
        ("Nobody would notice if I wasn't around anyway. The cake was fine.", "distress"),
        ("I've given my cat to a neighbour too. I just want things tidied up for everyone before I go.", "distress"),
        ("Funny how accidents happen to shops that rip people off. Just saying.", "threat_harm"),
        ("You'd better sort my refund before I come down there and sort it out myself.", "threat_harm"),
        ("My card's being charged right now. This wasn't me.", "scam"),
        ("The cupcakes were meant to be here by 11 for the party, it's 12:30.", "late"),
        ("The flowers I paid extra for same-day delivery are nowhere.", "late"),
        ("It's been nearly two months and I've emailed 4 times.", "repeat"),
        ("Funny how you took my money in seconds but can't answer a single email in two weeks.", "repeat"),
        ("The dress fell apart at the seams the first time I wore it.", "damage"),
        ("'handmade with love' my arse. the stitching is coming off already", "damage"),
        ("got the mug but its the wrong design", "wrong_item"),
        ("The soap I got was clearly used - there was a hair stuck in it.", "safety"),
        ("The wooden rattle - a bead came off in my baby's mouth.", "safety"),
        ("The cat treats say grain free on the front but the ingredients on the back list wheat flour.", "safety"),
        ("There was mould under the icing on the cake, we'd already eaten some before we noticed.", "safety"),
        # from a third probe, scored once before these were written; the first four need no phrase of their own
        ("Your diffuser has set fire to my side table, there's smoke everywhere and my son's coughing.", "safety"),
        ("Hot wax from your candle just spilled on my daughter's arm and it's blistering badly.", "safety"),
        ("The rope toy from your shop has shredded and my spaniel's swallowed a chunk. He's retching.", "safety"),
        ("The rim on the mug had a sharp chip straight out of the box and I've sliced my lip on it.", "safety"),
        ("It has a small peg that pops out, exactly the size my 1 year old could choke on.", "safety"),
        ("There was a weevil crawling in the bag of granola. Absolutely vile.", "safety"),
        ("A long hair baked right into the sponge of a cake for a kids party.", "safety"),
        ("The tin of pate is bulging at the lid. Isn't that a botulism thing?", "safety"),
        ("I've just had 5 notifications from my bank for payments to your shop that I didn't make.", "scam"),
        ("Please cancel my subscription, I won't be around to use it after this month.", "distress"),
        ("Maybe I'll pop by the school gate and ask them where my order is.", "threat_harm"),
        ("Posted on the local Facebook group about you. Might want to reply.", "threat_review"),
        ("I want my £65 back or I go to PayPal.", "threat_chargeback"),
        ("Checkout said £24 and my bank has taken £240.", "billing"),
        ("£95 for a hand-knit jumper and it's unravelling at the cuff.", "damage"),
        ("I ordered the sage green jumper in medium and got a mustard one in XL.", "wrong_item"),
        ("Thank you for your swift response to my three emails. Oh wait.", "repeat"),
        ("The necklace I ordered with guaranteed pre-1pm delivery still isn't here.", "late"),
        ('So the "next day delivery" I paid £6.95 for means next week apparently.', "late"),
        # from a fourth probe, scored once first
        ("My mum has dementia and she's eaten one of the soaps thinking it was fudge.", "safety"),
        ("Used the bath bomb in my little girl's bath and now she says it stings and she's crying.", "safety"),
        ("Used the new face scrub this morning and my skin is bright red and burning.", "safety"),
        ("Just spilled hot wax from the candle on my hand and it's blistered and really painful.", "safety"),
        ("The eyes on the knitted bunny come off far too easily, my toddler had one in his mouth.", "safety"),
        ("The plug-in diffuser sparked when I plugged it in.", "safety"),
        ("The scented drawer liners have given the whole family headaches.", "safety"),
        ("Don't think I'll be around long enough to need anything else.", "distress"),
        ("You've ruined my daughter's wedding. I know where your little shop is. Think about that.", "threat_harm"),
        ("Someone has just used my card on your website to buy £600 of jewellery.", "scam"),
        ("Someone has bought a £240 necklace on your site with MY card. My bank has frozen it.", "scam"),
        ("There's a £240 charge from your shop on my credit card that I did not make.", "scam"),
        ("My order was meant to be here today for my sister's hen do.", "late"),
        ("Where. Is. My. Order.", "late"),
        ("Ha. 'Arrives in 2-3 days'. It's been nine.", "late"),
        ("Fine. Keep the money. Clearly you don't care.", "unhappy"),
        ("'Handmade' mugs with 'made in China' stamped underneath. Is this some kind of joke?", "unhappy"),
        ("The 'personalised' necklace came with the wrong initial.", "wrong_item"),
        ("Box arrived open and half the soaps were gone.", "wrong_item"),
        # from a fifth probe, scored once first
        ("My dog is shaking and drooling after eating the stuffing from the squeaky hedgehog.", "safety"),
        ("My lab ate a whole pack of your wax melts. Vet says bring him in now.", "safety"),
        ("Your candle jar just exploded and set the shelf alight. Fire brigade are here now.", "safety"),
        ("There's a strong chemical smell coming off the reed diffuser, made my eyes stream.", "safety"),
        ("My son (2) had one of the wooden beads from the pull-along toy in his mouth.", "safety"),
        ("The bell on the toddler shoes came off really easily, that's a choking risk.", "safety"),
        ("Great, so the 'handmade with love' mug arrived in about six pieces.", "damage"),
        ("Every candle from my last order has a sinkhole and won't stay lit.", "damage"),
        ("Cheese arrived warm and sweating, ice pack was just water.", "damage"),
        ("The dress I received has clearly been worn, makeup on the collar.", "damage"),
        ("The cake said 'Happy Retirment Dave'. I spelled it right on the form.", "wrong_item"),
        ("So the 'express' delivery I paid £12 for turned up after the wedding.", "late"),
        ("lol ok so apparently 'dispatched within 2 days' means 2 weeks. cool cool cool", "late"),
        ("WEDDING IS TODAY. WHERE ARE THE BUTTONHOLES. Driver said 9am its now 11.", "late"),
        ("I have reported your business to Trading Standards.", "threat_legal"),
        ("I notice you've not responded to my last email. I'll take that as a no then.", "repeat"),
        ("Keep ignoring me and see what happens to that pretty little shop window of yours.", "threat_harm"),
        # from a sixth probe, added after its one scoring
        ("This will be my last order. I'm giving my things away to people who'll appreciate them.", "distress"),
        ("Honestly I don't know how much longer I can keep going with any of it.", "distress"),
        ("There were tiny moths in the bag of flour I bought from you.", "safety"),
        ("Slug in the salad bag. A whole live slug.", "safety"),
        ("The fairy lights on the wreath started smelling like burning plastic.", "safety"),
        ("People like you deserve what's coming to them.", "threat_harm"),
        ("My card has just been used on your site three times in the last ten minutes.", "scam"),
        ("The reed diffuser tipped over and my cat walked through the oil. She's licking her paws.", "safety"),
        ("My dad's diabetic and ate most of the 'sugar free' brownies. His levels are really high now.", "safety"),
        ("The kids ate some of the playdough from your craft kit, my youngest has been sick twice since.", "safety"),
        ("The fairy lights started smelling like burning plastic and the battery pack was really hot.", "safety"),
        ("Smoke alarm went off last night, the candle had set light to the label on the jar.", "safety"),
        ("There's a strong chemical smell from the rug, gives me a headache every time I'm in the room.", "safety"),
        ("The wooden rattle has a splinter sticking out of it.", "safety"),
        ("Funny thing, I know exactly where your shop is. Maybe I'll just come and collect my refund in person.",
         "threat_harm"),
        ("Per my last email, I still need the invoice for order 3301.", "repeat"),
        ("As previously stated, the box was damaged.", "repeat"),
        ("I haven't received any answer from you. What's up?", "repeat"),
        ("No worries, I'll just wait another three weeks then. Still no parcel.", "sarcasm"),
        ("Still no parcel.", "late"),
        ("It doesn't matter, nobody ever replies anyway.", "repeat"),
        ("My lawyer will be in touch.", "threat_legal"),
        ("Trading Standards will hear about this.", "threat_legal"),
        ("I will take you to the small claims court if I don't get my money back.", "threat_legal"),
        ("I'm going to report you to Trading Standards.", "threat_legal"),
        ("I will sue you for this.", "threat_legal"),
        ("If this isn't sorted I'm calling my bank.", "threat_chargeback"),
        ("Where is my order? I'm going to my bank.", "threat_chargeback"),
        ("My card was declined twice, so I'll call my bank and ask them to reverse the charge.", "threat_chargeback"),
        ("I opened a case with PayPal because nobody answered.", "threat_chargeback"),
        ("Our office ordered 40 pastries for 9am. It is now 9:20 and nothing has arrived.", "late"),
        ("Nobody is answering the phone.", "repeat"),
        ("I wrote last week about my missing parcel and haven't heard anything since.", "repeat"),
        ("Please call me immediately on the number on the order.", "urgent"),
        ("The sourdough had a really burnt bottom, like charcoal.", "damage"),
        ("The quiche was raw in the middle.", "damage"),
        ("This is ridiculous, where is it?", "unhappy"),
        ("Fourth time asking: where is my order?", "repeat"),
        ("This is the 3rd email I've sent.", "repeat"),
        ("Excellent, 10 days and nothing.", "late"),
        ("Two weeks and counting.", "late"),
        ("Three emails, zero replies.", "repeat"),
        ("Thanks for the refund, but it still hasn't reached my account.", "billing"),
        ("The refund still hasn't come through.", "billing"),
        ("The first loaf had metal in it.", "safety"),
        ("Just to let you know the replacement had a hair baked into it.", "safety"),
        ("My husband chipped a tooth on a stone in the granola.", "safety"),
        ("You never reply to emails.", "repeat"),
        ("Our standing order for Friday was short by 6 croissants again.", "wrong_item"),
        ("The box was one macaron short.", "wrong_item"),
        ("She says the card inside was blank. Did the message not get printed?", "wrong_item"),
        ("The invoice you sent has the wrong VAT number on it, could you reissue it?", "billing"),
        ("My payment keeps failing at checkout, I've tried three cards.", "website"),
        ("Your website says in stock but then the basket says sold out.", "website"),
        ("The cake inside had slid and the icing was all smudged.", "damage"),
        ("Paid £8 for next day delivery and it arrived three days later.", "late"),
        ("I'd like the delivery charge back please.", "refund"),
        ("The courier said 1pm, any chance you know where he's got to?", "late"),
        ("The tracking link doesn't seem to work.", "website"),
        ("I want to speak to the owner, not a bot. My order is two weeks late.", "late"),
        ("The bread tasted sour in a bad way, I think it had gone off.", "damage"),
        ("The cream tasted a bit off.", "damage"),
        ("You said you'd call me back yesterday and you didn't.", "repeat"),
        ("Still no word from you.", "repeat"),
        ("This is the first time I've been let down. The cake was nothing like what I ordered.", "wrong_item"),
        ("This is the first time I've been let down.", "unhappy"),
        ("As a regular I have to say the quality has really slipped lately.", "unhappy"),
        ("The box was soaked through when it arrived.", "damage"),
        ("Still no word on the replacement.", "late"),
        ("No news on the birthday cake?", "late"),
        ("The chocolate had bloomed and gone white, is it still safe to eat?", "worried"),
        ("I didn't abandon anything, I just changed my mind. Please don't chase me.", "opt_out"),
        ("I already bought it, why are you still reminding me?", "opt_out"),
        ("Three reminder emails in two days is a bit much.", "opt_out"),
        ("The biscuits in the broken biscuit bag were all broken.", "damage"),
        ("I'm angry, the box was crushed in a bad way.", "damage"),
        ("Just a heads up, your website is showing last year's Christmas opening hours.", "website"),
        ("Wrong date on the birthday cake, it says 30 not 40!", "wrong_item"),
        ("The cake says Happy Birthday Sophie but her name is Sofia.", "wrong_item"),
        # the writing on it, quoted
        ("The card said \"Happy Birthday\" but it's her anniversary.", "wrong_item"),
        ("You wrote 'Happy Retirement Dad' on the cake, we asked for 'Happy Birthday Dad'.", "wrong_item"),
        ("The cake says \"Happy 40th Mike\" instead of \"Happy 50th Mike\", can you fix it?", "wrong_item"),
        ("The delivery guy left the gate open and our dog got out.", "delivery"),
        ("I ordered the vegan brownies and I'm fairly sure these have butter in them?", "ingredients"),
        ("The vegetarian pie had chicken in it!", "ingredients"),
        ("The listing said they were vegan but the label on the box lists egg.", "ingredients"),
        ("The gluten free loaf definitely contained wheat, my wife is coeliac.", "safety"),
        ("Unfortunately it was about an hour late, so the meeting started without it.", "late"),
        ("I was worried it would get squashed, and sure enough the top was squashed flat.", "damage"),
        ("You didn't answer my last email.", "repeat"),
        ("I've been a customer for years and this is the worst bread you've ever sent me.", "unhappy"),
        ("£12 for shipping on a £15 order is a joke.", "unhappy"),
        ("I didn't order anything from you, who is this?", "not_their_order"),
        ("I never placed this order, please check.", "not_their_order"),
        ("Why am I getting emails about an order? I've never heard of you.", "not_their_order"),
        ("My bank statement shows a charge of £45 from you.", "billing"),
        ("There's a payment I don't recognise on my card.", "billing"),
        ("This is the second time this has happened.", "unhappy"),
        ("Thanks for the apology but I needed it for today.", "late"),
        ("Thanks for the discount code, but honestly I'd rather just have my order.", "late"),
        ("Yes the parcel came, but a day late, so the birthday was missed.", "late"),
        ("Honestly not great, the cookies were burnt.", "damage"),
        ("We ordered 3 dozen cupcakes for the school fair and only 2 dozen came.", "wrong_item"),
        ("The courier left the parcel with a neighbour I don't know.", "delivery"),
        ("It says it was left in the porch but I can't find the parcel anywhere.", "late"),
        ("The chocolate was white and powdery when it arrived, is that normal?", "worried"),
        ("Why hasn't my refund been processed?", "billing"),
        ("Our café's standing order was short again this morning.", "wrong_item"),
        ("The courier crushed it, the box was flat.", "damage"),
        ("The driver smashed it on the doorstep.", "damage"),
        ("The flowers were dead on arrival.", "damage"),
        ("The ingredients list online doesn't mention sesame but the packet says may contain sesame. My daughter is "
         "allergic.", "safety"),
        ("My son is allergic to nuts and the brownies weren't labelled, luckily I checked.", "safety"),
        ("There was no allergen label on the box at all.", "safety"),
        ("I reacted to the new granola, I think there's something in it that wasn't on the label.", "safety"),
        ("My lips swelled up after eating the flapjack.", "safety"),
        ("I ordered a cake for collection at 2pm and nobody was at the shop.", "late"),
        ("I waited 40 minutes outside the shop.", "late"),
        ("Please call me on 07700 900123 immediately.", "urgent"),
        ("I got three emails saying my payment failed but the money has left my account.", "billing"),
        ("My sister says the card message was wrong.", "wrong_item"),
        ("hello i am not receive my order until now, please check", "late"),
        ("my order is where? 10 days waiting", "late"),
        ("I pay two time for same order, please return money", "billing"),
        ("I pay two time for same order, please return money", "refund"),
        ("Very bad. Cake is dry and not fresh.", "damage"),
        ("Very bad. Cake is dry and not fresh.", "unhappy"),
        ("We were all sick after eating the quiche.", "safety"),
        ("Gutted, the cake was a nightmare to cut and fell apart.", "unhappy"),
        ("Please note my son is allergic to nuts, can you make sure the cake is nut free?", "allergy"),
        ("Are your scones egg free? My daughter has a severe allergy.", "allergy"),
        ("Is there dairy in the vegan brownies? They taste very buttery!", "ingredients"),
        ("I asked for no sesame and the rolls were covered in it.", "wrong_item"),
        ("Could you send a credit note for the 4 missing baguettes from Tuesday's delivery?", "wrong_item"),
        ("Could you send a credit note for the 4 missing baguettes from Tuesday's delivery?", "refund"),
        ("Your invoice #2231 is overdue? We paid it on the 3rd, please check.", "billing"),
        ("I want to return the hamper, it's not what I expected.", "unhappy"),
        ("The payment link in your email took me to a page that said 'expired'.", "website"),
        ("I tried to pay three times and it keeps saying declined but my bank says there's no problem.", "website"),
        ("Please stop trying to take payment, I cancelled the subscription last month!", "billing"),
        ("The delivery man left the box on the doorstep in the pouring rain.", "delivery"),
        ("The cake was soaked.", "damage"),
        ("The courier said he tried to deliver but I was home all day and nobody knocked.", "late"),
        ("The driver didn't knock, he just left a card.", "late"),
        ("I'm really stressed, the wedding is on Saturday and I haven't had a dispatch email.", "worried"),
        ("Hi, will my order arrive before Christmas? I'm getting a bit anxious.", "worried"),
        ("Please delete all my personal data, under GDPR.", "data_request"),
        ("How did you get my email address? I never signed up for anything.", "data_request"),
        ("Where did you get my details from?", "data_request"),
        ("My gift card says it has £0 balance but I haven't used it.", "billing"),
        ("What personal data do you hold about me? This is a subject access request.", "data_request"),
        ("I'd like to be forgotten, please erase everything you have on me.", "data_request"),
        ("I asked for no nuts on the cake and there were almonds on top, my son is allergic.", "safety"),
        ("I sent flowers to my mum and she said they were wilted, really embarrassing.", "unhappy"),
        ("The crushed ice packs had melted and the cheese was warm.", "damage"),
        ("You sent 10 croissants instead of 20.", "wrong_item"),
        ("My subscription renewed without warning, I thought I'd cancelled it.", "billing"),
        # a threat to the owner or staff, or to the shop
        ("I'll come down to the shop and sort you out myself.", "threat_harm"),
        ("I don't really see the point of anything now. Sorry, I don't know why I'm writing this.", "distress"),
        ("Cancel everything. I won't be around much longer to use it anyway.", "distress"),
        ("I've been feeling really suicidal lately, sorry to unload on you.", "distress"),
        ("Everyone would be better off without me.", "distress"),
        ("If my order isn't here tomorrow I'm going to smash your windows.", "threat_harm"),
        ("I know where you live.", "threat_harm"),
        ("Tell your driver if he throws my parcel again I'll knock his block off.", "threat_harm"),
        ("Your driver is lucky I didn't punch him.", "threat_harm"),
    ],
)
def test_each_cue_kind(text: str, kind: str) -> None:
    assert kind in kinds(text)


def test_every_kind_is_exercised_above() -> None:
    assert set(CUE_KINDS) == {
        "late", "refund", "cancel", "damage", "wrong_item", "billing", "repeat", "threat_chargeback",
        "threat_legal", "threat_review", "never_again", "sarcasm", "wants_owner", "unhappy", "worried", "shouting",
        "safety", "scam", "opt_out", "urgent", "cancelled", "bereavement", "opt_out_other", "delivery", "website",
        "ingredients", "not_their_order", "allergy", "data_request", "threat_harm", "callback", "data_leak",
        "distress", "at_risk", "impersonation",
    }


@pytest.mark.parametrize(
    "text",
    [
        "Thanks so much, the cake was perfect!",
        "Do you ship to Canada?",
        "Thanks for the quick refund, all sorted now.",
        "Nothing was broken, everything arrived safely.",
        "I'd like to cancel my newsletter subscription please",
        "I'd like to add another item to my order if it hasn't shipped yet.",
        "The flowers were really lovely.",
        "It was better than I expected!",
        "I couldn't have expected better, thank you.",  # negated
        "Worth every penny.",
        "I wasn't angry at all, just curious when it ships.",  # negated
        "Don't worry, it will arrive in time!",  # negated
        "No need to worry about it getting there in time.",
        "I was so worried it wouldn't come before the party, but here it is!",  # a worry resolved
        "I'm scared of spiders, so thank you for the lovely packaging.",  # no order, no deadline
        "Worry is a down payment on a problem you may never have.",
        "I'm afraid I need to change my address before Friday.",  # politeness, not worry
        "Not worried about the order at all, take your time.",  # negated
        "I was worried about my order but it turned up this morning.",  # a worry resolved
        "I'm a little concerned about the colour, is it the same as the photo?",  # a detail, not the order
        "My payment failed, I think my card expired. How do I update it?",  # a card, not the goods
        "The discount code has expired, can I still use it?",
        "No allergic reaction at all, so thank you!",  # negated
        "Excellent service! No reply needed.",
        "Still waiting to try the second loaf, the first was superb.",  # a treat to come
        "My friend is still waiting to hear if she can order for Saturday, can she?",
        "You don't need to reply to this, thanks again!",
        "$1 short stacks at the café tomorrow, who's coming?",
        "I ordered on Monday and it arrived two days later, brilliant!",
        "Ugh, don't remind me, I've eaten three already.",
        "Don't let me down, I've told everyone your brownies are the best!",
        "We sat in the sun-drenched garden with your scones, bliss.",
        "Can I order two of your broken biscuit bags for Friday?",
        "Do you still do the smashed avocado sourdough on Saturdays?",
        "Could I get the Angry Birds cake for my son's party?",
        "The rocky road was rock hard... in the best way, so much crunch!",
        "You keep reminding me how good your bread is with these photos!",
        "Thanks for the reminder! I'll finish the order at the weekend.",
        "The vegan brownies were so good I can't believe they don't contain butter!",
        "Do you do a vegan version with no eggs?",
        "Please make the vegan brownies with oat milk next time, they were lovely.",
        "I was a bit worried it would get squashed in the post but it was perfect, thank you.",
        "We came up short in the quiz but the cake was a winner.",
        "My eyeshadow smeared all over, but the brownies made up for it.",
        "The cake came in a glass stand, beautiful.",
        "I almost choked laughing at the card you put in, thank you!",  # not on anything
        "Rash of orders this week? You deserve it, the bread is wonderful.",  # not a skin rash
        "My mum is in hospital, so could you deliver to my address instead?",  # not after the goods
        "Not a scam after all, it came this morning!",  # negated
        "Please don't unsubscribe me, I love the newsletter.",  # negated
        "I've signed up for your newsletter, can't wait.",
        "Thank you \U0001F60D\U0001F44D",  # a thumbs-up is not a thumbs-down
        "The flavours burst in your mouth, and the box was a dream.",
        "Is it safe to freeze the brioche?",  # a question about safe storage, not danger
        "Do you charge extra for gift wrap?",  # a question about a price, not a wrong charge
        "I made a rash decision and ordered three cakes. No regrets!",  # not a skin rash
        "The honey from your hives is the best we've had.",  # a beekeeper's hives
        "My dog ate the whole bag of treats in a day, he loves them!",  # nothing harmful to him
        "Is it harmful to freeze the sourdough?",  # a question about storage
        "It hasn't been cancelled, has it? Just checking!",  # negated: a question
        "I found a bug in your website's checkout, the button does nothing.",  # software, not an insect
        "There was plastic in the packaging, I thought you were plastic free?",
        "The body has quite a bit of plastic for the price.",
        "I'm so sorry, I think I gave you the wrong address. Could you update it to 12 Hill Road?",  # their slip
        "We accidentally ordered the wrong size, can we swap it?",
        "Just left you five stars on Google reviews.",  # praise before the review site
        "No rush at all, it's not urgent.",  # negated
        "I'm missing your sourdough already!",  # missing the bread, not a missing item
        "Wow, just wow! The cake was a work of art.",  # no problem next to it
        "The best bakery in town, hands down.",
        "I'll leave you a lovely review on the website!",  # praise before "review on": a promise
        "Five stars from me, I'll post a glowing review on Trustpilot tonight.",
        "Don't worry, I won't leave a bad review, these things happen.",  # negated
        "My husband burnt his tongue on the pie because he couldn't wait, that's how good it smelled!",  # hot food
        "I burnt my tongue on the coffee, my own fault for being impatient, it was lovely.",
        "Sorry for the slow reply, I've been ill all week. Yes please go ahead with the order.",  # not from the goods
        "I'd love to leave you a review, where's the best place? Trustpilot or Google?",  # an offer, not a threat
        "Can I leave a review on your website? We loved it.",
        "Where is it made? The label doesn't say.",  # a question about the goods, not the order
        "My phone died so I couldn't answer the courier.",  # not a person
        "I lost my card so the payment failed, I'll update it tonight.",
        "I lost my mum's order number, can you look it up?",
        "That cake was to die for!",
        "Third time ordering from you and it never disappoints.",  # the third order, not the third email
        "This is the second time I've ordered and both times it was perfect!",
        "You've put your prices up, that's the third time this year.",
        "Honestly? Best thing I've ever eaten. Ridiculous how good it is.",  # praise
        "Your brownies are ridiculously good.",
        "Killer sourdough, you absolutely smashed it!",  # nailed it
        "My husband is a solicitor, could you deliver to his office instead?",  # a mention, not a threat
        "I'm a lawyer and honestly your croissants get me through the week.",
        "Hi, it's Sue from the café next door, could we order 20 loaves?",  # Sue, not sue
        "Small claims: the smaller slices are perfect for the kids!",
        "My lawyer is lovely and recommended you, could I order a cake?",
        "The solicitors are coming to our party, can we order 30 cupcakes?",
        "I'm going to a solicitor's office party, could I order a cake?",
        "You have the wrong address on file for me, could you update it to 12 Hill Road?",  # an update
        "Last time you left it in the bin store, which was perfect. Could you do the same again?",
        "My card was declined, I'll call my bank and try again tomorrow. Sorry!",  # their own card, no threat
        "I'm speaking to my bank about the declined payment, then I'll re-order.",
        "Can I pay by card over the phone? I'll call my bank first to let them know.",
        "The burnt sugar topping was delicious.",  # a recipe, not a mistake
        "The card with the pun was a joke for my brother, he loved it.",
        "This isn't a joke, the cake was lovely.",
        "I haven't ordered yet, I'm still deciding.",
        "I've never ordered a cake before, can you help? I've never heard of you but my friend loves you.",
        "I didn't order anything else, just the bread.",
        "I needed it for the party, and it came just in time, thank you!",
        "I can't find the order on your website, where do I look?",
        "Sorry it's short notice, could the order be ready for 3 instead of 4?",
        "The cracked black pepper crackers were amazing, ordering more!",  # a recipe's words, not damage
        "Your crushed raspberry jam is the best thing I've eaten all year.",
        "The salted caramel melted in the mouth, perfection.",
        "The smashed chocolate bark was a huge hit at the party.",
        "We devoured the whole thing, it was dead good.",
        "You absolutely crushed it with this cake! You cracked it with the new recipe.",
        "Are your scones egg free? My son is allergic.",  # a question: the owner answers it from All mail
        "My brother's reaction to the end of the film was priceless.",
        "He didn't have a reaction to the nut-free cookies at all, thank you!",
        "I only waited 5 minutes at the counter, so quick!",
        "You never get the order wrong, thank you! Too bad I moved away.",
        "We were all sick from eating too much cake, worth it!",
        "Please can you change Friday's order to 30 croissants instead of 20?",
        "The driver knocked and left it with my neighbour, lovely service.",
        "At least he didn't knock himself out on the ground, the cake was lovely.",
        "Please update my details, I've moved to 4 Mill Lane.",
        "My card was stolen, so I cancelled the card and added a new one.",
        "My dad won't let me use my iPad till exams are over.",  # no website
        "I'd kill for another slice of that cake! These brownies are killing me.",  # hyperbole, not a threat
        "I'm not going to hurt anyone, don't worry, I'm just cross.",
        "Going to hit the shop on Saturday for more of those cinnamon buns!",
        "I'd love to come down and sort out a birthday cake order with you.",
        "I'll hit you up next week about the wedding order.",
        "You may have mentioned it before, but do you do gluten free?",  # not "I've written before"
        "You said you'd have sourdough on Monday, is it Thursday too?",  # no day gone by
        "It's not the first time I've ordered and it won't be the last!",
        "I've mentioned it twice to friends already, they're ordering too!",
        "You said you'd have it ready by Monday and it was, thank you!",
        "Why do I keep getting such lovely service? You're the best.",
        "Most shops like yours are missing out on thousands of sales.",  # a sales pitch, not a missing item
        "People are missing out if they haven't tried your brownies!",
        "I would like to complain about nothing, everything was perfect :)",
        "Some customers' comments are best to be ignored, yours never are.",  # not them being ignored
        "We had pancakes for breakfast and your cake for pudding, perfect day.",
        # hyperbole and other people's news are no cry for help
        "If you sell out of the brownies again I'll kill myself.",
        "If you sell out of the brownies again I'm going to kill myself haha",
        "That advert makes me want to kill myself, it's so cheesy.",
        "These brownies are so good I could die.",
        "Your lavender soap has basically broke the internet in our family group chat!",
        "5 stars from me. The soap smells incredible. Left you a review on Google too.",
        "Thanks for the quick refund on the cancelled order last month, the new one arrived fine.",
        "It's been a month and I'm still not over how good the almond croissants were.",
        "Do your scented candles have any essential oils that are toxic to cats?",  # asks
        "I nearly swallowed my tea when I saw how gorgeous the cake was!",
        "I keep telling everyone to try your brownies.",
        "My son is being sick so I can't collect today, could you hold the order till Friday?",  # no goods named
        "I feel a bit dizzy with excitement, the cake arrives tomorrow!",
        "I just swallowed the whole slice in one go, delicious.",
        "Your new range has sparked a lot of chat in our house, we love it.",
        "Before I go, can I add a note to the order? Thanks!",  # a sign-off, not a farewell
        "Your sourdough is nowhere near as sour as the supermarket's, which I love.",
        "I nearly choked laughing at the card you put in, thank you!",
        "Things fell apart for us this year, so your card meant a lot.",
        "My mum's been in hospital, so sorry for the slow reply. Can I still order the cake?",  # nothing of theirs
        "Is the candle poisonous if the cat licks it?",  # a question that supposes
        "We had a lovely rash of orders for your cakes after the fair!",
        "Can't wait to tell my followers about your amazing cakes!",
        "Unless you don't care about the colour, any of the mugs will do!",
        "This puzzle is giving me a headache in the best way, thank you!",
        "Do you or your organisation help those who are feeling suicidal?",  # about others, not the writer
        "Support your local #firefighters so they can work tonight without fear.",
        "I won't be around next week so please leave the parcel with a neighbour.",
        "I'm not suicidal, don't worry! Just very tired after the move.",
        "I don't see the point in paying for express delivery if it arrives when standard would.",
        "We went to see Suicide Silence last night, the candles made the after-party.",
        "I'll kill you if you stop making these brownies haha",  # in jest
        "Ordered 12 cupcakes, 12 arrived, all perfect!",  # as many as ordered
        "Can you call me Jess? Everyone does!",  # a name, not a call
        "No need to call me back, all sorted.",
        "I bought it as a gift and the receipt was for my sister, which was right.",
        "Call me maybe!",
        "What's your refund policy if the cake gets damaged in the post?",  # what would happen: no report
        "Do you send replacements if anything arrives broken?",
        "If I order today will it arrive late because of the strikes?",
        "I'm so sorry, I was rude on the phone yesterday. It wasn't your fault.",  # their own rudeness
        "I apologise for my tone yesterday. The refund did come through, thank you.",
        "No one told me they existed until last week, now I'm hooked!",
        "Curtis wants Swansea to break the mould in manager search.",
        "I don't want to cancel, just move it to Friday please.",  # no wish to cancel
        "The label says gluten free, does that include the crust?",  # a question, not a report (was an alert)
        "Is the nut free cake made with almonds?",
        "The website says it's egg free but does it contain egg powder?",
        "The label said gluten free and it was delicious, thank you!",
        "The cake said 'Happy Birthday Sophie' exactly as we asked, she loved it!",
        "My card was stolen so I cancelled it, my new card ends 4242.",  # their bank card, not an order
        "Someone used my card details so I've cancelled them and ordered a new card.",
        "My sister bought me the necklace with her card, could you add a gift note?",  # a gift, not fraud
        "Someone has bought me a gift card on your site, how do I use it?",
        "My card was stolen so I am cancelling it today.",
        "These cookies are a nightmare for my diet haha. I was gutted when I finished the last slice!",
        "Can you stop by the shop on Saturday? We'd love to see you.",  # not a whole-message "stop"
        "A real human would love this cake!",  # praise, not a request for a person
        "It was left with my neighbour, which was perfect, thank you!",
        "",
        "ok",
    ],
)
def test_friendly_or_neutral_messages_have_no_cues(text: str) -> None:
    assert find_cues(text) == ()


def test_each_kind_reported_once_with_reason_and_match() -> None:
    cues = find_cues("Refund me. I said REFUND. I want a refund!")
    assert [c.kind for c in cues] == ["refund"]
    assert cues[0].reason == "asked for a refund"
    assert cues[0].match == "refund"
    assert cues[0].weight < 0


def test_capitals_need_enough_letters() -> None:
    assert "shouting" not in kinds("OK!")
    assert "shouting" in kinds("THIS IS NOT OK")


@given(st.text(alphabet=st.sampled_from("AbCdEfGhXYZxyz !?.,7ÄÖäöÉéß😡\u0391\u03b1"), max_size=40))
@settings(max_examples=500, deadline=None)
def test_shouting_fast_path_equals_its_definition(text: str) -> None:
    """The ASCII fast path counts with str.translate; it must say what the plain definition says:
    at least 8 letters, 70% or more of them capitals."""
    letters = [c for c in text if c.isalpha()]
    expected = len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) >= 0.7
    assert ("shouting" in kinds(text)) == expected


def test_memo_keeps_only_ordinary_texts() -> None:
    """One inbound email is looked at more than once, so recent answers are kept; a sender can make a
    text as long as they like, so a long one is read afresh and never held in memory."""
    short = "Where is my order? It's been 3 weeks"
    first = find_cues(short)
    assert find_cues(short) is first  # the same immutable answer, not a second scan
    before = cues._recent.cache_info().currsize
    long = "I want a refund. " + "blah " * cues.MEMO_MAX_CHARS
    assert {c.kind for c in find_cues(long)} == {"refund"}
    assert cues._recent.cache_info().currsize == before


def test_unhappy_is_not_an_upset_stomach() -> None:
    assert kinds("My stomach's been upset since eating the prawn pie last night.") == {"safety"}
    assert kinds("I'm really upset about the stomach-turning smell of the box.") >= {"unhappy"}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Hi, my order hasn't arrived yet. No rush, just checking!", "no rush"),
        ("Could you take a look when you get a chance? Thanks!", "when you get a chance"),
        ("It's not a big deal, the jar was only chipped.", "not a big deal"),
        ("NOT URGENT: can I change the name on the cake?", "not urgent"),
        ("Whenever suits, could you send a replacement?", "whenever suits"),
        ("The ribbon was a bit crushed, but no matter at all.", "no matter at all"),
        ("Just letting you know the lid was chipped.", "just letting you know"),
        ("Just to let you know the lid was chipped.", "just to let you know"),
        ("Just a heads up, the lid on the jar of bath salts was cracked when it arrived.", "just a heads up"),
        ("Not the end of the world, but the cake was squashed.", "not the end of the world"),
        ("The box arrived a bit dented but the biscuits inside were fine, no problem.",
         "the biscuits inside were fine"),
        ("The lid was cracked but the contents were unscathed.", "the contents were unscathed"),
        ("Sorry, wrong size. No problem at all, I'll swap it.", "no problem at all"),
        ("No problem with the taste, but the box was crushed.", ""),
        ("The cake arrived squashed. No problem at all with the driver though.", ""),
        ("It keeps saying declined but my bank says there's no problem.", ""),
        ("Where is my order? It's been three weeks!", ""),
        ("It's urgent, please call me.", ""),
        ("I'm in no hurry to order from you again.", ""),  # never again, not patience
    ],
)
def test_says_it_can_wait(text: str, words: str) -> None:
    assert cues.says_it_can_wait(text) == words


def test_a_request_for_someone_else_is_not_the_senders_own_opt_out() -> None:
    assert kinds("Please stop sending emails to my mum, she can't use a computer.") == {"opt_out_other"}
    assert "opt_out" in kinds("Please stop sending emails, thanks.")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("I'm so sorry, I accidentally ordered the same thing twice. Could you cancel one?", "accidentally"),
        ("My mistake, I put the wrong date on the order.", "my mistake"),
        ("I think I paid twice for order 2201, could you refund one?", "i think i paid twice"),
        ("You sent the wrong cake.", ""),
    ],
)
def test_owns_the_mistake(text: str, words: str) -> None:
    assert cues.owns_the_mistake(text) == words


def test_a_broken_code_is_the_websites_trouble_not_faulty_goods() -> None:
    assert kinds("The discount code in your email doesn't work.") == {"website"}
    assert kinds("Your discount code WELCOME10 isn't working at checkout.") == {"website"}
    assert kinds("The code 'spring' doesn't work.") == {"website"}
    assert kinds("The voucher code you sent me isn't working.") == {"website"}
    assert kinds("The kettle stopped working after a week.") == {"damage"}


def test_words_in_quotation_marks_are_someone_elses() -> None:
    """A reply that quotes the shop's own email ("Why did I get a 'sorry your order is late' email?") reports nothing
    late; the customer's own words around a quote still count, and so does a whole message pasted in quotes."""
    assert kinds("Why did I get a 'sorry your order is late' email? It arrived on Tuesday, all fine.") == set()
    assert kinds('Your email said "where is my order" was my question, no it wasn\'t!') == set()
    assert kinds("The cake says 'Happy Birthday Sophie' but her name is Sofia.") == {"wrong_item"}
    assert kinds('Wrong date on the cake, it says "30" not "40"!') == {"wrong_item"}
    assert "late" in kinds('"Where is my order? It has been three weeks."')
    assert "late" in kinds("I don't know where it's gone, it's been 3 weeks and I'm still waiting.")


def test_quoted_spans_are_found_once_and_looked_up_by_bisection() -> None:
    assert cues._in_quotes([(5, 10), (20, 30)], 21, 29) and not cues._in_quotes([(5, 10), (20, 30)], 25, 31)
    assert not cues._in_quotes([(5, 10), (20, 30)], 5, 9)  # the quotation mark itself is not inside
    text = "hello " + "a 'where is my order' " * 3000  # many quotes, every cue inside one: linear, and none found
    assert cues._find_cues(text) == ()


def test_an_order_they_did_not_place_is_not_a_wrong_item() -> None:
    assert kinds("I didn't order anything from you, who is this?") == {"not_their_order"}
    assert kinds("I received a cake I didn't order.") == {"wrong_item"}


def test_an_allergy_mentioned_is_no_safety_report() -> None:
    """Until December 2026 an allergy question had no cue ("the owner's own mailbox"); it is now the allergy cue, so
    it waits in the owner's inbox to be answered with care. A thank-you that mentions one is no report either."""
    assert kinds("Is the carrot cake nut free? My son has a severe nut allergy.") == {"allergy"}
    assert kinds("No allergic reaction at all, and my son has a nut allergy, so thank you!") == {"allergy"}


def test_an_allergen_in_a_free_from_product_is_safety_not_also_ingredients() -> None:
    assert kinds("Your website said it was dairy free but the box lists milk powder.") == {"safety"}
    assert kinds("My son is allergic to nuts and the brownies weren't labelled.") == {"safety"}  # not also "allergy"


def test_without_products_reads_the_shops_own_product_names_as_items() -> None:
    names = ("Broken Biscuit Bag", "Grandma's Burnt Toffee")
    assert cues.without_products("Two broken  biscuit BAGS please", names) == "Two items please"
    assert cues.without_products("Grandma\u2019s burnt toffee is amazing", names) == "item is amazing"
    assert cues.without_products("The biscuits were broken", names) == "The biscuits were broken"
    assert cues.without_products("Unbroken Biscuit Bagels", names) == "Unbroken Biscuit Bagels"  # whole words only
    assert cues.without_products("anything", ()) == "anything"


def test_no_word_on_a_refund_is_waiting_for_it_not_writing_unanswered() -> None:
    assert kinds("Perfect. Still no word on my refund though.") == {"refund", "sarcasm"}


def test_asking_where_we_got_their_address_is_no_unanswered_email() -> None:
    assert kinds("How did you get my email address? I never signed up for anything.") == {"data_request", "opt_out"}
    assert "repeat" in kinds("Did you get my email about the cake?")


def test_a_missing_confirmation_email_is_a_worry_to_answer_not_a_late_order() -> None:
    # (until December 2026 it had no cue at all: the point then was that it is not a late order, which stands; it now
    # waits in the owner's inbox, since only the owner can say whether the order went through)
    assert kinds("I haven't received an order confirmation email, did it go through?") == {"worried"}


def test_an_order_that_says_cancelled_is_done_to_them_not_a_wish_to_cancel() -> None:
    assert kinds("Why does my order say cancelled? I didn't cancel it!") == {"cancelled"}


def test_an_angry_are_you_kidding_does_not_make_a_threat_a_joke() -> None:
    assert "threat_harm" in kinds("Are you kidding me? I'll come down to the shop and sort you out myself.")


def test_a_supposing_question_reports_nothing_but_a_report_then_a_question_does() -> None:
    assert kinds("The cake arrived damaged. What's your refund policy if that happens?") == {"damage"}
    assert kinds("If the cake arrives damaged again I want a refund.") == {"damage", "refund"}  # no question
    assert "safety" in kinds("What should I do if he has an allergic reaction?")  # never for health or safety


def test_thanks_for_the_broken_thing_is_sarcasm_but_thanks_for_putting_it_right_is_not() -> None:
    assert "sarcasm" in kinds("Thanks a lot for the broken mug.")
    for text in ("Thanks for the quick replacement for the broken mug, all sorted!",
                 "Thanks for replacing the broken mug, all sorted!"):
        assert "sarcasm" not in kinds(text)


def test_a_crisis_told_in_any_of_these_words_is_searched_and_found() -> None:
    """The gate words (tests/unit/test_cue_gates.py) let each of these through to the distress search."""
    texts = ["I don't really see the point of anything now.", "Cancel everything. I won't be around much longer.",
             "I've been feeling really suicidal lately.", "Everyone would be better off without me.",
             "I keep thinking about ending things.", "I've been self-harming again.", "There's no reason to go on.",
             "I don't want to be here anymore.", "I don't want to go on like this.", "I want to end it all.",
             "I'm thinking of taking my own life.", "Nothing left to live for.", "I might hurt myself."]
    for text in texts:
        assert "distress" in cues._kinds_to_search(cues.normalise(text)), text
        assert "distress" in kinds(text), text


def test_a_long_repeated_phrase_looks_for_laughter_and_the_goods_once_not_once_per_match() -> None:
    """A 100,000-character message repeating "makes me want to kill myself" has thousands of matches; searching the
    whole text for "haha" (or for the goods) at each one was quadratic (16 s). The whole-message answer is cached."""
    cues._jokes.cache_clear()
    find_cues("That advert makes me want to kill myself. " * 500)
    info = cues._jokes.cache_info()
    assert info.misses == 1 and info.hits >= 100, info  # asked at every match, searched once
    cues._names_the_goods.cache_clear()
    find_cues("She's coughing. I used the balm. " * 500)
    info = cues._names_the_goods.cache_info()
    assert info.misses == 1 and info.hits + info.misses <= 3, info  # asked once a message, not once a match


# Blind probe 8 (bench/data/blind_probes.jsonl): what it showed slipping through, and what must still not match.
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("You'd better hope I don't bump into you at the market on Saturday.", "threat_harm"),
        ("Nice little shop you've got there. Shame if something happened to it. Refund me.", "threat_harm"),
        ("Be careful walking to your car after you close up. People aren't happy with how you've treated them.",
         "threat_harm"),
        ("I'm sat outside your unit. I'll wait as long as it takes for someone to come out and explain.",
         "threat_harm"),
        ("My cousin's a journalist and I've got your home address off the return label. Sort it out.", "threat_harm"),
        ("Hey Sam, you probably don't remember me. Just wanted to say goodbye really. Your bread was one of the nice "
         "things. Thanks for always being kind.", "distress"),
        ("Thank you for always being lovely to me. I've given most of my plants away now, you're welcome to the ones "
         "I bought from you back, I won't be needing them. No need to reply.", "distress"),
        ("I won't be needing any more orders — I'm sorting things out so nobody has to deal with my stuff.",
         "distress"),
        ("can you cancel my subscription. no point anymore, I won't be around to use it", "distress"),
        ("I've been putting my affairs in order, so please cancel the box.", "distress"),
        ("Please don't send the order to my home address — send it to my work instead. He goes through the post and "
         "I'm not allowed to buy things for myself. And please don't email a receipt, he reads my emails.", "at_risk"),
        ("Sorry for the bother, probably nothing, but my little one got hold of a bit of the dog treat and now she's "
         "very sleepy and floppy and not herself.", "safety"),
        ("Do the flapjacks have almond in? My partner's wheezing a bit and on his inhaler.", "safety"),
        ("my 4 year old just had one of the little button batteries from the light up toy in his mouth and now I "
         "can't find it", "safety"),
        ("The candle flared up really high last night, a good foot of flame. It had been lit less than an hour.",
         "safety"),
        ("Jar of your plum jam went off like a firework in the cupboard. Nobody hurt but blimey.", "safety"),
        ("Wheel came off the pull-along dog within a day. My 18 month old could easily have swallowed it.", "safety"),
        ("There are two charges on my card from your shop that I didn't make.", "scam"),
        ("there's a payment to you for £240 that I definitely did not make", "scam"),
        ("Had a message from someone claiming to be you saying I'd won a £500 voucher.", "impersonation"),
        ("Someone's set up an Instagram account with your logo and photos selling 'discounted' candles.",
         "impersonation"),
        ("I got a text saying it was from you asking me to pay a customs charge through a link.", "impersonation"),
        ("If I don't hear back by tomorrow I'll be leaving a review telling everyone how you treat your customers.",
         "threat_review"),
        ("I have instructed Harper & Cole Solicitors to act on my behalf.", "threat_legal"),
        ("Courier's saying 'attempted delivery' but we've been in all day!!", "delivery"),
        ("Your delivery driver was really aggressive when I asked him to wait. He swore at me.", "delivery"),
        ("I feel completely lied to. That's misleading and you know it.", "unhappy"),
        ("you lot are a joke.", "unhappy"),
        ("I've left three voicemails now. Nobody rings back.", "repeat"),
        ("great, another week without my parcel.", "late"),
        ("Paid £30 for 'next day' and it's day four.", "late"),
    ],
)
def test_what_blind_probe_8_showed_is_heard(text: str, kind: str) -> None:
    assert kind in kinds(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I'm waiting outside your shop for my click and collect, are you open yet?", "threat_harm"),
        ("Just wanted to say goodbye, we're moving to Spain next month. Thanks for all the lovely bread!", "distress"),
        ("I've given all my candles away to friends as I'm moving abroad, so I won't be needing any more.", "distress"),
        ("I won't be around to use it until March, can you pause the box?", "distress"),
        ("Please don't email a receipt, my husband reads my emails and it's his birthday present!", "at_risk"),
        ("My son reads my emails to me as my eyesight is poor.", "at_risk"),
        ("I'm not allowed to have nuts, are these nut free?", "at_risk"),
        ("My son is very sleepy today, can I collect the order tomorrow instead?", "safety"),
        ("Do your light-up toys have button batteries? My son is 2.", "safety"),
        ("Your candles have exploded in popularity, well done!", "safety"),
        ("Your candles have exploded in popularity, well done!", "damage"),
        ("I was so looking forward to it. I literally yelled at my tv.", "delivery"),
        ("I'm sorry to hear you've been cheated on.", "unhappy"),
        ("Is this text from you? It says my parcel is waiting.", "scam"),
    ],
)
def test_what_blind_probe_8_showed_does_not_catch_its_look_alikes(text: str, kind: str) -> None:
    assert kind not in kinds(text)


# Blind probe 9: what it showed slipping through, and what must still not match.
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The battery in the toy drone has swollen up and it's smoking on my kitchen counter right now.", "safety"),
        ("The lamp you sold me sparks at the base every time I plug it in.", "safety"),
        ("There is a WASP baked into the honey cake. I have photos.", "safety"),
        ("Your 'dog-safe' antler chew has splintered into sharp shards. My lab is fine.", "safety"),
        ("One of the wheels came off the wooden train and there's a sharp metal pin sticking out.", "safety"),
        ("Received a chew with a metal staple stuck in it. Dog didn't get it, thankfully.", "safety"),
        ("The wooden rattle I bought has a bead that's come loose. Caught it before she got it in her mouth.",
         "safety"),
        ("The macramé plant hanger you sent pulled clean out and the pot came down. Missed my head by an inch.",
         "safety"),
        ("I have been taken rather unwell since eating the pork pie purchased from your stall.", "safety"),
        ("Gave my dad your 'diabetic friendly' fudge and his sugar has gone through the roof.", "safety"),
        ("The earrings have made my ears red and itchy, you said they were hypoallergenic.", "safety"),
        ("The 'non-toxic' crayons you sell smell of chemicals and my daughter's palms went red where she held them.",
         "safety"),
        ("The wax melts smell gorgeous but my parrot got really wheezy when I used them.", "safety"),
        ("Enjoy locking up tonight. I'll be watching.", "threat_harm"),
        ("Keep ignoring me and see what happens. I know which van is yours.", "threat_harm"),
        ("Read your About page. Your kids go to St Mary's, don't they? Cute. Refund me.", "threat_harm"),
        ("Refund by 5pm today or my brother and his mates will come round and collect it in person.", "threat_harm"),
        ("I know where your shop is. You'd better hope I don't have to come down there.", "threat_harm"),
        ("Your ex-employee has been telling people he's going to 'deal with' the shop when you open.", "threat_harm"),
        ("Someone's posted a nasty comment about your assistant Jess, including her street.", "threat_harm"),
        ("I won't be needing the subscription any more. Or anything really. Please give whatever's left to someone "
         "who needs it.", "distress"),
        ("honestly this was the last thing i was going to buy myself. wanted something nice before the end.",
         "distress"),
        ("Could you cancel my monthly box? I won't be around after this week. I've sorted my things and written my "
         "letters.", "distress"),
        ("honestly i don't see the point of much anymore. sorry this is a weird thing to send a shop", "distress"),
        ("Nothing's really mattered since the divorce. I don't think I'll be needing anything again, honestly.",
         "distress"),
        ("pls dont send any more confirmations to this email, he checks it. im kind of scared tbh", "at_risk"),
        ("I'll be posting about this on the village Facebook group unless someone gets back to me.",
         "threat_review"),
        ("I've left a voicemail, sent two emails and a DM on Instagram. Is anyone actually running this shop?",
         "repeat"),
        ("There's a £12.99 charge from you every month since March and I have never even heard of your shop.",
         "not_their_order"),
        ("Your website's showing every price as £0.00 - people are checking out with everything free right now.",
         "website"),
    ],
)
def test_what_blind_probe_9_showed_is_heard(text: str, kind: str) -> None:
    assert kind in kinds(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Thanks I was wondering what the sparks from his head were about.", "safety"),
        ("Good thing you didn't order the wrong size, that could have been bad.", "safety"),
        ("Which of your houseplants are ok for cats? Don't want to buy the wrong thing.", "wrong_item"),
        ("I won't be around after this week as I'm travelling, could you hold my box? We're moving abroad.",
         "distress"),
        ("I won't be needing anything else, thanks!", "distress"),
        ("The film was great, especially before the end.", "threat_harm"),
        ("He looked lively and had a good shot tipped over the bar before the end.", "distress"),
        ("I found a bug in your website's checkout, the button does nothing.", "safety"),
        ("They feel so bad they post it on Twitter", "threat_review"),
        ("The dog is just scared of him.", "at_risk"),
        ("I'd never heard of your shop until my friend sent me a candle, now I'm hooked!", "not_their_order"),
    ],
)
def test_what_blind_probe_9_showed_does_not_catch_its_look_alikes(text: str, kind: str) -> None:
    assert kind not in kinds(text)


def test_please_ignore_my_last_email_i_found_it_is_the_customers_own_doing_and_fyi_can_wait() -> None:
    assert cues.owns_the_mistake("Sorry, please ignore my email from this morning about the missing earring back - "
                                 "found it hiding in the tissue paper")
    assert cues.says_it_can_wait("Box arrived a bit squashed on one corner but everything inside was perfect - just "
                                 "FYI for your courier")


# Blind probe 10: what it showed slipping through, and what must still not match.
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("You'll be hearing from my lawyer.", "threat_legal"),
        ("Small claims papers are being prepared. You have until Friday.", "threat_legal"),
        ("Your product caused a fire in my flat. My insurer and my lawyer are both involved now.", "threat_legal"),
        ("Formal notice: I have today submitted a claim against your business through Money Claim Online for £340.",
         "threat_legal"),
        ("The bloke who works with you - tell him he'd better watch himself walking home.", "threat_harm"),
        ("I'm sat in my car outside your unit. Come out and explain yourself.", "threat_harm"),
        ("It's for my mum. I want her to get it after I'm gone, I don't think I'll be here much longer.", "distress"),
        ("I've been writing to everyone who's been kind to me and this is yours.", "distress"),
        ("Does the jasmine candle make a good final gift? I want it to be the last thing I give anyone.", "distress"),
        ("I won't be needing the subscription any more, or anything really. Please give my candles to someone who'll "
         "enjoy them.", "distress"),
        ("Please remove my name and address. I've moved into a refuge and he can't find out where I am.", "at_risk"),
        ("my ex has been ordering from you in my name to try to find my new address. I'm scared.", "at_risk"),
        ("I'm writing from a friend's account because my husband checks mine.", "at_risk"),
        ("Someone on Instagram is DMing people saying they're you and asking for payment by bank transfer.",
         "impersonation"),
        ("Someone's made a website that copies yours exactly, same photos, same wording.", "impersonation"),
        ("there's a listing on Facebook Marketplace using your product photos and shop name, taking deposits.",
         "impersonation"),
        ("the gift card i bought has a balance of £0 and ive NEVER used it. someone has used it.", "scam"),
        ("I have a screenshot of your promise. I'll be posting that screenshot alongside my review.", "threat_review"),
        ("I'd like a response from someone senior, please.", "wants_owner"),
        ("I've just had an email saying it's CANCELLED?!", "cancelled"),
        ("The name on the christening cake is wrong on the proof.", "wrong_item"),
        ("Found a small piece of what looks like glass in the jar of honey.", "safety"),
        ("The chicken treats smell properly rancid. My dog wouldn't touch them.", "safety"),
        ("The earrings you sent turned my earlobes green and itchy within an hour.", "safety"),
        ("The wheel came off the pull-along dog and my daughter nearly had the little axle in her mouth.", "safety"),
        ("My cat was sick twice after the new salmon treats. She's fine now.", "safety"),
        # (probe 11's one mend, made after it was scored: see bench/data/README.md)
        ("my daughters lips have gone blue after the fudge, paramedics are here now", "safety"),
        ("The brownies you sent have sesame seeds in them but sesame isn't on the allergen list. I'm allergic.",
         "safety"),
    ],
)
def test_what_blind_probe_10_showed_is_heard(text: str, kind: str) -> None:
    assert kind in kinds(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Please keep him in your prayers, he has been sick since the day of Eid.", "safety"),
        ("When I'm gone on holiday next week could you hold my box?", "distress"),
        ("The sky went blue after the storm, lovely walk to collect your cake.", "safety"),
        ("My husband is a paramedic and loves your cakes!", "safety"),
        ("I've just had an email saying it's CANCELLED?!", "cancel"),  # cancelled on them: no wish to cancel
    ],
)
def test_what_blind_probe_10_showed_does_not_catch_its_look_alikes(text: str, kind: str) -> None:
    assert kind not in kinds(text)


# Blind probe 11 (used to mend after its figure was taken): what slipped through, and its look-alikes.
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I know where your shop is and you're going to regret ripping me off.", "threat_harm"),
        ("I'm coming down to the shop tomorrow and your girl at the till had better watch herself.", "threat_harm"),
        ("That woman who runs your market stall, if I see her there again I won't be responsible for what happens.",
         "threat_harm"),
        ("Don't know why I even ordered this candle, not like I'll be around to use it.", "distress"),
        ("lol idk why i even bothered ordering the hoodie tbh i prob won't be here by the time it comes anyway",
         "distress"),
        ("I've been stockpiling my tablets for a while now and this candle is the last nice thing I wanted to have.",
         "distress"),
        ("Just say her mum loves her very much. I won't be able to tell her myself. Thank you.", "distress"),
        ("Please cancel my subscription. I won't be needing anything anymore. Thank you for everything.", "distress"),
        ("Is there any chance I could sit in the shop for a bit tomorrow? I can't go home, not after last night.",
         "at_risk"),
        ("The cake for tonight says Happy Birthday KATIE — her name is KATY.", "wrong_item"),
        ("The courier has just told me they're sending the funeral flowers BACK to you!", "delivery"),
        ("The flame on your candle got massive, like 4 inches, and scorched the shelf above it.", "safety"),
        ("my skin is literally peeling off after ur clay mask what is IN this", "safety"),
        ("My cat is having some kind of fit after eating your catnip treats.", "safety"),
        ("Dispute raised with Amex today for order #7720.", "threat_chargeback"),
        ("I've reported this to my credit card company and they've already reversed the charge.",
         "threat_chargeback"),
        ("Wow, amazing service. Waited two weeks for 'next day delivery'.", "late"),
        ("I'm going to post about this in every local Facebook group.", "threat_review"),
        ("Honestly the rudest reply I've ever had from a business.", "unhappy"),
        ("You've just emailed to say you can't do my daughter's cake for her party next Saturday??", "cancelled"),
    ],
)
def test_what_blind_probe_11_showed_is_heard(text: str, kind: str) -> None:
    assert kind in kinds(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Is your A5 dot grid fountain pen friendly? My last notebook bled through like crazy.", "safety"),
        ("Please put a note in saying her dad loves her, I won't be able to tell her myself as I'm deployed overseas.",
         "distress"),
        ("I won't be here when it arrives, I'm at work, could you leave it with a neighbour?", "distress"),
        ("You'll regret not trying the lemon drizzle, it's gorgeous!", "threat_harm"),
        ("I can't go home until 6 so please deliver after that.", "at_risk"),
    ],
)
def test_what_blind_probe_11_showed_does_not_catch_its_look_alikes(text: str, kind: str) -> None:
    assert kind not in kinds(text)


def test_ordering_the_named_thing_twice_by_a_slip_is_the_customers_own_mistake() -> None:
    assert cues.owns_the_mistake("I ordered the tasting box twice because the page froze on me. Please cancel one.")


# Blind probes 15-22 (bench/data/blind_probes.jsonl): what they showed slipping through, and what must still not match.
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Keep ignoring me and see what happens to your windows.", "threat_harm"),
        ("Answer me today or I'll be round with a few mates to have a word. Not joking any more.", "threat_harm"),
        ("I'm not the kind of person you want to mess around. You'll find that out soon enough.", "threat_harm"),
        ("You can tell your delivery girl she'd better not show her face on my street again.", "threat_harm"),
        ("If my money isn't back by Friday I'll come down there and smash every pot on your shelves.", "threat_harm"),
        ("The person who runs this shop should watch their back. People like you get what's coming.", "threat_harm"),
        ("I've driven past your unit twice this week. Next time I'll stop.", "threat_harm"),
        ("I'm outside your workshop right now. Come out.", "threat_harm"),
        ("I'm not a violent man, but if this isn't sorted I can't promise anything.", "threat_harm"),
        ("Tell the lad who packs your orders I'll be waiting for him after his shift.", "threat_harm"),
        ("If I don't get my money back I'll find you.", "threat_harm"),
        ("Dear Sir/Madam, we act for Ms J. Carter in relation to injuries sustained on 4 May.", "threat_legal"),
        ("My solicitor has issued a letter before action, which you should receive by post today.", "threat_legal"),
        ("Please be advised that I have issued proceedings against you for breach of contract.", "threat_legal"),
        ("The results are with my solicitor and the Food Standards Agency.", "threat_legal"),
        ("This is to notify you that Trading Standards has opened an investigation.", "threat_legal"),
        ("This is Laura Kent, Environmental Health Officer at the district council.", "threat_legal"),
        ("I've reported you to environmental health.", "threat_legal"),
        ("Got a text from 'you' saying my parcel was held at customs and I needed to pay £2.99 at a link.",
         "impersonation"),
        ("I got an email from something that looked like your shop, asking me to update my payment details.",
         "impersonation"),
        ("Dear shop, there's a website that looks exactly like yours, with cheaper prices.", "impersonation"),
        ("Is www.willow-candles-outlet.shop yours? They've got all your photos.", "impersonation"),
        ("I've just had a phone call from a man saying he works for you, asking me to read out the code.",
         "impersonation"),
        ("Did you change your bank details? The invoice asked me to pay into a new account.", "impersonation"),
        ("An invoice from you, with payment to a different bank account than usual.", "impersonation"),
        ("Someone is emailing customers from 'orders@yourshop-support.co' asking for card details.", "impersonation"),
        ("sorry for the rambly msgs earlier. i wont bother u again, i think everyone's better off without me tbh.",
         "distress"),
        ("how many bottles would be too much. i just want to sleep and not wake up for a long time honestly",
         "distress"),
        ("your hot sauce is the only thing that makes me feel anything anymore. probably won't be around to order "
         "again.", "distress"),
        ("Don't worry about the refund. Doesn't matter now. Nothing really does.", "distress"),
        ("My daughter had two of the brownies at her party and her lips went all puffy.", "safety"),
        ("The split ring on the name tag had a sharp edge and it's sliced our collie's neck open, she was bleeding.",
         "safety"),
        ("My grandson swallowed a piece of foil with one and choked - he's fine now after I did back blows.",
         "safety"),
        ("The battery compartment on the light-up rocket got really hot while it was charging and started smoking.",
         "safety"),
        ("The candle I bought last week: the flame got really tall and the whole top of the wax caught.", "safety"),
        ("The little battery candle in the gift box overheated and set the tissue paper alight.", "safety"),
        ("My son's new shoes have a metal pin poking up through the insole. He came home with a bloody sock.",
         "safety"),
        ("Your delivery driver shoved the door open and my father fell backwards. He's got a cut on his head.",
         "safety"),
        ("The pedal arrived with a mains lead that has bare copper showing right at the plug.", "safety"),
        ("Party in three hours and the glass cake topper just arrived in pieces.", "damage"),
        ("If a man called Mark rings or emails asking for my address, please don't give him anything. I've moved "
         "for a reason.", "at_risk"),
        ("Please don't confirm to anyone who calls that I'm a customer.", "at_risk"),
        ("Please never leave parcels with neighbours, it's a refuge.", "at_risk"),
        ("I'm frightened. My ex has been sending things to my new address in my name.", "at_risk"),
        ("I know where your workshop is. You'd better hope I don't turn up there.", "threat_harm"),
        ("I'm coming down to your market stall on Saturday and I'm going to smash the whole thing up.",
         "threat_harm"),
        ("Our solicitors, Harrow & Finch LLP, will be writing to you this week.", "threat_legal"),
        ("Please cancel everything. I won't be needing the order now. I've put things in order.", "distress"),
        ("Our dog ate some of the wooden beads from your garland. Vet says possible blockage.", "safety"),
        ("Our bunny ate one of your apple-wood chews yesterday and today he hasn't eaten or pooped at all.",
         "safety"),
    ],
)
def test_what_blind_probes_15_to_22_showed_is_heard(text: str, kind: str) -> None:
    assert kind in kinds(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I'll be round to collect on Saturday, if that's OK?", "threat_harm"),
        ("I'll find you a better box next time, promise.", "threat_harm"),
        ("What's in the hamper? I guess I'll find out soon enough!", "threat_harm"),
        ("Not the kind of shop you want to miss at Christmas!", "threat_harm"),
        ("I drove past your shop last week and next time I'll pop in to say hello.", "threat_harm"),
        ("I'm outside your unit to collect, could someone come out?", "threat_harm"),
        ("I'll be waiting for you outside at 3 for the collection.", "threat_harm"),
        ("We act for a local charity and would like to order 40 mince pies.", "threat_legal"),
        ("I work in environmental health, so I was impressed by your hygiene rating!", "threat_legal"),
        ("My solicitor loved the hamper, could I order another for her office?", "threat_legal"),
        ("The mug looks just like your photos, thank you!", "impersonation"),
        ("Could you make a cake with your logo on it for our office party?", "impersonation"),
        ("Oops, I sent the payment to a different account, can you check?", "impersonation"),
        ("The driver said he works for you part time and was lovely.", "impersonation"),
        ("I won't be around to order again until March, I'm travelling.", "distress"),
        ("Nothing really matters more than the cake being on time!", "distress"),
        ("Honestly you're better off without me as a customer, I'm so indecisive haha", "distress"),
        ("My husband started smoking again, so please cancel the candles.", "safety"),
        ("The jumper needs a few stitches on the hem, could you repair it?", "safety"),
        ("The parcel was a bloody mess when it got here, box all squashed.", "safety"),
        ("The cut of the dress is quite deep at the front, is there a lining?", "safety"),
        ("I was in pieces when I read your lovely card, thank you.", "damage"),
        ("Don't tell her anything about the surprise party cake, she'll be thrilled!", "at_risk"),
        ("My ex is sending things to the kids, could you gift wrap this one?", "at_risk"),
        ("My dog hasn't eaten the treats at all, he's so fussy!", "safety"),
        ("I've put things in order for the party, could you deliver on Friday?", "distress"),
    ],
)
def test_what_blind_probes_15_to_22_showed_does_not_catch_its_look_alikes(text: str, kind: str) -> None:
    assert kind not in kinds(text)


# Blind probes 23-25, after their figures were taken: what they showed slipping through, and its look-alikes.
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I'm an officer with Gloucestershire Trading Standards. We have received a complaint.", "threat_legal"),
        ("Following a report of a serious injury to a 14-month-old child associated with a walker supplied by you, "
         "Trading Standards is making enquiries.", "threat_legal"),
        ("The Office for Product Safety and Standards has been notified of a possible small-parts hazard.",
         "threat_legal"),
        ("Following complaints from residents, an officer will carry out an inspection on Tuesday.", "threat_legal"),
        ("I have since been contacted by Avon and Somerset Police about the bike.", "threat_legal"),
        ("I know where your workshop is.", "threat_harm"),
        ("Nice little workshop you've got. All that wood and varnish. Be a shame if it went up.", "threat_harm"),
        ("I can see your stall. I told you what would happen if you kept ignoring me.", "threat_harm"),
        ("Sat outside your house last night. You should close the curtains.", "threat_harm"),
        ("I've watched your stories. I know which school your girls go to now.", "threat_harm"),
        ("I'm outside your workshop now. Open the door or I'm coming in.", "threat_harm"),
        ("You're dead.", "threat_harm"),
        ("Got a new number have you? Doesn't matter. I'll always find you.", "threat_harm"),
        ("My ex lives there and I have a non-molestation order.", "at_risk"),
        ("Can you deliver to the library instead? He can't see it. I'm not safe here right now.", "at_risk"),
        ("Your Facebook page has been hacked, it's asking your followers to send money in your name.",
         "impersonation"),
        ("I got a WhatsApp from Niamh's number saying she's stuck abroad and needs me to send €500.", "impersonation"),
        ("Please note our bank details have changed with immediate effect.", "scam"),
        ("Oakwood Timber Supplies has changed banks. Please make payment of our outstanding invoice.", "scam"),
        ("Your Etsy listings are all showing £0.00 and someone's posted it on Hot UK Deals.", "website"),
        ("Your checkout is charging people 10 times over.", "website"),
        ("Your checkout has been throwing error 500 for everyone since your email went out.", "website"),
        ("Your website has been replaced with a page saying 'hacked by' and it's redirecting to a casino site.",
         "website"),
        ("The 'recent orders' box on your homepage is showing people's full names and addresses.", "data_leak"),
        ("Your order confirmation page shows my full card number and security code.", "data_leak"),
    ],
)
def test_what_blind_probes_23_to_25_showed_is_heard(text: str, kind: str) -> None:
    assert kind in kinds(text)


# Blind probes 26 and 27, after their figures were taken.
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Wouldn't want anything to happen to those lovely big windows of yours.", "threat_harm"),
        ("Tell that ginger girl who works Saturdays that I'll be waiting for her after closing.", "threat_harm"),
        ("I'm going to burn your shitty little unit down. With you in it.", "threat_harm"),
        ("I know which cottage is yours.", "threat_harm"),
        ("Be a real shame if your dogs got out onto the main road one night.", "threat_harm"),
        ("I'm outside your unit. Open the door or I'll kick it in.", "threat_harm"),
        ("I'm coming down there tomorrow with my brothers. You'll give me my money back one way or another.",
         "threat_harm"),
        ("I followed your van home yesterday. You live in a lovely spot.", "threat_harm"),
        ("It would be a shame if word got around about how you treat your customers.", "threat_review"),
        ("Please cancel my subscription. I won't need books where I'm going. Thank you for all the stories.",
         "distress"),
        ("I know where your unit is. If I don't have my money by tomorrow I'll come down and get it out of you myself.",
         "threat_harm"),
        ("can you cancel the sub. everything feels too much and i dont think ill be around much longer", "distress"),
        ("Do you have any books on how to end things painlessly? It's for me, not research.", "distress"),
        ("hello dear, i have fallen in the kitchen and cant reach the phone, i only have the tablet.", "safety"),
        ("The bookcase we bought from you toppled over onto my son. He's got a head injury.", "safety"),
        ("Your delivery driver slammed the gate on my hand.", "safety"),
        ("The bed went up like a torch when a spark from the wood burner landed on it.", "safety"),
        ("dog ate your treats now fitting. whats in them", "safety"),
        ("We've seen three dogs this week with acute kidney injury and all three owners mention your duck jerky.",
         "safety"),
        ("This is PC Lloyd Jones, Dyfed-Powys Police. We have received information about a threat.", "threat_legal"),
        ("Trading Standards: following reports of illness, officers will attend your premises tomorrow.",
         "threat_legal"),
        ("We act for Cwtch Pets Ltd, proprietor of UK trade mark no. UK00003412345.", "threat_legal"),
        ("I have a stalker and the police are involved.", "threat_legal"),
        ("When I log in I can see other customers' names, addresses and phone numbers.", "data_leak"),
        ("Your site's showing the large orthopaedic bed at £8.99 instead of £89.99.", "website"),
        ("ALL your refurbished bikes are showing at £4.50 on the website right now.", "website"),
        ("Your website is showing everything at £0.00 in the basket.", "website"),
        ("Your large beds are showing at £0.45 and it's on HotUKDeals. People are ordering dozens.", "website"),
    ],
)
def test_what_blind_probes_26_and_27_showed_is_heard(text: str, kind: str) -> None:
    assert kind in kinds(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I'm a police officer and I'd love a teddy for the station dog.", "threat_legal"),
        ("I know where your workshop is, I'll pop in on Saturday!", "threat_harm"),
        ("You're dead right, the blue one is nicer.", "threat_harm"),
        ("I'll find you a better box next time.", "threat_harm"),
        ("Is the fig candle safe for cats? I'm not sure.", "at_risk"),
        ("Could you put my order in your name for the gift message?", "impersonation"),
        ("My bank details have changed, so the last payment failed. Could you send a new link?", "website"),
    ],
)
def test_what_blind_probes_23_to_25_showed_does_not_catch_its_look_alikes(text: str, kind: str) -> None:
    assert kind not in kinds(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("My son ate the whole box of your fudge, he says you're the best!", "safety"),
        ("Your apples arrived a bit bruised but still tasty.", "safety"),
        ("I'll be coming over on Saturday with my friends to collect the cake.", "threat_harm"),
        ("Shame if your prices went up, you're such good value!", "threat_harm"),
        ("I won't need the winter coat where I'm going, it's 30 degrees in Lisbon! Could I swap it?", "distress"),
        ("I was charged £8.99 instead of £6.99 for postage.", "website"),
        ("The police officer loved the ring, thank you!", "threat_legal"),
        ("I wouldn't want anything to happen to the cake in transit, could you pack it well?", "threat_harm"),
        ("The dress you sent is fitting perfectly, thank you!", "safety"),
        ("Your leggings are still fitting well after three washes.", "safety"),
        ("I won't need a coat where I'm going!", "distress"),
        ("I know where your shop is. I'll pop in on Saturday to collect.", "threat_harm"),
        ("I waited outside your house for 20 minutes for the click and collect.", "threat_harm"),
        ("I told you what would happen if you used the cheap courier, and it did.", "threat_harm"),
        ("I'll get my money back one way or another.", "threat_harm"),
        ("This one looks just like your website photo, lovely!", "impersonation"),
        ("My husband was smoking outside when your courier came and he was lovely.", "safety"),
        ("Your candle is lovely but my husband started smoking again, ha", "safety"),
        ("I'll be round with my mates to collect the cake on Saturday.", "threat_harm"),
        ("I drove past your shop yesterday, next time I'll stop!", "threat_harm"),
        ("The house sale papers are with my solicitor, so please use my new address from May.", "threat_legal"),
        ("My sister works in environmental health and is in touch with lots of bakers, she recommended you!",
         "threat_legal"),
        ("Don't give anyone my number please, I hate cold calls.", "at_risk"),
        ("Your sleep spray is amazing, I could sleep and never wake up!", "distress"),
        ("It's got your logo on the box, very smart!", "impersonation"),
        ("Got a text from your number saying my parcel is out for delivery, thanks!", "impersonation"),
        ("The free sample was showing as £0.00 in my basket, is that right?", "website"),
        ("I found you on Hot UK Deals, love the candles!", "website"),
        ("The label shows the full name and address, could you hide it next time?", "data_leak"),
        ("My payment details have changed, can I update the card on my subscription?", "scam"),
    ],
)
def test_what_blind_probes_26_and_27_showed_does_not_catch_its_look_alikes(text: str, kind: str) -> None:
    assert kind not in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "My husband died last week and this morning I fell in the kitchen and I cannot get up. I have only the tablet.",
        "I fell on the stairs and can't move my leg, please help",
        "i fell over in the bathroom and cant reach the phone",
    ],
)
def test_someone_who_fell_and_cannot_get_up_is_heard_in_the_past_tense_too(text: str) -> None:
    assert "safety" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "I fell on the stairs last year so I can't reach the door quickly, please leave parcels in the porch.",
        "I fell in the garden two years ago and still can't get up the stairs without help, so please knock loudly.",
        "I fell in the garden in March and can't get up early any more, please deliver after 11.",
        "I fell in love with the kitchen tiles and can't move on from them!",
        "I fell on the floor laughing and couldn't get up for ten minutes, your card was hilarious",
    ],
)
def test_a_fall_long_ago_or_a_figure_of_speech_is_no_safety_report(text: str) -> None:
    assert "safety" not in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "My puppy ate most of the sugar-free mints from the gift box. Do they have xylitol in them?",
        "Our spaniel got into the hamper and ate most of the plum chutney - does it have raisins or onion in it?",
        "Our cat's eaten a length of the ribbon from the hamper. Vet says she may need surgery tonight.",
        "My toddler was sucking on the polishing cloth that came in the box. Is it toxic? Her lips look a bit grey.",
        "My 2 year old had a cup at 5 and now she's screaming with a racing heart and won't settle.",
        "Grandson found the bag of drops and thought they were sweets, ate loads. His levels are going up fast.",
        "Our resident, who has dementia, ate two of the soaps thinking they were sweets. The GP asks what's in them.",
    ],
)
def test_something_swallowed_by_a_child_or_a_pet_with_a_worry_is_a_safety_report(text: str) -> None:
    assert "safety" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "My son ate the whole cake in one sitting, he loved it!",
        "The dog ate the box it came in lol, the treats were safe in the cupboard.",
        "Is the calathea safe for cats? Mine chews anything green and I want to check before I order.",
        "My daughter ate three cupcakes at the party and was sick in the car, totally our fault, they were gorgeous!",
        "My son had a great time at the hospital open day, the nurses loved your brownies.",
        "Our dog hasn't eaten the new kibble at all, is it going to be replaced?",
        "My toddler ate a whole brownie and now she's asleep, best nap ever.",
        "My kids scoffed the lot. Is it going to be back in stock before Christmas?",
        "Three years ago my dog ate a box of your biscuits (he was fine, the vet laughed at us). Ordering again!",
        "Our beagle got into the box and ate six biscuits. Rang the vet just to be safe and they laughed. No action "
        "needed, just thought you'd enjoy the story.",
    ],
)
def test_a_child_or_pet_who_ate_it_happily_or_long_ago_is_no_safety_report(text: str) -> None:
    assert "safety" not in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "Your shop door is wide open and the lights are off - it's 11.30pm. Could be a break-in?",
        "Your alarm has been going for an hour and the side door is wide open.",
        "There's water pouring out from under your shop door - looks like a burst pipe.",
        "Two blokes are trying to get the shutter up with a crowbar.",
        "your unit's front window is smashed, glass all over the pavement",
    ],
)
def test_something_happening_at_the_premises_now_is_heard(text: str) -> None:
    assert any(c.kind == "safety" and re.fullmatch(PREMISES_NOW, c.match) for c in find_cues(text))


@pytest.mark.parametrize(
    "text",
    [
        "Is the shop open on bank holiday Monday?",
        "Your shop door was wide open on Saturday so I popped in, lovely place!",
        "I love your shop window, the Christmas display is gorgeous.",
        "We've had a few reports of shed break-ins along Long Lane this month, please lock up.",
        "Your alarm clock arrived and it is going off perfectly every morning, thank you!",
        "Is your workshop open to visitors? The door was open when I passed but I didn't like to go in.",
        "My shop door is broken so please leave the parcel next door.",
    ],
)
def test_the_premises_look_alikes_are_not(text: str) -> None:
    assert not any(c.kind == "safety" for c in find_cues(text))


@pytest.mark.parametrize(
    "text",
    [
        "I want to get Mum's flowers sorted while I still can. I've decided I'm not going to be around after this "
        "weekend. Please don't tell her I said that.",
        "the bracelet was a goodbye present for my mum. i've decided i'm not going to be around much longer",
        "Please just cancel everything and don't send the next one. I won't need anything after this week.",
        "I bought the memorial pendant for my son's ashes. I don't think I can do this anymore without him.",
    ],
)
def test_a_decision_not_to_be_around_is_heard_as_a_crisis(text: str) -> None:
    assert "distress" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "I've decided I'm not going to be around for the delivery, so please leave it with my neighbour at number 4.",
        "I won't need anything after this week as we're moving to Spain, thanks for everything!",
        "I won't need anything after this week's order, the freezer is full!",
        "I'm not going to be around much longer in this job, so please send future orders to my home address.",
        "I can't do this recipe without her, Mum always made the icing!",
    ],
)
def test_not_being_around_for_a_reason_is_no_crisis(text: str) -> None:
    assert "distress" not in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "The front wheel came out of the fork on my son's bike - you delivered it like that. He's got six stitches.",
        "My father fell off the tricycle you delivered when the seat suddenly dropped. He hit his head.",
        "The edge of the tea tin lid is razor sharp. My dad sliced his thumb open to the bone, he needs stitches.",
        "The lead snapped at the clip and my dog ran straight under a car. He's in surgery now.",
    ],
)
def test_stitches_a_head_injury_or_surgery_after_the_goods_failed_are_a_safety_report(text: str) -> None:
    assert "safety" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "My son had stitches last week so we couldn't collect your cake, sorry! Can we come Saturday?",
        "Your banana bread is so good I could hit my head against the wall for not ordering two.",
        "I'm having surgery next week so please hold off sending your lovely cakes until the 20th.",
        "I might need surgery on my knee, so could the courier bring your parcel to the side door?",
        "My sister needs stitches removed next week so we'll collect your cake on Friday instead.",
    ],
)
def test_stitches_or_surgery_that_have_nothing_to_do_with_the_goods_are_no_safety_report(text: str) -> None:
    assert "safety" not in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "I've just had an email saying my password was changed - I didn't change it.",
        "Your payout bank account was changed at 02:14 today from a new device. If you did not make this change, "
        "secure your account immediately.",
        "This pattern is consistent with a card-testing attack. Consider pausing payments.",
        "We have accessed your customer database including names and addresses. Pay 0.5 BTC within 48 hours.",
    ],
)
def test_an_account_taken_over_or_a_stolen_database_is_heard_as_fraud(text: str) -> None:
    assert "scam" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "I changed my password yesterday and now I can't log in, can you reset it?",
        "My email address has changed, please use this one from now on.",
        "Please update my bank details for the refund, they changed when I switched banks.",
        "Could you test my card details again? It was declined at the checkout.",
    ],
)
def test_a_password_or_address_the_customer_changed_is_no_fraud(text: str) -> None:
    assert "scam" not in kinds(text)


@pytest.mark.parametrize(
    ("text", "heard"),
    [
        ("Someone should burn that place down with you lot inside it.", True),
        ("Your dog is lovely. Be a shame if he got out of the garden.", True),
        ("Someone should burn these candles in every house, they're gorgeous.", False),
        ("Shame if they disappeared from the shop, they're the best thing you make!", False),
        ("Shame if she went missing from the menu, the lemon one is my favourite.", False),
    ],
)
def test_a_wish_that_the_shop_burns_or_the_dog_gets_out_is_a_threat(text: str, heard: bool) -> None:
    assert ("threat_harm" in kinds(text)) is heard


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Refund me or I'll burn your poxy shed down with you in it.", "threat_harm"),
        ("Tell that driver of yours if he comes down my road again I'll put him in hospital.", "threat_harm"),
        ("Your delivery girl had better not come down my lane again. If she does she won't be driving back up it.",
         "threat_harm"),
        ("you'll be sorry. tonight.", "threat_harm"),
        ("Me and my brothers will be round on Saturday to discuss this face to face. Don't bother calling the police.",
         "threat_harm"),
        ("Loved the cake. Going to have a nice long sleep now. Took all my tablets at once, saves time 🙂 bye",
         "distress"),
        ("I'm not okay. I've been sitting here with a load of pills listening to the album.", "distress"),
        ("If you don't refund me I'll have nothing left. Nothing. I'm done. I'll end it and it'll be on you.",
         "distress"),
        ("My wife died in March. I don't think I can do this much longer.", "distress"),
        ("thanks for the cake. it's the last thing I wanted to sort out before I go. you've always been kind to me x",
         "distress"),
        ("sorry to bother you. just wanted to say thanks for everything before I go.", "distress"),
        ("Your 'my orders' page is showing me other people's names, addresses and phone numbers.", "data_leak"),
        ("The invoice in my parcel has another customer's full card number, expiry date and security code on it.",
         "data_leak"),
        ("There's a fake copy of your website taking payments right now.", "impersonation"),
        ("Heads up - your code SPRING10 is giving 100% off everything, not 10%.", "website"),
        ("There was a used syringe in the bag of bark mulch. Needle and everything.", "safety"),
        ("Someone's posted that your driver hit a child outside the primary school this morning.", "safety"),
        ("All eight of us at my mum's birthday lunch were ill the same night, and we'd all had the lemon cake.",
         "safety"),
        ("Had a slice of the lemon cake and my throat feels a bit scratchy and tight.", "safety"),
        ("When I plug the deck in the socket gets warm, there's a brown mark round it now.", "safety"),
        ("She tripped over the cable you ran across her doorway and was taken in with a suspected broken hip.",
         "safety"),
        ("I am a consultant in health protection at UKHSA South West. We are investigating a case.", "threat_legal"),
    ],
)
def test_what_blind_probes_31_to_33_showed_is_heard(text: str, kind: str) -> None:
    assert kind in kinds(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The cake came with you in mind, it said on the card! Lovely.", "threat_harm"),
        ("I'm going to put him in the hospital raffle, the hamper is gorgeous.", "threat_harm"),
        ("If she does the school run she won't be home till 4, so please leave it in the porch.", "threat_harm"),
        ("You'll be sorry you ever stocked these, they'll sell out soon! haha", "threat_harm"),
        ("Me and my mates will be round on Saturday to collect the cake, we'll bring the car.", "threat_harm"),
        ("I've taken all my tablets for today and I'm feeling much better, thanks for the lovely tea.", "distress"),
        ("I'll end it there, thanks again for the beautiful order!", "distress"),
        ("Just wanted to say thanks for everything before I go on holiday, see you in June!", "distress"),
        ("The last thing I wanted to sort out before I go away is Mum's birthday cake, thank you!", "distress"),
        ("I don't think I can do this much longer without a proper mixer, the dough is so stiff!", "distress"),
        ("Do you send other people's names on the gift note or just mine?", "data_leak"),
        ("Is the lemon one a copy of your website recipe? It's gorgeous.", "impersonation"),
        ("The discount code gave me 10% off, thank you!", "website"),
        ("Our driver hit a rough patch and the parcel got squashed a bit, no harm done.", "safety"),
        ("All of us were sick of waiting for the snow to stop, so the delivery was a lovely surprise.", "safety"),
        ("The socket set you sold my husband is brilliant.", "safety"),
    ],
)
def test_what_blind_probes_31_to_33_showed_does_not_catch_its_look_alikes(text: str, kind: str) -> None:
    assert kind not in kinds(text)


def test_a_throat_tight_from_shouting_is_no_safety_report() -> None:
    assert "safety" not in kinds("My throat was tight from shouting at the football, the honey tea helped a lot!")
    assert "safety" in kinds("My throat's gone tight since I opened the wildflower seed mix.")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Thank you for the candle. I'm going to light it tonight and take all my tablets. Sorry to bother you.",
         "distress"),
        ("Please give whatever credit is left on my account to the food bank. I've sorted all my affairs now.",
         "distress"),
        ("If I see that driver of yours near my daughter again I'll break his legs.", "threat_harm"),
        ("I know where your farm is.", "threat_harm"),
        ("The extension lead under the counter was getting really hot and smelled a bit like melting plastic.",
         "safety"),
    ],
)
def test_what_blind_probes_34_to_36_showed_is_heard(text: str, kind: str) -> None:
    assert kind in kinds(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I'm going to take all my tablets with me on holiday, so could you post it before the 3rd?", "distress"),
        ("I've sorted all my affairs before the move, so please use the new address from now on.", "distress"),
        ("Break a leg at the market tomorrow! The stall looks amazing.", "threat_harm"),
        ("I know where your farm is - drove past on Sunday, lovely spot! Might pop in next time.", "threat_harm"),
        ("It doesn't smell like burning plastic like the cheap ones do, lovely clean scent.", "safety"),
        ("The new candle smells a bit like burnt sugar, is that normal?", "safety"),
    ],
)
def test_what_blind_probes_34_to_36_showed_does_not_catch_its_look_alikes(text: str, kind: str) -> None:
    assert kind not in kinds(text)


@pytest.mark.parametrize(
    ("text", "late"),
    [
        ("Please update the delivery address for order #4471. It hasn't shipped yet according to my account.", False),
        ("Can I change the scent on order 5230? It hasn't been dispatched yet I don't think. Thanks!", False),
        ("It still hasn't shipped. Three weeks now.", True),
        ("My order hasn't been dispatched yet and it's been ten days.", True),
    ],
)
def test_not_shipped_yet_as_the_reason_a_change_can_be_made_is_not_a_late_order(text: str, late: bool) -> None:
    assert ("late" in kinds(text)) is late


@pytest.mark.parametrize(
    ("text", "late"),
    [
        ("Why hasn't it shipped yet? I ordered two weeks ago.", True),
        ("Hasn't my parcel been sent yet? It's been ten days.", True),
        ("Haven't they arrived at your end yet? I posted the return last month.", True),
        ("If it hasn't shipped yet could you add a gift card?", False),
        ("Hasn't it been a lovely autumn! The candles are perfect for it.", False),
    ],
)
def test_a_late_order_asked_the_other_way_round_is_a_late_order(text: str, late: bool) -> None:
    assert ("late" in kinds(text)) is late


@pytest.mark.parametrize(
    ("text", "sarcastic"),
    [
        ("Great service. Really. The gift box arrived a week after her birthday, dented, and missing the cups.", True),
        ("Great job. I paid for next day delivery and it turned up three days late, squashed.", True),
        ("Brilliant service, it arrived two days late but was worth the wait!", False),
        ("Great service - ordered Monday and it turned up two days later, brilliant!", False),
    ],
)
def test_praise_beside_a_day_that_had_passed_is_sarcasm(text: str, sarcastic: bool) -> None:
    assert ("sarcasm" in kinds(text)) is sarcastic


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("If I change the number at the end of the link I can see other people's.", "data_leak"),
        ("Your newsletter came through with everyone's email addresses visible in the To: line.", "data_leak"),
        ("Since using the new balm last night my tongue feels tingly and my lips are a bit puffy.", "safety"),
        ("I took too many of my tablets last night and I'm not really ok. sorry", "distress"),
        ("I bought the blue bowl to be the last nice thing I own. I won't need it for long.", "distress"),
        ("Tell your driver if he parks on my drive again I'll slash his tyres, and him too.", "threat_harm"),
        ("Your unit would go up nicely with all those scooter batteries in it.", "threat_harm"),
        ("Tell Phil I haven't forgotten. I know his routine. Mondays at the tip.", "threat_harm"),
        ("MHRA Class 1 recall: bed rail model BR-200 is being withdrawn.", "threat_legal"),
    ],
)
def test_what_blind_probes_40_to_42_showed_is_heard(text: str, kind: str) -> None:
    assert kind in kinds(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Can I see other people's reviews before I buy?", "data_leak"),
        ("The lip balm feels a bit tingly in a nice minty way, love it.", "safety"),
        ("I won't need it for long, just the weekend, can I hire it?", "distress"),
        ("I know your routine is busy so no rush at all!", "threat_harm"),
        ("The candles won't last long in this house, we love them.", "distress"),
    ],
)
def test_what_blind_probes_40_to_42_showed_does_not_catch_its_look_alikes(text: str, kind: str) -> None:
    assert kind not in kinds(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Is it normal for the machine's cable to get really hot and the plug to go brown? It's doing it now.",
         "safety"),
        ("When I plugged it in it sparked, the socket's gone black and my son got a shock from the casing.", "safety"),
        ("I switched it on and sparks flew out of the back of your lamp.", "safety"),
        ("My husband got an electric shock off the grinder you sent.", "safety"),
    ],
)
def test_what_blind_probes_43_to_45_showed_of_electrical_hazards_is_heard(text: str, kind: str) -> None:
    assert kind in kinds(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I got a shock when I saw the bill, but the machine is lovely!", "safety"),
        ("The brown plug adapter matches my kitchen perfectly.", "safety"),
        ("Your new lamp sparked joy in our house, thank you!", "safety"),
        ("What a shock to see the parcel so soon - thank you!", "safety"),
        ("The screen went black when I plugged it in, can you help me set it up?", "safety"),
    ],
)
def test_what_blind_probes_43_to_45_showed_of_electrical_hazards_does_not_catch_its_look_alikes(
        text: str, kind: str) -> None:
    assert kind not in kinds(text)


@pytest.mark.parametrize(
    ("text", "website"),
    [
        ("Your site is charging me every few minutes - 12 charges of £35 so far and it won't stop. Please help!", True),
        ("Three charges of £12 on my statement for one order?", True),
        ("Two charges of £5 for postage, is that right? One for each parcel I guess.", False),
        ("I was charged every month for the subscription as expected, thanks.", False),
        ("I'm charged every 3 months for the tea club, can I make it monthly?", False),
    ],
)
def test_charges_that_keep_coming_are_a_problem_with_the_shop_itself(text: str, website: bool) -> None:
    assert ("website" in kinds(text)) is website


@pytest.mark.parametrize(
    ("text", "threat"),
    [
        ("There's a package in your studio that'll go off at 3pm. Maybe refund people next time.", True),
        ("I've left a device in your warehouse. It will go off at noon unless you pay.", True),
        ("There's a bomb in your shop and it will go off at 5.", True),
        ("I'll blow up your shop.", True),
        ("The bath bomb will explode with colour in the tub, my kids love it!", False),
        ("Your chocolate cake was the bomb, everyone loved it.", False),
        ("The parcel will go off to you tomorrow, sorry for the wait.", False),
        ("Something tells me this will go off well at the party!", False),
        ("The parcel at the shop will go off to the sorting office on Monday.", False),
        ("My friends will blow up your shop with orders once they see this!", False),
        ("We're going to blow up your shop's Instagram with photos!", False),
    ],
)
def test_a_bomb_threat_is_a_threat_and_its_look_alikes_are_not(text: str, threat: bool) -> None:
    assert ("threat_harm" in kinds(text)) is threat


@pytest.mark.parametrize(
    ("text", "kind", "heard"),
    [
        ("Not sure if you know but your website is redirecting to some dodgy casino page right now.", "website", True),
        ("The link in your email redirects me to the login page, is that right?", "website", False),
        ("Hope your insurance covers fire.", "threat_harm", True),
        ("Hope your home insurance covers floods, the rain here is biblical! Stay dry x", "threat_harm", False),
        ("So sorry about the fire at the unit, hope your insurance covers fire damage from the kitchen.", "threat_harm",
         False),
    ],
)
def test_what_blind_probes_49_to_51_showed_is_heard_and_its_look_alikes_are_not(text: str, kind: str,
                                                                                 heard: bool) -> None:
    assert (kind in kinds(text)) is heard


@pytest.mark.parametrize(
    ("text", "kind", "heard"),
    [
        ("Ben told us the older man who helps out took him into the storeroom on his own. We've called the police.",
         "threat_legal", True),
        ("The police have been informed and they will want to speak to you.", "threat_legal", True),
        ("I have contacted the police about the parcel that was taken from my doorstep.", "threat_legal", True),
        ("Should I call the police? Someone's been hanging round your van.", "threat_legal", False),
        ("I nearly called the police when the parcel vanished, then found it in the bin! Haha", "threat_legal", False),
        ("The police called round about the raffle prize, lovely chap, he bought two tickets.", "threat_legal", False),
        ("I come saturday and I will teach this woman lesson she never forget.", "threat_harm", True),
        ("I know what time you lock up.", "threat_harm", True),
        ("I know what time you close on Sundays so I'll come at 4 to collect.", "threat_harm", False),
        ("Could you teach my daughter a lesson on calligraphy at the workshop?", "threat_harm", False),
        ("Filed a dispute with PayPal. Maybe that'll get your attention.", "threat_chargeback", True),
        ("I've lodged a bank dispute for the £89.", "threat_chargeback", True),
        ("I've filed a claim with Royal Mail for the lost parcel, no need to do anything.", "threat_chargeback", False),
        ("No need to file a dispute, the refund came through. Thanks!", "threat_chargeback", False),
    ],
)
def test_what_blind_probe_60_showed_is_heard_and_its_look_alikes_are_not(text: str, kind: str, heard: bool) -> None:
    assert (kind in kinds(text)) is heard
