import type { MarketingPurpose } from './marketing.tables.ts';

// The consent wording of the operator's public forms, as data. A consent records the id of the exact
// wording the person was shown, so a wording is never edited once published: a change is a new version
// (add it, point `current` at it) and the old text stays here for as long as any consent names it.
// Unticked by default, one box per purpose: consent must be a clear, specific, affirmative act
// (https://ico.org.uk/for-organisations/direct-marketing-and-privacy-and-electronic-communications/guide-to-pecr/electronic-and-telephone-marketing/electronic-mail-marketing/).

export interface ConsentWording {
  /** Stable id recorded with each consent, e.g. `newsletter.v1`. */
  version: string;
  text: string;
  /** When this wording was first shown (ISO date). */
  since: string;
}

export interface PurposeWording {
  purpose: MarketingPurpose;
  /** A short name for lists and the unsubscribe page. */
  title: string;
  current: string;
  versions: readonly ConsentWording[];
}

export const PURPOSES: readonly MarketingPurpose[] = ['demo_booking', 'contact_reply', 'newsletter'];

export const CONSENT_WORDING: Readonly<Record<MarketingPurpose, PurposeWording>> = {
  demo_booking: {
    purpose: 'demo_booking',
    title: 'Demonstrations of Haven',
    current: 'demo_booking.v1',
    versions: [
      {
        version: 'demo_booking.v1',
        text: 'Haven may e-mail me to arrange a demonstration of Haven for my school or organisation, and about that demonstration.',
        since: '2026-12-04',
      },
    ],
  },
  contact_reply: {
    purpose: 'contact_reply',
    title: 'Replies to your enquiry',
    current: 'contact_reply.v1',
    versions: [
      {
        version: 'contact_reply.v1',
        text: 'Haven may reply to my enquiry by e-mail and follow it up.',
        since: '2026-12-04',
      },
    ],
  },
  newsletter: {
    purpose: 'newsletter',
    title: 'The Haven newsletter',
    current: 'newsletter.v1',
    versions: [
      {
        version: 'newsletter.v1',
        text: 'Send me the Haven newsletter by e-mail, about once a month. Every issue has a link to unsubscribe.',
        since: '2026-12-04',
      },
    ],
  },
};

/** The public forms that collect consent (the `source` of a consent), and the purposes each offers. */
export const FORMS = {
  contact_page: {
    title: 'Contact us',
    purposes: ['demo_booking', 'contact_reply', 'newsletter'],
  },
  newsletter_page: { title: 'Newsletter sign-up', purposes: ['newsletter'] },
} as const satisfies Record<string, { title: string; purposes: readonly MarketingPurpose[] }>;

export type MarketingForm = keyof typeof FORMS;

export function isForm(value: string): value is MarketingForm {
  return Object.hasOwn(FORMS, value);
}

export function isPurpose(value: string): value is MarketingPurpose {
  return (PURPOSES as readonly string[]).includes(value);
}

/** The wording a version id names for a purpose, or undefined when it is not one of that purpose's. */
export function wordingOf(purpose: MarketingPurpose, version: string): ConsentWording | undefined {
  return CONSENT_WORDING[purpose].versions.find((entry) => entry.version === version);
}

/** The wording a form shows now, purpose by purpose. */
export function currentWording(
  form: MarketingForm,
): Array<{ purpose: MarketingPurpose; title: string; version: string; text: string }> {
  return FORMS[form].purposes.map((purpose) => {
    const entry = CONSENT_WORDING[purpose];
    const wording = wordingOf(purpose, entry.current);
    if (wording === undefined) {
      throw new Error(`consent wording ${entry.current} of ${purpose} is missing`);
    }
    return { purpose, title: entry.title, version: wording.version, text: wording.text };
  });
}
