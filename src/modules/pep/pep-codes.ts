// Codes a PEP records, as the local authority's children-looked-after return (SSDA903) names them.
// https://www.gov.uk/government/publications/children-looked-after-return-2024-to-2025-guidance

/** Legal status of a looked-after child (SSDA903 'LS'). */
export const LEGAL_STATUSES: Readonly<Record<string, string>> = {
  C1: 'Interim care order',
  C2: 'Full care order',
  D1: 'Freeing order granted',
  E1: 'Placement order granted',
  J1: 'Remanded to local authority accommodation or youth detention accommodation',
  J2: 'Placed under police protection in local authority accommodation',
  J3: 'Sentenced to a youth rehabilitation order with residence or intensive fostering requirement',
  L1: 'Under police protection and in local authority accommodation',
  L2: 'Emergency protection order',
  L3: 'Under child assessment order and in local authority accommodation',
  V2: 'Single period of accommodation under section 20 (Children Act 1989)',
  V3: 'Accommodated under an agreed series of short-term breaks, when individual episodes of care are recorded',
  V4: 'Accommodated under an agreed series of short-term breaks, when agreements are recorded',
};

/** Kinds of placement, in words a school understands (the PEP shows the detail the carer gives). */
export const PLACEMENT_TYPES = [
  'foster_care',
  'kinship_care',
  'residential',
  'placed_with_parents',
  'secure_unit',
  'independent_living',
  'other',
] as const;

/** The quality assurance checklist the virtual school rates each PEP against. */
export const QA_CHECKLIST: Readonly<Record<string, string>> = {
  pupil_voice: 'The child’s own views are recorded and acted on',
  smart_targets: 'Targets are specific, measurable and time-bound, each with an owner',
  attainment: 'Current attainment and progress are recorded with the school’s data',
  attendance: 'Attendance and any suspensions are recorded with actions where needed',
  send: 'Special educational needs and the support in place are clear',
  funding: 'Pupil Premium Plus requests are linked to targets',
  meeting: 'The meeting is recorded with attendees and decisions',
};

export const TARGET_AREAS = ['attainment', 'attendance', 'wellbeing', 'send', 'transition', 'other'] as const;
export const TARGET_STATUSES = ['not_started', 'in_progress', 'achieved', 'not_achieved'] as const;
