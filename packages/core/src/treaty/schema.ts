import { z } from 'zod';

/**
 * The treaty document (DESIGN.md "The treaty"). Rules speak of roles (requesting,
 * requested), never of a named state; facts about each state live in `lawProfiles` only.
 * The one field that can name a party in a rule, `grounds[].onlyWhereRequested`, exists to
 * record a party-specific reservation honestly, and the symmetry check flags it.
 */

const id = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lower-case identifier such as "illegal-access"');
export const partyIdSchema = z.string().regex(/^[A-Z]{2,3}$/, 'a party code of 2-3 capital letters such as "US"');
const article = z.string().min(3, 'an article reference such as "ECE art. 2(1)"');
const days = z.number().int('whole days').min(0, 'zero or more days').max(3650, 'at most 3650 days');
const months = z.number().int('whole months').min(0).max(1200);
const hours = z.number().int('whole hours').min(1, 'at least one hour').max(24 * 3650, 'at most ten years of hours');

/** The kinds of request for data (issue 17), in the order of the Budapest Convention's articles. */
export const EVIDENCE_KINDS = ['preservation', 'traffic-disclosure', 'production', 'emergency-disclosure'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
/** Every kind of request: a person (extradition, provisional arrest) or data. */
export const REQUEST_KINDS = ['extradition', 'provisional-arrest', ...EVIDENCE_KINDS] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/**
 * The periods and rules of one kind of request for data, in hours: emergency requests run in
 * hours, not days (EU Regulation 2023/1543 art. 10(4): eight hours). `provideHours` runs from
 * the grant to the data's delivery; preservation delivers nothing, so it has none.
 */
export const evidenceTermsSchema = z.strictObject({
  acknowledgeHours: hours,
  decideHours: hours,
  provideHours: hours.optional(),
  /** Whether the conduct must be an offence in both parties (Budapest art. 29(3): not for preservation). */
  dualCriminality: z.boolean(),
  article,
  /** Where the periods come from. */
  periodsArticle: article,
});
export type EvidenceTerms = z.infer<typeof evidenceTermsSchema>;

/** A 24/7 point of contact (Budapest art. 35): a service, never a person. */
export const contactPointSchema = z.strictObject({
  name: z.string().min(1).max(200),
  phone: z.string().regex(/^\+[0-9 ()-]{6,30}$/, 'an international phone number such as "+1 202 514 0000"').optional(),
  email: z.string().email().optional(),
});

/** A title in Russian beside the English one: the console and the public page show the reader's (issue 15). */
const titleRu = z.string().min(1).optional();

export const offenceCategorySchema = z.strictObject({
  id,
  title: z.string().min(1),
  titleRu,
  article,
});

/** The fixed vocabulary of tests a refusal ground can use; each reads public fields only. */
export const groundTests = [
  'final-judgment', // ne bis in idem: a final judgment on the same acts (ECE art. 9)
  'time-barred', // lapse of time under either party's law (ECE art. 10)
  'amnesty', // amnesty in the requested party (FD 2002/584 art. 3(1))
  'under-age', // below the requested party's age of criminal responsibility (FD art. 3(3))
  'political-offence', // ECE art. 3(1)
  'discrimination', // ECE art. 3(2)
  'military-offence', // ECE art. 4
  'fiscal-offence', // ECE art. 5
  'national-of-requested', // ECE art. 6
  'pending-proceedings', // ECE art. 8
  'death-penalty', // ECE art. 11: refuse unless an assurance is given
  'essential-interests', // Budapest art. 27(4)(b), 29(5)(b): sovereignty, security, ordre public (evidence requests)
] as const;
export type GroundTest = (typeof groundTests)[number];

export const groundSchema = z.strictObject({
  id,
  title: z.string().min(1),
  titleRu,
  kind: z.enum(['mandatory', 'optional']),
  article,
  test: z.enum(groundTests),
  /** The ground is available only where the requested party's law bars the act (e.g. a constitutional bar on extraditing nationals). */
  onlyWhereLawBars: z.boolean().default(false),
  /** An assurance from the requesting party that removes the ground (ECE art. 11). */
  curedByAssurance: id.optional(),
  /** A party-specific reservation. Legal to write down, but it breaks symmetry and `treaty check` fails on it. */
  onlyWhereRequested: z.array(partyIdSchema).optional(),
  /**
   * Which requests the ground applies to (issue 17): extradition and provisional arrest (the
   * default), the evidence kinds (Budapest arts. 27(4), 29(5): political offence and essential
   * interests only), or both.
   */
  scope: z.enum(['extradition', 'evidence', 'both']).optional(),
});

export const lawOffenceSchema = z.strictObject({
  maxPenaltyMonths: months,
  deathPenalty: z.boolean().default(false),
  source: z.string().min(3, 'the provision of law that sets the penalty'),
});

export const limitationStepSchema = z.strictObject({
  /** Applies to offences whose maximum penalty is at most this many months; omit for "any". */
  maxPenaltyUpToMonths: months.optional(),
  years: z.number().int().min(1).max(100),
});

export const lawProfileSchema = z.strictObject({
  extraditesNationals: z.boolean(),
  extraditesNationalsSource: z.string().min(3),
  ageOfCriminalResponsibility: z.number().int().min(7).max(21),
  ageSource: z.string().min(3),
  limitation: z.array(limitationStepSchema).min(1, 'at least one limitation period'),
  limitationSource: z.string().min(3),
  offences: z.record(id, lawOffenceSchema),
});

export const treatySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'a lower-case treaty id such as "us-ru-2021"'),
  title: z.string().min(1),
  titleRu,
  version: z.number().int().min(1),
  parties: z
    .array(
      z.strictObject({
        id: partyIdSchema,
        name: z.string().min(1),
        centralAuthority: z.string().min(1),
        /** The party's entry-signing key as a signed-note verifier key (`name+hash+base64`). */
        key: z.string().min(1).optional(),
        /**
         * The party's own witness (its gateway): a C2SP cosignature/v1 verifier key, and where
         * the exchange asks it to cosign. With `witnesses` below, every party's witness is
         * part of the quorum, so a state that joins by amendment brings its witness along.
         */
        witness: z.strictObject({ key: z.string().min(1), url: z.string().url().optional() }).optional(),
        /**
         * The party's point of contact available 24 hours a day, 7 days a week (Budapest art. 35;
         * issue 17): emergency requests reach it first. Public: a service, never a person.
         */
        contactPoint: contactPointSchema.optional(),
      }),
    )
    .min(2, 'at least two parties'),
  offences: z.array(offenceCategorySchema).min(1),
  extraditability: z.strictObject({
    dualCriminality: z.boolean(),
    minimumMaxPenaltyMonths: months,
    minimumSentenceRemainingMonths: months,
    article,
  }),
  grounds: z.array(groundSchema).min(1),
  consultation: z.array(
    z.strictObject({
      ground: id,
      days,
      article,
    }),
  ),
  reciprocity: z.strictObject({
    mirroredGrounds: z.array(id),
    /**
     * Against whom a mirrored ground opens once a party invokes it (ECE art. 26(3) is the
     * model of "every-party": a party that reserves a provision may not claim it from any
     * other party): `every-party`, any party may then cite it against the invoker;
     * `invoked-party`, only the party it was invoked against may.
     */
    mirroredScope: z.enum(['every-party', 'invoked-party']).default('every-party'),
    mirroredArticle: article,
    conditionalGrants: z.boolean(),
    conditionalArticle: article,
  }),
  extraditeOrProsecute: z.strictObject({
    grounds: z.array(id),
    reportEveryDays: days,
    article,
  }),
  deadlines: z.strictObject({
    acknowledgeDays: days,
    decideDays: days,
    extensionDays: days,
    decideAfterConsentDays: days,
    surrenderDays: days,
    provisionalArrestFileDays: days,
    provisionalArrestMaxDays: days,
    infoReplyDays: days,
    consultationReplyDays: days.optional(),
    /**
     * Whether an open request for information stops the decision clock until it is answered
     * (then the decision is due as many days later as the request stayed open). Its article
     * is `articles.pause`.
     */
    infoRequestPausesDecision: z.boolean().default(false),
    articles: z.record(z.string(), article),
  }),
  /** How often the exchange runs a clearing round over the pool of conditional grants (issue 6). */
  clearing: z
    .strictObject({
      everyHours: z.number().int('whole hours').min(1).max(24 * 365),
      article,
    })
    .optional(),
  balance: z
    .discriminatedUnion('rule', [
      z.strictObject({ rule: z.literal('equal-count') }),
      z.strictObject({ rule: z.literal('weighted') }),
      z.strictObject({ rule: z.literal('bloc-credits'), blocs: z.record(z.string(), z.array(partyIdSchema)) }),
    ])
    .default({ rule: 'equal-count' }),
  lawProfiles: z.record(partyIdSchema, lawProfileSchema),
  /**
   * How far apart the parties' clocks may be (issue 12, "time bound to witnessed time"): a
   * cosignature dated more than this in the future is not counted, and entry times are bound
   * to the witnessed times of the checkpoints around them within this margin.
   */
  timekeeping: z.strictObject({ skewSeconds: z.number().int().min(0).max(86_400), article }).optional(),
  /**
   * Requests for data rather than persons (issue 17): expedited preservation (Budapest art.
   * 29), expedited disclosure of preserved traffic data (art. 30), production of stored data
   * (art. 31) and emergency disclosure (Second Additional Protocol, CETS 224, arts. 9-10). Each
   * kind the treaty lists may be filed, with its own periods in hours; a kind it omits may not.
   * A treaty without this section takes extradition requests only.
   */
  evidence: z
    .strictObject({
      kinds: z.strictObject({
        preservation: evidenceTermsSchema.optional(),
        'traffic-disclosure': evidenceTermsSchema.optional(),
        production: evidenceTermsSchema.optional(),
        'emergency-disclosure': evidenceTermsSchema.optional(),
      }),
      /** How long granted preservation keeps the data, pending the request for disclosure (Budapest art. 29(7): at least 60 days). */
      preservationDays: z.number().int('whole days').min(60, 'at least 60 days (Budapest art. 29(7))').max(3650),
      preservationArticle: article,
      /** Where the 24/7 contact points of `parties[].contactPoint` come from (Budapest art. 35). */
      contactPointArticle: article,
    })
    .optional(),
  /**
   * Retention of a case's personal data (issue 17; CETS 224 art. 14(4): personal data kept only
   * as long as necessary, with specific retention periods). From `yearsAfterEnd` calendar years
   * after the case ended, each party may erase it (request.erase), and owes that erasure within
   * `eraseWithinDays` (erasure/retention.ts). A treaty without this section erases nothing.
   */
  retention: z
    .strictObject({
      yearsAfterEnd: z.number().int('whole years').min(0).max(100),
      eraseWithinDays: z.number().int('whole days').min(0).max(365),
      article,
    })
    .optional(),
  /**
   * How a party leaves (issue 17, "leaving the treaty"): its `treaty.denounce` takes effect
   * `noticeMonths` calendar months after the entry that notifies it (ECE art. 31: six months),
   * and `pending` is the transitional rule for what is under way at that instant. `continue`:
   * requests filed and trades proposed before it are decided and carried out under the treaty
   * (VCLT art. 70(1)(b)); nothing new is filed by, to or traded with the party that left. A
   * treaty without this section cannot be denounced (VCLT art. 56(1)); an amendment adds it.
   */
  denunciation: z
    .strictObject({
      noticeMonths: z.number().int('whole months').min(0).max(120),
      article,
      pending: z.enum(['continue']),
      pendingArticle: article,
    })
    .optional(),
  /**
   * Who cosigns the log's checkpoints (DESIGN.md "Cosignatures"): every party's own witness
   * (parties[].witness) and `neutralQuorum` of the neutral witnesses listed here. When the
   * treaty in force carries this section, the quorum comes from it and from nothing else, so
   * an amendment that adds a party adds its witness without anyone editing a policy file.
   */
  witnesses: z
    .strictObject({
      neutral: z.array(z.strictObject({ name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a witness name such as "CH"'), key: z.string().min(1), url: z.string().url().optional() })).max(32),
      neutralQuorum: z.number().int().min(0).max(32),
      article,
    })
    .optional(),
});

export type Treaty = z.infer<typeof treatySchema>;
export type Ground = z.infer<typeof groundSchema>;
export type LawProfile = z.infer<typeof lawProfileSchema>;
export type OffenceCategory = z.infer<typeof offenceCategorySchema>;

/** The skew every verifier allows when the treaty states none: five minutes. */
export const DEFAULT_SKEW_SECONDS = 300;

export function skewOf(treaty: Treaty | undefined): number {
  return treaty?.timekeeping?.skewSeconds ?? DEFAULT_SKEW_SECONDS;
}
