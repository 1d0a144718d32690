import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { badRequest, notFound } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { classesOfPupils, classMemberIds, visiblePupils } from '../curriculum/curriculum.service.ts';
import type { SignedIn } from '../organisations/identity.ts';
import { byName, displayName, matchesWords, openNames, searchWords, type NamedPupil } from './pupil-names.ts';
import { pupilOrder, type PupilOrder } from './pupil-order.ts';
import * as pupils from './pupils.repository.ts';

// Finding pupils: search by name or UPN, and a paged list for browsing.
//
// Names are encrypted field by field under each pupil's own key, so the database cannot match or sort
// them: both read the school's (or the teacher's) pupils, decrypt their names in memory (keys loaded in
// one query, then one AES-GCM open per name) and filter and sort there. That is fine for schools of a
// few thousand pupils (measured: about 0.1 s per search of 1,000 pupils on the embedded database); a
// larger estate would want a keyed search index instead. The list, opened far more often than a search,
// keeps the school's name order in memory as ranks by id while the pupil rows are unchanged
// (pupil-order.ts) and decrypts only the names of the page it shows. A UPN is found through its blind
// index without decrypting anything.

/** A pupil as lists and searches show them. */
export interface PupilListItem {
  id: string;
  displayName: string | null;
  upn: string | null;
  yearGroup: number | null;
  classes: string[];
}

export interface SearchRequest {
  query: string;
  limit: number;
}

export interface ListRequest {
  yearGroup?: number | undefined;
  classId?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** A UPN, or a temporary UPN, as typed: 13 letters or digits, spaces allowed. */
const UPN_SHAPE = /^[A-Za-z]\d{11}[A-Za-z\d]$/;

/** The pupils whose UPN is the query, or whose names hold every word of it; by surname, forename. */
export async function searchPupils(
  services: Services,
  who: SignedIn,
  schoolId: string,
  search: SearchRequest,
  requestId: string,
): Promise<{ pupils: PupilListItem[]; total: number }> {
  const words = searchWords(search.query);
  if (words.length === 0) {
    throw badRequest('Type part of a name, or a UPN, to search for.', [
      { field: 'body.query', message: 'must contain a letter or digit' },
    ]);
  }
  return services.db.withSchool(schoolId, async (trx) => {
    const visible = await visiblePupils(trx, who.actor, who.userId, schoolId);
    const vault = new SchoolVault(services.keyring, trx, schoolId);
    const upn = search.query.replace(/\s+/g, '');
    let found: NamedPupil[];
    if (UPN_SHAPE.test(upn)) {
      const id = await vault.lookup('upn', upn);
      found =
        id === undefined || (visible !== 'all' && !visible.includes(id))
          ? []
          : await openNames(vault, await pupils.pupilNameRows(trx, schoolId, { ids: [id] }));
    } else {
      const rows = await pupils.pupilNameRows(trx, schoolId, {
        ids: visible === 'all' ? undefined : visible,
      });
      found = (await openNames(vault, rows)).filter((pupil) => matchesWords(pupil.names, words));
    }
    found.sort(byName);
    const shown = await listItems(trx, vault, schoolId, found.slice(0, search.limit));
    // The query is never recorded (it may be a name): only who searched, how many matched, whom they saw.
    await recordAudit(trx, {
      orgId: schoolId,
      actor: { type: 'user', id: who.userId },
      action: 'pupils.search',
      subjectIds: shown.map((pupil) => pupil.id),
      requestId,
      details: { results: found.length },
    });
    return { pupils: shown, total: found.length };
  });
}

/** A page of the pupils the person may see, by surname and forename, after the cursor's pupil. */
export async function listPupils(
  services: Services,
  who: SignedIn,
  schoolId: string,
  list: ListRequest,
  requestId: string,
): Promise<{ pupils: PupilListItem[]; nextCursor: string | null }> {
  return services.db.withSchool(schoolId, async (trx) => {
    const visible = await visiblePupils(trx, who.actor, who.userId, schoolId);
    const members =
      list.classId === undefined ? undefined : await classMemberIds(trx, schoolId, list.classId);
    if (list.classId !== undefined && members === undefined) {
      throw notFound('That class');
    }
    const ids = intersect(visible === 'all' ? undefined : visible, members);
    const vault = new SchoolVault(services.keyring, trx, schoolId);
    const filter = { ids, yearGroup: list.yearGroup };
    let listing = await pageInOrder(
      trx,
      vault,
      schoolId,
      await pupilOrder(trx, vault, schoolId),
      filter,
      list,
      visible,
    );
    if (listing.stale) {
      const fresh = await pupilOrder(trx, vault, schoolId, { fresh: true });
      listing = await pageInOrder(trx, vault, schoolId, fresh, filter, list, visible);
    }
    const { listed, start, page } = listing;
    const shown = await listItems(trx, vault, schoolId, page);
    await recordAudit(trx, {
      orgId: schoolId,
      actor: { type: 'user', id: who.userId },
      action: 'pupils.list',
      subjectIds: shown.map((pupil) => pupil.id),
      requestId,
      details: { results: shown.length },
    });
    const last = page.at(-1);
    return {
      pupils: shown,
      nextCursor: start + list.limit < listed.length && last !== undefined ? last.id : null,
    };
  });
}

/**
 * One page of the list in name order: the pupils the filter keeps, after the cursor, with only the page's
 * names decrypted. `stale` when a pupil ranked among the named turned out to have no name (see
 * pupil-order.ts).
 */
async function pageInOrder(
  trx: Transaction<DB>,
  vault: SchoolVault,
  schoolId: string,
  order: PupilOrder,
  filter: { ids: readonly string[] | undefined; yearGroup: number | undefined },
  list: ListRequest,
  visible: 'all' | string[],
): Promise<{ listed: string[]; start: number; page: NamedPupil[]; stale: boolean }> {
  const rankOf = (id: string): number => order.rank.get(id) ?? Number.MAX_SAFE_INTEGER;
  const allowed = filter.ids === undefined ? undefined : new Set(filter.ids);
  const listed = order.pupils
    .filter(
      (pupil) =>
        (allowed === undefined || allowed.has(pupil.id)) &&
        (filter.yearGroup === undefined || pupil.yearGroup === filter.yearGroup),
    )
    .map((pupil) => pupil.id)
    .sort((a, b) => rankOf(a) - rankOf(b));
  const start = list.cursor === undefined ? 0 : afterCursor(listed, order.rank, list.cursor, visible, rankOf);
  const pageIds = listed.slice(start, start + list.limit);
  const page = (await openNames(vault, await pupils.pupilNameRows(trx, schoolId, { ids: pageIds }))).sort(
    (a, b) => rankOf(a.id) - rankOf(b.id),
  );
  const stale = page.some((pupil) => displayName(pupil.names) === null && rankOf(pupil.id) < order.named);
  return { listed, start, page, stale };
}

function intersect(
  a: readonly string[] | undefined,
  b: readonly string[] | undefined,
): readonly string[] | undefined {
  if (a === undefined || b === undefined) {
    return a ?? b;
  }
  const inB = new Set(b);
  return a.filter((id) => inB.has(id));
}

/**
 * Where the page after the cursor starts. The cursor is the last pupil of the previous page (a
 * pseudonymous id, never a name, since it travels in the URL); the next page starts after that pupil's
 * place in name order, so pupils added or removed meanwhile neither repeat nor vanish.
 */
function afterCursor(
  listed: readonly string[],
  rank: ReadonlyMap<string, number>,
  cursor: string,
  visible: 'all' | string[],
  rankOf: (id: string) => number,
): number {
  const index = listed.indexOf(cursor);
  if (index >= 0) {
    return index + 1;
  }
  const cursorRank = visible === 'all' || visible.includes(cursor) ? rank.get(cursor) : undefined;
  if (cursorRank === undefined) {
    throw badRequest('That page of pupils is out of date: start again from the first page.', [
      { field: 'query.cursor', message: 'is not a pupil in this list' },
    ]);
  }
  const next = listed.findIndex((id) => rankOf(id) > cursorRank);
  return next === -1 ? listed.length : next;
}

/** The items shown for these pupils: only now are their UPNs decrypted, and their classes read. */
async function listItems(
  trx: Transaction<DB>,
  vault: SchoolVault,
  schoolId: string,
  page: readonly NamedPupil[],
): Promise<PupilListItem[]> {
  const classes = await classesOfPupils(
    trx,
    schoolId,
    page.map((pupil) => pupil.id),
  );
  const items: PupilListItem[] = [];
  for (const pupil of page) {
    items.push({
      id: pupil.id,
      displayName: displayName(pupil.names),
      upn:
        pupil.sealedUpn === null
          ? null
          : await vault.decrypt({ table: 'pupils', column: 'upn', rowId: pupil.id }, pupil.sealedUpn),
      yearGroup: pupil.yearGroup,
      classes: classes.filter((entry) => entry.pupil_id === pupil.id).map((entry) => entry.name),
    });
  }
  return items;
}

/**
 * Display names of some pupils, for staff working on something about them (a data subject request):
 * pupils not found, and erased pupils, have no entry. The caller audits the read.
 */
export async function pupilDisplayNames(
  trx: Transaction<DB>,
  vault: SchoolVault,
  schoolId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) {
    return new Map();
  }
  const named = await openNames(vault, await pupils.pupilNameRows(trx, schoolId, { ids }));
  const labels = new Map<string, string>();
  for (const pupil of named) {
    const label = pupil.erased ? null : displayName(pupil.names);
    if (label !== null) {
      labels.set(pupil.id, label);
    }
  }
  return labels;
}

/** Whether the school has this pupil (erased pupils have no row). */
export async function pupilExists(trx: Transaction<DB>, schoolId: string, pupilId: string): Promise<boolean> {
  return (await pupils.pupilById(trx, schoolId, pupilId)) !== undefined;
}
