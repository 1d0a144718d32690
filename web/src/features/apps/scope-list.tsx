import type { Static } from 'typebox';
import type { ScopeView } from '../../../../src/modules/apps/apps.schema.ts';

export type Scope = Static<typeof ScopeView>;

const SENSITIVITY: Record<Scope['sensitivity'], { label: string; tone: string } | undefined> = {
  none: undefined,
  personal: undefined,
  sensitive: { label: 'Sensitive', tone: 'tag--amber' },
  special_category: { label: 'Special category data', tone: 'tag--red' },
};

/** A scope's sensitivity as a worded tag (never colour alone). */
export function SensitivityTag({ scope }: { scope: Scope }) {
  const marker = SENSITIVITY[scope.sensitivity];
  return marker === undefined ? null : <strong className={`tag ${marker.tone}`}>{marker.label}</strong>;
}

/** What a set of scopes lets an app read, in words, sensitive ones marked with why they matter. */
export function ScopeList({ scopes }: { scopes: readonly Scope[] }) {
  return (
    <ul className="scope-list">
      {scopes.map((scope) => (
        <li key={scope.scope}>
          <span className="scope-list__title">{scope.title}</span> <SensitivityTag scope={scope} />
          <div className="hint">{scope.description}</div>
          {scope.why === undefined ? null : (
            <div className="scope-list__why">Why this matters: {scope.why}</div>
          )}
        </li>
      ))}
    </ul>
  );
}
