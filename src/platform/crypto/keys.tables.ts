import type { ColumnType, Generated } from 'kysely';

export type KeyPurpose = 'data' | 'index';
export type KeyState = 'active' | 'retiring';

export interface SchoolKeysTable {
  school_id: string;
  id: Generated<string>;
  purpose: KeyPurpose;
  version: number;
  state: KeyState;
  kek_id: string;
  wrapped: Buffer;
  created_at: ColumnType<Date, never, never>;
}

export interface SubjectKeysTable {
  school_id: string;
  id: Generated<string>;
  subject_id: string;
  dek_version: number;
  wrapped: Buffer;
  created_at: ColumnType<Date, never, never>;
}

export interface BlindIndexesTable {
  school_id: string;
  kind: string;
  digest: Buffer;
  subject_id: string;
  index_version: number;
}

export interface ErasureLedgerTable {
  school_id: string;
  id: Generated<string>;
  subject_id: string | null;
  scope: 'subject' | 'school';
  erased_at: ColumnType<Date, never, never>;
}

export interface KeyTables {
  school_keys: SchoolKeysTable;
  subject_keys: SubjectKeysTable;
  blind_indexes: BlindIndexesTable;
  erasure_ledger: ErasureLedgerTable;
}
