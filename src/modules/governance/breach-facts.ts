import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import { PLATFORM_ORG_ID } from '../../platform/audit/audit-log.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import type { Services } from '../../services.ts';
import type { BreachFacts, Notice } from './breach-notice.ts';
import type { BreachRow } from './breaches.repository.ts';

// Encryption of the register's free text. A breach's text is ciphertext under the breach's own key in
// the platform's tenant; what a school was sent is ciphertext under a key of that breach in the
// school's tenant (so it goes with the school's data when the school leaves).

/** Columns of `breaches` holding free text. */
export type BreachTextColumn =
  | 'description'
  | 'consequences'
  | 'measures_taken'
  | 'measures_proposed'
  | 'contact'
  | 'ico_reason'
  | 'subjects_reason'
  | 'outcome'
  | 'lessons';

function isNotice(value: unknown): value is Notice {
  return (
    typeof value === 'object' &&
    value !== null &&
    'subject' in value &&
    typeof value.subject === 'string' &&
    'sections' in value &&
    Array.isArray(value.sections)
  );
}

export class BreachCipher {
  readonly #services: Services;
  readonly #trx: Transaction<DB>;
  readonly #platform: SchoolVault;

  constructor(services: Services, trx: Transaction<DB>) {
    this.#services = services;
    this.#trx = trx;
    this.#platform = new SchoolVault(services.keyring, trx, PLATFORM_ORG_ID);
  }

  seal(breachId: string, column: BreachTextColumn, text: string): Promise<Buffer> {
    return this.#platform.encrypt(breachId, { table: 'breaches', column, rowId: breachId }, text);
  }

  async sealOptional(
    breachId: string,
    column: BreachTextColumn,
    text: string | undefined,
  ): Promise<Buffer | null> {
    return text === undefined || text.trim() === '' ? null : this.seal(breachId, column, text);
  }

  async open(breachId: string, column: BreachTextColumn, sealed: Buffer | null): Promise<string | null> {
    return sealed === null
      ? null
      : this.#platform.decrypt({ table: 'breaches', column, rowId: breachId }, sealed);
  }

  sealUpdate(breachId: string, updateId: string, text: string): Promise<Buffer> {
    return this.#platform.encrypt(
      breachId,
      { table: 'breach_updates', column: 'body', rowId: updateId },
      text,
    );
  }

  openUpdate(updateId: string, sealed: Buffer): Promise<string> {
    return this.#platform.decrypt({ table: 'breach_updates', column: 'body', rowId: updateId }, sealed);
  }

  /** A notice as the school keeps it, under the school's own keys. */
  sealNotice(schoolId: string, breachId: string, noticeId: string, notice: Notice): Promise<Buffer> {
    return new SchoolVault(this.#services.keyring, this.#trx, schoolId).encrypt(
      breachId,
      { table: 'breach_notices', column: 'body', rowId: noticeId },
      JSON.stringify(notice),
    );
  }

  async openNotice(schoolId: string, noticeId: string, sealed: Buffer): Promise<Notice> {
    const text = await new SchoolVault(this.#services.keyring, this.#trx, schoolId).decrypt(
      { table: 'breach_notices', column: 'body', rowId: noticeId },
      sealed,
    );
    const parsed: unknown = JSON.parse(text);
    if (!isNotice(parsed)) {
      throw new TypeError('a stored breach notice is not in the notice format');
    }
    return parsed;
  }

  /** Everything a notice needs from the register, decrypted. */
  async facts(row: BreachRow): Promise<BreachFacts> {
    const text = async (column: BreachTextColumn, sealed: Buffer | null): Promise<string> =>
      (await this.open(row.id, column, sealed)) ?? '';
    return {
      reference: row.reference,
      nature: row.nature,
      awareAt: row.aware_at,
      occurredAt: row.occurred_at,
      description: await text('description', row.description),
      peopleCategories: row.people_categories,
      dataCategories: row.data_categories,
      approxPeople: row.approx_people,
      approxRecords: row.approx_records,
      consequences: await text('consequences', row.consequences),
      measuresTaken: await text('measures_taken', row.measures_taken),
      measuresProposed: await this.open(row.id, 'measures_proposed', row.measures_proposed),
      contact: await text('contact', row.contact),
    };
  }
}
