import type { Transaction } from 'kysely';
import { Value } from 'typebox/value';
import type { DB } from '../../database.ts';
import { DecryptionError } from '../../platform/crypto/field-cipher.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import type { Services } from '../../services.ts';
import type { PepModule } from './pep.policy.ts';
import type { ChildRow, DocumentRow } from './pep.repository.ts';
import { CareDetails, MODULE_SCHEMAS, type ModuleValues } from './pep.schema.ts';
import type { Static, TSchema } from 'typebox';

// Every free text of a PEP is personal data about the child: each module is JSON sealed under the
// child's own subject key in the authority's tenant, bound to its table, column and row. Erasing the
// child destroys that key, so every copy — backups included — becomes unreadable.

export type Modules = { [M in PepModule]: ModuleValues[M] | null };

export class PepVault {
  readonly #vault: SchoolVault;

  constructor(services: Services, trx: Transaction<DB>, authorityId: string) {
    this.#vault = new SchoolVault(services.keyring, trx, authorityId);
  }

  async sealModule<M extends PepModule>(
    childId: string,
    documentId: string,
    module: M,
    value: ModuleValues[M],
  ): Promise<Buffer> {
    return this.#vault.encrypt(
      childId,
      { table: 'pep_documents', column: module, rowId: documentId },
      JSON.stringify(value),
    );
  }

  /** All modules of a PEP, opened; a module nobody has written yet is null. */
  async openModules(document: DocumentRow): Promise<Modules> {
    const open = async <T extends TSchema>(schema: T, module: PepModule): Promise<Static<T> | null> => {
      const sealed = document[module];
      if (sealed === null) {
        return null;
      }
      const text = await this.#vault.decrypt(
        { table: 'pep_documents', column: module, rowId: document.id },
        sealed,
      );
      const value: unknown = JSON.parse(text);
      return Value.Check(schema, value) ? value : null;
    };
    return {
      basic_info: await open(MODULE_SCHEMAS.basic_info, 'basic_info'),
      pupil_voice: await open(MODULE_SCHEMAS.pupil_voice, 'pupil_voice'),
      send: await open(MODULE_SCHEMAS.send, 'send'),
      meeting: await open(MODULE_SCHEMAS.meeting, 'meeting'),
      targets: await open(MODULE_SCHEMAS.targets, 'targets'),
      qa: await open(MODULE_SCHEMAS.qa, 'qa'),
    };
  }

  async sealComment(childId: string, eventId: string, comment: string): Promise<Buffer> {
    return this.#vault.encrypt(childId, { table: 'pep_events', column: 'comment', rowId: eventId }, comment);
  }

  async openComment(eventId: string, sealed: Buffer | null): Promise<string | null> {
    return sealed === null
      ? null
      : this.#vault.decrypt({ table: 'pep_events', column: 'comment', rowId: eventId }, sealed);
  }

  async sealChild(
    childId: string,
    fields: {
      forename: string;
      surname: string;
      dob: string;
      upn: string | null;
      care: Static<typeof CareDetails>;
    },
  ): Promise<{ forename: Buffer; surname: Buffer; dob: Buffer; upn: Buffer | null; care: Buffer }> {
    const plain: Record<string, string> = {
      forename: fields.forename,
      surname: fields.surname,
      dob: fields.dob,
      care: JSON.stringify(fields.care),
    };
    if (fields.upn !== null) {
      plain.upn = fields.upn;
    }
    const sealed = await this.#vault.encryptRecord(childId, 'pep_children', childId, plain);
    const field = (name: string): Buffer => {
      const value = sealed[name];
      if (value === undefined) {
        throw new Error(`the child's ${name} was not sealed`);
      }
      return value;
    };
    return {
      forename: field('forename'),
      surname: field('surname'),
      dob: field('dob'),
      upn: sealed.upn ?? null,
      care: field('care'),
    };
  }

  async sealCare(childId: string, care: Static<typeof CareDetails>): Promise<Buffer> {
    return this.#vault.encrypt(
      childId,
      { table: 'pep_children', column: 'care', rowId: childId },
      JSON.stringify(care),
    );
  }

  /** The child's identity and care details; '(erased)' and empty values once the child's key was destroyed. */
  async openChild(row: ChildRow): Promise<OpenChild> {
    const where = (column: string) => ({ table: 'pep_children', column, rowId: row.id });
    try {
      const care: unknown = JSON.parse(await this.#vault.decrypt(where('care'), row.care));
      return {
        forename: await this.#vault.decrypt(where('forename'), row.forename),
        surname: await this.#vault.decrypt(where('surname'), row.surname),
        dob: await this.#vault.decrypt(where('dob'), row.dob),
        upn: row.upn === null ? null : await this.#vault.decrypt(where('upn'), row.upn),
        care: Value.Check(CareDetails, care) ? care : EMPTY_CARE,
      };
    } catch (error) {
      if (error instanceof DecryptionError) {
        return { forename: '(erased)', surname: '', dob: '1900-01-01', upn: null, care: EMPTY_CARE };
      }
      throw error;
    }
  }
}

export interface OpenChild {
  forename: string;
  surname: string;
  dob: string;
  upn: string | null;
  care: Static<typeof CareDetails>;
}

const EMPTY_CARE: Static<typeof CareDetails> = { placementType: 'other', carer: '', socialWorker: '' };

export function fullName(child: Pick<OpenChild, 'forename' | 'surname'>): string {
  return `${child.forename} ${child.surname}`.trim();
}
