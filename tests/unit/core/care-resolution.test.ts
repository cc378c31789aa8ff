import { describe, expect, it } from 'vitest';
import {
  analyzeConversation,
  brandCues,
  CARE_CUES,
  customerCues,
  RESOLUTION_RULES,
  sentimentFlip,
  summarizeResolutions,
  type CareCue,
  type ConversationOutcome,
  type SentimentFlip,
  type Turn
} from '../../../server/core/care/resolution';

const MIN = 60_000;
const T0 = Date.UTC(2024, 4, 1, 9, 0);

/** Cues as "kind: phrase" for compact tables. */
function show(cues: readonly CareCue[]): string[] {
  return cues.map((c) => `${c.kind}: ${c.phrase}`);
}

function customer(minute: number, text: string, sentiment = 0): Turn {
  return { role: 'customer', at: T0 + minute * MIN, text, sentiment };
}

function brand(minute: number, text: string): Turn {
  return { role: 'brand', at: T0 + minute * MIN, text, sentiment: 0 };
}

describe('brandCues', () => {
  it.each<[string, string[]]>([
    ['Please DM us your order number and we will take a look', ['to_private: dm us']],
    [
      'Sorry about that! Could you send us a DM with your account email?',
      ['to_private: send us a dm']
    ],
    ['Follow and DM us the tracking number, please.', ['to_private: follow and dm']],
    [
      'We would like to look into this. Please send a Direct Message.',
      ['to_private: direct message']
    ],
    ['Can you PM us your postcode?', ['to_private: pm us']],
    ['Feel free to reach out via DM so we can help', ['to_private: via dm']],
    [
      'We have sent you a DM, please check your DMs',
      ['to_private: sent you a dm', 'to_private: check your dms']
    ],
    ['Please e-mail us at help@example.com', ['to_private: e-mail us']],
    ['Give us a call on 0800 000 000 and we will sort it', ['to_private: give us a call']],
    ["We've replied to your DM", ['to_private: dm']],
    ['Glad we could help! Enjoy the new phone', ['resolved: glad we could help']],
    ['Our engineers confirm this is now fixed', ['resolved: is now fixed']],
    // Not a move: a help page is self-service, an offer for the future is no request.
    ['Check out our help page: https://example.com/help', []],
    ["Don't hesitate to DM us if you need anything else!", []],
    ['No need to DM us, the outage is over', []],
    // Not a claim: a question, an apology, a negation, another DM.
    ['Is the app working now?', []],
    ['Sorry to hear that. Which store did you visit?', []],
    ['Sorry this has not been fixed yet, we are on it', []],
    ['The DMV issues licences, not us', []]
  ])('%j → %j', (text, cues) => {
    expect(show(brandCues(text))).toEqual(cues);
  });
});

describe('customerCues', () => {
  it.each<[string, string[]]>([
    // Resolution and thanks.
    ['Thanks, sorted!', ['thanks: thanks', 'resolved: sorted']],
    ['That fixed it, thank you so much', ['resolved: that fixed it', 'thanks: thank you so much']],
    ['Works now, cheers', ['resolved: works now', 'thanks: cheers']],
    [
      'Thanks for delivering my sofa!',
      ['resolved: thanks for delivering', 'thanks: thanks for delivering']
    ],
    ['Finally got my refund', ['resolved: got my refund']],
    [
      'The parcel arrived today, all good now',
      ['resolved: parcel arrived', 'resolved: all good now']
    ],
    ['Can’t thank you enough!', ["thanks: can't thank you enough"]],
    // Private channel: a handoff, and a reference back to it.
    ['just DMed you', ['to_private: just dmed']],
    ['Thanks for the DM help', ['thanks: thanks', 'back_to_public: the dm']],
    [
      'thanks for sorting it in DMs, great service',
      [
        'resolved: thanks for sorting',
        'thanks: thanks for sorting',
        'back_to_public: in dms',
        'thanks: great service'
      ]
    ],
    // Unresolved.
    ['still not fixed', ['unresolved: still not fixed']],
    ['Still waiting for the engineer', ['unresolved: still waiting']],
    ['No reply to my DM from yesterday', ['unresolved: no reply to my dm']],
    ['It is no longer working', ['unresolved: no longer working']],
    ['It arrived damaged', ['resolved: it arrived', 'unresolved: damaged']],
    // Negation turns a resolution or thanks into unresolved.
    ['not sorted', ['unresolved: not sorted']],
    ['Still not working after the reset', ['unresolved: still not working']],
    ['It has not been resolved', ['unresolved: not been resolved']],
    ['Thanks, but still not sorted', ['thanks: thanks', 'unresolved: still not sorted']],
    ['I don’t think it’s sorted', ["unresolved: don't think it's sorted"]],
    ['That was not very helpful', ['unresolved: not very helpful']],
    ['Not yet.', ['unresolved: not yet']],
    ['No, it is still broken', ['unresolved: still broken']],
    ["Why isn't it fixed yet?", ["unresolved: isn't it fixed"]],
    ['Cheers for nothing', ['unresolved: cheers for nothing']],
    ['Still no.', ['unresolved: still no']],
    ["I haven't DMed you yet", []],
    ['Thank god it works now', ['resolved: works now']],
    ['No worries, thanks!', ['thanks: thanks']],
    ['The screen is not broken, just slow', []],
    // No thanks, no resolution.
    ['no thanks', []],
    ['Thanks in advance!', []],
    ['Thanks for getting back to me', []],
    ['Is it fixed yet?', []],
    ['Will let you know when it’s fixed', []],
    ['Downloading the update now', []],
    ['', []]
  ])('%j → %j', (text, cues) => {
    expect(show(customerCues(text))).toEqual(cues);
  });

  it('is case-insensitive and ignores @handles and URLs', () => {
    expect(show(customerCues('@acme_dm THANK YOU https://x.example/dm-us'))).toEqual([
      'thanks: thank you'
    ]);
  });

  it('exports its phrase lists and rules', () => {
    expect(CARE_CUES.customer.thanks).toContain('thank you so much');
    expect(RESOLUTION_RULES.length).toBeGreaterThan(5);
  });
});

describe('sentimentFlip', () => {
  it.each<[number | null, number | null, SentimentFlip | null]>([
    [-0.5, 0.5, 'negative_to_positive'],
    [-0.5, 0, 'negative_to_neutral'],
    [-0.05, 0.2, 'negative_to_positive'], // both thresholds are inclusive
    [-0.5, -0.3, 'improved'],
    [-0.5, -0.45, 'unchanged'],
    [0, 0.1, 'improved'], // exactly FLIP_MIN_DELTA
    [0.1, 0.2, 'improved'], // neutral → positive
    [0.5, 0.45, 'unchanged'],
    [0, -0.2, 'worsened'],
    [0.6, 0.3, 'worsened'],
    [null, 0.3, null],
    [-0.3, null, null]
  ])('%j → %j gives %j', (before, after, flip) => {
    expect(sentimentFlip(before, after)).toBe(flip);
  });
});

describe('analyzeConversation', () => {
  it('resolves at first contact: one reply, then the customer thanks', () => {
    const o = analyzeConversation([
      customer(0, '@acme my router keeps dropping the connection', -0.6),
      brand(5, 'Sorry about that! Restarting it from the app clears this.'),
      customer(12, 'That fixed it, thanks!', 0.6)
    ]);
    expect(o).toEqual<ConversationOutcome>({
      brandReplies: 1,
      firstResponseAt: T0 + 5 * MIN,
      movedToPrivate: false,
      movedAt: null,
      backToPublic: false,
      resolved: true,
      resolvedAt: T0 + 12 * MIN,
      resolvedBy: { kind: 'resolved', phrase: 'that fixed it' },
      firstContactResolution: true,
      sentimentBefore: -0.6,
      sentimentAfter: 0.6,
      flip: 'negative_to_positive',
      advocacy: true,
      cues: [
        { kind: 'resolved', phrase: 'that fixed it' },
        { kind: 'thanks', phrase: 'thanks' }
      ]
    });
  });

  it('follows a move to private and back', () => {
    const o = analyzeConversation([
      customer(0, '@acme my order never arrived', -0.5),
      brand(10, 'So sorry! Please DM us your order number.'),
      customer(15, 'just sent a DM', 0),
      customer(90, 'thanks for sorting it in DMs, great service', 0.8)
    ]);
    expect(o.movedToPrivate).toBe(true);
    expect(o.movedAt).toBe(T0 + 10 * MIN);
    expect(o.backToPublic).toBe(true);
    expect(o.resolved).toBe(true);
    expect(o.resolvedAt).toBe(T0 + 90 * MIN);
    expect(o.resolvedBy).toEqual({ kind: 'resolved', phrase: 'thanks for sorting' });
    expect(o.firstContactResolution).toBe(false);
    expect(o.sentimentBefore).toBe(-0.5);
    expect(o.sentimentAfter).toBeCloseTo(0.4, 10);
    expect(o.flip).toBe('negative_to_positive');
    expect(o.advocacy).toBe(true);
    expect(show(o.cues)).toEqual([
      'unresolved: never arrived',
      'to_private: dm us',
      'to_private: sent a dm',
      'resolved: thanks for sorting',
      'thanks: thanks for sorting',
      'back_to_public: in dms',
      'thanks: great service'
    ]);
  });

  it('stays unresolved when the DM gets no answer, and the complaint is public again', () => {
    const o = analyzeConversation([
      customer(0, 'the app crashes on login', -0.4),
      brand(10, 'Please DM us and we will check your account'),
      customer(12, 'DMed you', 0),
      customer(300, 'Still no reply to my DM, useless', -0.7)
    ]);
    expect(o.movedToPrivate).toBe(true);
    expect(o.backToPublic).toBe(true);
    expect(o.resolved).toBe(false);
    expect(o.resolvedBy).toBeNull();
    expect(o.firstContactResolution).toBe(false);
    expect(o.sentimentAfter).toBeCloseTo(-0.35, 10);
    expect(o.flip).toBe('unchanged');
    expect(o.advocacy).toBe(false);
  });

  it('treats "ok thanks" after a DM request as an acknowledgement', () => {
    const o = analyzeConversation([
      customer(0, 'charged twice this month', -0.5),
      brand(5, 'Can you DM us the last four digits of the card?'),
      customer(6, 'ok thanks', 0.3)
    ]);
    expect(o.movedToPrivate).toBe(true);
    expect(o.backToPublic).toBe(false);
    expect(o.resolved).toBe(false);
    expect(o.advocacy).toBe(false);
    expect(o.flip).toBe('negative_to_positive');
  });

  it('counts a customer going private after the first reply as a move', () => {
    const o = analyzeConversation([
      customer(0, 'my parcel is lost', -0.4),
      brand(5, 'Sorry to hear that, we are looking into it'),
      customer(7, 'Sent you a DM with the tracking details, thanks', 0)
    ]);
    expect(o.movedToPrivate).toBe(true);
    expect(o.movedAt).toBe(T0 + 7 * MIN);
    expect(o.resolved).toBe(false);
  });

  describe('brand claims', () => {
    const opening = [
      customer(0, 'where is my refund?', -0.5),
      brand(5, "We've issued a refund, it shows within 3 days.")
    ];

    it('resolve when the customer does not complain', () => {
      const o = analyzeConversation(opening);
      expect(o.resolved).toBe(true);
      expect(o.resolvedAt).toBe(T0 + 5 * MIN);
      expect(o.resolvedBy).toEqual({ kind: 'resolved', phrase: "we've issued a refund" });
      expect(o.firstContactResolution).toBe(true);
      expect(o.advocacy).toBe(false);
      expect(o.flip).toBeNull();
    });

    it('give way to the customer confirming', () => {
      const o = analyzeConversation([...opening, customer(60, 'Thank you!', 0.5)]);
      expect(o.resolvedAt).toBe(T0 + 60 * MIN);
      expect(o.resolvedBy).toEqual({ kind: 'thanks', phrase: 'thank you' });
      expect(o.firstContactResolution).toBe(true);
      expect(o.advocacy).toBe(true);
    });

    it.each<[string, number]>([
      ['still no refund on my card', 0],
      ['hmm, where is it then', -0.3]
    ])('are reopened by %j (sentiment %d)', (text, sentiment) => {
      const o = analyzeConversation([...opening, customer(60, text, sentiment)]);
      expect(o.resolved).toBe(false);
      expect(o.resolvedAt).toBeNull();
      expect(o.firstContactResolution).toBe(false);
    });

    it('need a customer first', () => {
      const o = analyzeConversation([brand(0, 'Glad we could help everyone today!')]);
      expect(o.resolved).toBe(false);
      expect(o.brandReplies).toBe(0);
    });
  });

  it('reopens, then counts the last resolution, with advocacy only after it', () => {
    const o = analyzeConversation([
      customer(0, 'no signal at home', -0.5),
      brand(5, 'Please reset the network settings.'),
      customer(10, 'works now, thanks', 0.4),
      customer(60, 'broken again', -0.6),
      brand(65, 'Sorry! A new SIM is on its way.'),
      customer(2000, 'that did the trick', 0.3)
    ]);
    expect(o.brandReplies).toBe(2);
    expect(o.resolved).toBe(true);
    expect(o.resolvedAt).toBe(T0 + 2000 * MIN);
    expect(o.resolvedBy).toEqual({ kind: 'resolved', phrase: 'did the trick' });
    expect(o.firstContactResolution).toBe(false);
    expect(o.advocacy).toBe(false);
    expect(o.sentimentAfter).toBeCloseTo(0.0333, 3);
    expect(o.flip).toBe('negative_to_neutral');
  });

  it('counts a thank-you after the resolution as advocacy, not one before it', () => {
    const turns = [
      customer(0, 'Thanks in advance, my screen flickers', -0.2),
      brand(5, 'Which model do you have?'),
      customer(6, 'An X200, thank you', 0.2),
      brand(8, 'Updating the driver from the settings page fixes this.'),
      customer(30, 'all good now', 0.3)
    ];
    const before = analyzeConversation(turns);
    expect(before.resolved).toBe(true);
    expect(before.resolvedAt).toBe(T0 + 30 * MIN);
    expect(before.advocacy).toBe(false);
    const after = analyzeConversation([...turns, customer(40, 'Great service, cheers', 0.7)]);
    expect(after.advocacy).toBe(true);
    expect(after.resolvedAt).toBe(T0 + 30 * MIN);
  });

  it('does not resolve on a thank-you in the opening mention', () => {
    const o = analyzeConversation([
      customer(0, 'Thank you so much for the fast delivery!', 0.8),
      brand(5, 'Enjoy your order.')
    ]);
    expect(o.resolved).toBe(false);
    expect(o.sentimentBefore).toBe(0.8);
    expect(o.sentimentAfter).toBeNull();
    expect(o.flip).toBeNull();
  });

  it('handles empty, brand-only, customer-only and unsorted input', () => {
    const empty = analyzeConversation([]);
    expect(empty).toEqual<ConversationOutcome>({
      brandReplies: 0,
      firstResponseAt: null,
      movedToPrivate: false,
      movedAt: null,
      backToPublic: false,
      resolved: false,
      resolvedAt: null,
      resolvedBy: null,
      firstContactResolution: false,
      sentimentBefore: null,
      sentimentAfter: null,
      flip: null,
      advocacy: false,
      cues: []
    });

    const brandOnly = analyzeConversation([brand(0, 'New store opens Friday'), brand(1, 'DM us')]);
    expect(brandOnly.brandReplies).toBe(0);
    expect(brandOnly.firstResponseAt).toBeNull();
    expect(brandOnly.movedToPrivate).toBe(true);
    expect(brandOnly.sentimentBefore).toBeNull();

    const customerOnly = analyzeConversation([
      customer(0, 'still waiting', -0.4),
      customer(1, 'hello?', Number.NaN),
      customer(2, 'thanks for nothing', -3)
    ]);
    expect(customerOnly.resolved).toBe(false);
    expect(customerOnly.sentimentBefore).toBeCloseTo(-0.7, 10);
    expect(customerOnly.sentimentAfter).toBeNull();

    const unsorted = analyzeConversation([
      customer(12, 'That fixed it', 0.5),
      brand(5, 'Try turning it off and on.'),
      customer(0, 'frozen screen', -0.5)
    ]);
    expect(unsorted.firstContactResolution).toBe(true);
    expect(unsorted.resolvedAt).toBe(T0 + 12 * MIN);
  });

  it('does not count a brand post before the customer spoke as a reply', () => {
    const o = analyzeConversation([
      brand(0, 'Our new app is live'),
      customer(5, 'great, thanks!', 0.6)
    ]);
    expect(o.brandReplies).toBe(0);
    expect(o.resolved).toBe(false);
  });
});

describe('summarizeResolutions', () => {
  it('counts and rates over answered conversations', () => {
    const outcomes = [
      analyzeConversation([
        customer(0, 'router down', -0.6),
        brand(5, 'A restart fixes this.'),
        customer(9, 'That fixed it, thanks!', 0.6)
      ]),
      analyzeConversation([
        customer(0, 'order never arrived', -0.5),
        brand(10, 'Please DM us your order number.'),
        customer(15, 'just sent a DM', 0),
        customer(90, 'thanks for sorting it in DMs, great service', 0.8)
      ]),
      analyzeConversation([
        customer(0, 'app crashes', -0.4),
        brand(10, 'Please DM us'),
        customer(12, 'DMed you', 0),
        customer(300, 'Still no reply to my DM', -0.7)
      ]),
      analyzeConversation([customer(0, 'anyone there?', -0.1)]),
      analyzeConversation([])
    ];
    expect(summarizeResolutions(outcomes)).toEqual({
      conversations: 5,
      answered: 3,
      resolved: 2,
      fcr: 1,
      fcrRate: 1 / 3,
      movedToPrivate: 2,
      backToPublic: 2,
      flips: {
        negative_to_positive: 2,
        negative_to_neutral: 0,
        improved: 0,
        unchanged: 1,
        worsened: 0
      },
      advocacy: 2,
      resolutionRate: 2 / 3
    });
  });

  it('gives null rates when nothing was answered', () => {
    const summary = summarizeResolutions([]);
    expect(summary.conversations).toBe(0);
    expect(summary.fcrRate).toBeNull();
    expect(summary.resolutionRate).toBeNull();
    expect(Object.values(summary.flips)).toEqual([0, 0, 0, 0, 0]);
  });
});
