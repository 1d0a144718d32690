import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Type, type Static } from 'typebox';
import { Check } from 'typebox/value';

// The scope catalogue is data (scopes.json): what each scope lets an app read, in words a school admin
// understands, and how sensitive it is, so the approval page can say why it matters.

export const Sensitivity = Type.Union([
  Type.Literal('none'),
  Type.Literal('personal'),
  Type.Literal('sensitive'),
  Type.Literal('special_category'),
]);

const ScopeEntry = Type.Object({
  scope: Type.String({ pattern: '^[a-z_]+(\\.[a-z_]+)?$' }),
  title: Type.String({ minLength: 1 }),
  description: Type.String({ minLength: 1 }),
  sensitivity: Sensitivity,
  why: Type.Optional(Type.String({ minLength: 1 })),
});
const Catalogue = Type.Object({ provenance: Type.String(), scopes: Type.Array(ScopeEntry) });

export type ScopeDescription = Static<typeof ScopeEntry>;

/** Reads the shipped catalogue, refusing to start on one that does not match its schema. */
function load(): ReadonlyMap<string, ScopeDescription> {
  const data: unknown = JSON.parse(readFileSync(path.join(import.meta.dirname, 'scopes.json'), 'utf8'));
  if (!Check(Catalogue, data)) {
    throw new Error('src/modules/apps/scopes.json does not match its schema');
  }
  return new Map(data.scopes.map((entry) => [entry.scope, entry]));
}

export const SCOPES = load();

/** Every students.* scope brings students.basic with it: no attribute without the pupil it belongs to. */
export const BASIC_STUDENT_SCOPE = 'students.basic';

export function isScope(scope: string): boolean {
  return SCOPES.has(scope);
}

/** The scopes a set really grants: as given, plus students.basic when any students.* scope is there. */
export function withImplied(scopes: Iterable<string>): string[] {
  const set = new Set(scopes);
  if ([...set].some((scope) => scope.startsWith('students.'))) {
    set.add(BASIC_STUDENT_SCOPE);
  }
  return [...SCOPES.keys()].filter((scope) => set.has(scope));
}

export function describeScope(scope: string): ScopeDescription {
  const found = SCOPES.get(scope);
  if (found === undefined) {
    throw new Error(`unknown scope ${scope}`);
  }
  return found;
}
