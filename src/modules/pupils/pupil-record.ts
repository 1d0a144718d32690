/** How a pupil in a file is recognised: by UPN, or (without one) by name and date of birth. */
export interface PupilKey {
  upn?: string;
  forename?: string;
  surname?: string;
  dob?: string;
}

/**
 * A pupil as a file describes them. A field is present only when the file has its column; null means
 * the file says it is unknown (an empty cell).
 */
export interface PupilRecord {
  row: number;
  key: PupilKey;
  identity: {
    upn?: string | null;
    forename?: string | null;
    surname?: string | null;
    preferred_forename?: string | null;
    preferred_surname?: string | null;
    dob?: string | null;
    address?: string | null;
    contacts?: string | null;
  };
  attributes: {
    year_group?: number | null;
    sex?: 'M' | 'F' | null;
    ethnicity?: string | null;
    fsm?: boolean | null;
    fsm6?: boolean | null;
    disadvantaged?: boolean | null;
    pupil_premium?: boolean | null;
    sen?: 'N' | 'K' | 'E' | null;
    eal?: boolean | null;
    gifted?: boolean | null;
    looked_after?: boolean | null;
    previously_looked_after?: boolean | null;
    service_child?: boolean | null;
    enrolment_status?: string | null;
    start_date?: string | null;
    leave_date?: string | null;
  };
  priorAttainment?: {
    ks2_reading_score?: number | null;
    ks2_reading_outcome?: string | null;
    ks2_maths_score?: number | null;
    ks2_maths_outcome?: string | null;
    ks2_reading_ta?: string | null;
    ks2_maths_ta?: string | null;
  };
  /** Classes the pupil is in, by name. */
  classes?: string[];
  /** Custom groups, by name. */
  groups?: string[];
}

/** The pupil's direct identifiers: each an encrypted column of its own, under the pupil's key. */
export const IDENTITY_COLUMNS = [
  'upn',
  'forename',
  'surname',
  'preferred_forename',
  'preferred_surname',
  'dob',
  'address',
  'contacts',
] as const;
export type IdentityColumn = (typeof IDENTITY_COLUMNS)[number];
