import { formatLondon, icoDeadline } from './breach-clock.ts';
import type { BreachNature, DataCategory, NoticeKind, PeopleCategory } from './breaches.tables.ts';

// The notice a processor sends the controller (UK GDPR Art. 33(2) and 33(3)): the nature of the breach,
// the categories and approximate numbers of people and records, who to contact, the likely consequences
// and the measures taken or proposed. Generated from the register, so no required part can be left out.

export interface BreachFacts {
  reference: string;
  nature: BreachNature;
  awareAt: Date;
  occurredAt: Date | null;
  description: string;
  peopleCategories: readonly PeopleCategory[];
  dataCategories: readonly DataCategory[];
  approxPeople: number;
  approxRecords: number;
  consequences: string;
  measuresTaken: string;
  measuresProposed: string | null;
  contact: string;
}

export interface NoticeSection {
  heading: string;
  text: string;
}

export interface Notice {
  subject: string;
  sections: NoticeSection[];
}

const NATURE: Record<BreachNature, string> = {
  confidentiality:
    'a confidentiality breach (data disclosed to or reached by someone who should not have it)',
  integrity: 'an integrity breach (data changed without authority or by mistake)',
  availability: 'an availability breach (data lost or out of reach)',
};

export const PEOPLE_LABELS: Record<PeopleCategory, string> = {
  pupils: 'pupils',
  former_pupils: 'former pupils',
  parents_carers: 'parents and carers',
  staff: 'staff',
  other: 'other people',
};

export const DATA_LABELS: Record<DataCategory, string> = {
  identity: 'names and identifiers',
  contact_details: 'contact details',
  attainment: 'attainment and results',
  attendance_behaviour: 'attendance and behaviour',
  characteristics: 'characteristics (year group, gender, free school meals)',
  special_educational_needs: 'special educational needs (special category)',
  health: 'health (special category)',
  ethnicity: 'ethnicity (special category)',
  looked_after_care: 'looked-after and care information',
  safeguarding: 'safeguarding information',
  staff_accounts: 'staff accounts',
  other: 'other data',
};

const list = (items: readonly string[]): string => items.join(', ');

/** The first notice to an affected school, holding every content Article 33(3) requires. */
export function initialNotice(facts: BreachFacts, schoolName: string): Notice {
  const sections: NoticeSection[] = [
    {
      heading: 'What happened',
      text: `Haven, which processes your school’s data for you, has had a personal data breach (${facts.reference}) affecting ${schoolName}. It is ${NATURE[facts.nature]}. ${facts.description}`,
    },
    {
      heading: 'When',
      text: `Haven became aware of it on ${formatLondon(facts.awareAt)}${facts.occurredAt === null ? '' : `; it happened on or from ${formatLondon(facts.occurredAt)}`}. If your school must report it to the Information Commissioner’s Office, the 72 hours run from when your school became aware; counted from Haven’s awareness they end on ${formatLondon(icoDeadline(facts.awareAt))}.`,
    },
    {
      heading: 'People and records involved',
      text: `About ${facts.approxPeople} people (${list(facts.peopleCategories.map((category) => PEOPLE_LABELS[category]))}) and about ${facts.approxRecords} records. Data involved: ${list(facts.dataCategories.map((category) => DATA_LABELS[category]))}.`,
    },
    { heading: 'Likely consequences', text: facts.consequences },
    {
      heading: 'Measures taken and proposed',
      text:
        facts.measuresProposed === null || facts.measuresProposed === ''
          ? facts.measuresTaken
          : `${facts.measuresTaken} Proposed: ${facts.measuresProposed}`,
    },
    { heading: 'Who to contact', text: facts.contact },
    {
      heading: 'What your school should do',
      text: 'As the controller, your school decides whether to report this to the ICO and whether to tell the people involved. Acknowledge this notice in Haven (Breach notices) so we know it reached you; we will send updates as we learn more.',
    },
  ];
  return { subject: `Personal data breach ${facts.reference}: notice to your school`, sections };
}

/** A later notice: a phased update, or the closure of the breach. */
export function followUpNotice(
  kind: Exclude<NoticeKind, 'notice'>,
  reference: string,
  text: string,
  contact: string,
): Notice {
  const closing = kind === 'closure';
  return {
    subject: `Personal data breach ${reference}: ${closing ? 'closed' : 'update'}`,
    sections: [
      { heading: closing ? 'Outcome' : 'Update', text },
      { heading: 'Who to contact', text: contact },
    ],
  };
}

/** The notice as e-mail paragraphs, for privacyMail. */
export function noticeParagraphs(notice: Notice, link: string): string[] {
  return [
    ...notice.sections.map((section) => `${section.heading}: ${section.text}`),
    `Read and acknowledge it in Haven: ${link}`,
  ];
}
