/*
 * English stop-words for emerging-term detection: function words (articles, pronouns,
 * prepositions, conjunctions, auxiliaries, common adverbs) plus the noise of social posts
 * (retweet markers, HTML entities, URL fragments, chat fillers).
 *
 * Written for this project. Entries are lower-case and compared with tokens after the tokenizer's
 * normalisation: curly apostrophes become straight ones and a trailing possessive "'s" is cut,
 * so "it's" arrives as "it" and "let's" as "let". Contractions are listed with and without their
 * apostrophe because posts often drop it ("dont", "cant").
 */
const WORDS = `
a about above across after again against all almost along already also although always am
among an and another any anybody anyone anything anyway anyways anywhere are around as at
away back be became because become been before behind being below beside besides between
beyond both but by came can come could did do does doing done down during each either else
enough etc even ever every everybody everyone everything everywhere few for from further get
gets getting go goes going gone got gotten had has have having he her here hers herself him
himself his how however i if in into is it its itself just least less let like made make
makes many may maybe me might mine more most much must my myself near need needs neither
never next no nobody none nor not nothing now of off often oh ok okay on once one only onto or
other others otherwise our ours ourselves out over own per perhaps please quite rather really
said same say says see seem seems seen several shall she should since so some somebody
someone something sometimes somewhat still such than that the their theirs them themselves
then there therefore these they thing things this those though through thus till to too
toward towards under until up upon us very was way we well were what whatever when whenever
where whereas wherever whether which while who whoever whole whom whose why will with within
without would yes yet you your yours yourself yourselves

aren't can't couldn't didn't doesn't don't hadn't hasn't haven't he'd he'll i'd i'll i'm i've
isn't it'll mightn't mustn't needn't shan't she'd she'll shouldn't that'll there'd they'd
they'll they're they've wasn't we'd we'll we're we've weren't what'll where'd who'd who'll
won't wouldn't you'd you'll you're you've y'all
arent cant couldnt didnt doesnt dont hadnt hasnt havent isnt ive im youre youve theyre wasnt
werent wont wouldnt shouldnt yall

rt amp via http https www com co org net html htm gt lt quot nbsp
u ur ya yeah yep yup nah pls plz thx tho thru gonna wanna gotta lol lmao omg idk imo imho btw
fyi smh tbh tbf dm dms pm hi hey hello thanks thank
`;

/** Lower-case stop-words, never reported as emerging terms. */
export const STOPWORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter(Boolean));
