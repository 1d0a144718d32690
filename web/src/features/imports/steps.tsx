import { Link } from 'react-router';

export const STEPS = [
  { key: 'file', name: 'Choose a file' },
  { key: 'columns', name: 'Check the columns' },
  { key: 'report', name: 'Check the report' },
  { key: 'import', name: 'Import' },
] as const;
export type StepKey = (typeof STEPS)[number]['key'];

export function isStep(value: string | null): value is StepKey {
  return STEPS.some((step) => step.key === value);
}

export const stepNumber = (step: StepKey) => STEPS.findIndex((entry) => entry.key === step) + 1;

/** The wizard's address for a step of an uploaded import (the id is not personal data). */
export function stepUrl(schoolId: string, importId: string, step: StepKey): string {
  return `/schools/${schoolId}/imports/new?import=${importId}&step=${step}`;
}

/**
 * "Step 2 of 4" and the list of steps: done, current (aria-current="step") and still to do, each said in
 * words. Earlier steps of an open import are links back to them.
 */
export function StepIndicator({
  current,
  schoolId,
  importId,
}: {
  current: StepKey;
  schoolId: string;
  importId?: string | undefined;
}) {
  const at = stepNumber(current);
  return (
    <nav aria-label="Import steps" className="import-steps">
      <ol>
        {STEPS.map((step, index) => {
          const number = index + 1;
          const state = number < at ? 'done' : number === at ? 'current' : 'todo';
          const label = `${number}. ${step.name}`;
          const canGoBack = state === 'done' && importId !== undefined && step.key !== 'file';
          return (
            <li
              key={step.key}
              className={`import-steps__step import-steps__step--${state}`}
              aria-current={state === 'current' ? 'step' : undefined}
            >
              {canGoBack ? <Link to={stepUrl(schoolId, importId, step.key)}>{label}</Link> : label}
              <span className="import-steps__state">
                {state === 'done' ? 'Done' : state === 'current' ? 'You are here' : 'To do'}
              </span>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
