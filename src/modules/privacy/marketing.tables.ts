import type { ColumnType, Generated } from 'kysely';

// The operator's marketing contacts, in the platform's tenant (school_id is always the platform id).

export type MarketingPurpose = 'demo_booking' | 'contact_reply' | 'newsletter';
export type WithdrawnVia = 'unsubscribe_link' | 'operator';
export type SuppressionReason = 'unsubscribed' | 'erased' | 'operator';

/** A person who asked to hear from the operator; every personal field is a ciphertext. */
export interface MarketingContactsTable {
  school_id: Generated<string>;
  id: string;
  email: Buffer;
  name: Buffer;
  message: Buffer | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** One consent per contact and purpose, with the wording version shown, the time and the form. */
export interface MarketingConsentsTable {
  school_id: Generated<string>;
  contact_id: string;
  purpose: MarketingPurpose;
  wording_version: string;
  source: string;
  granted_at: Date;
  withdrawn_at: Date | null;
  withdrawn_via: WithdrawnVia | null;
}

/** An unsubscribe link's token, kept as its SHA-256 only. */
export interface MarketingUnsubscribeTokensTable {
  school_id: Generated<string>;
  token_hash: Buffer;
  contact_id: string;
  purpose: MarketingPurpose;
  created_at: ColumnType<Date, never, never>;
}

/** An address never to contact again: its HMAC under the platform's index key, when and why. */
export interface MarketingSuppressionsTable {
  school_id: Generated<string>;
  email_hmac: Buffer;
  reason: SuppressionReason;
  created_at: ColumnType<Date, never, never>;
}

export interface MarketingTables {
  marketing_contacts: MarketingContactsTable;
  marketing_consents: MarketingConsentsTable;
  marketing_unsubscribe_tokens: MarketingUnsubscribeTokensTable;
  marketing_suppressions: MarketingSuppressionsTable;
}
