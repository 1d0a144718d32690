import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import type { FormProblem } from '../../components/form.tsx';
import { formatDate } from '../../components/page.tsx';
import {
  authorityScope,
  childPage,
  currentWords,
  LINK_NAMES,
  schoolScope,
  STATE_TAGS,
  yearGroupName,
  type Child,
  type PepState,
  type Scope,
} from './api.ts';

/** The side the current page works for, from its address (/authorities/:authorityId/… or /schools/:schoolId/…). */
export function useScope(): Scope {
  const { authorityId, schoolId } = useParams();
  if (authorityId !== undefined) {
    return authorityScope(authorityId);
  }
  return schoolScope(schoolId ?? '');
}

/** A PEP's state as a tag whose words carry the meaning (the colour only repeats it). */
export function StateTag({ state, words }: { state: PepState | null; words: string }) {
  const tone = state === null ? 'tag--grey' : STATE_TAGS[state];
  return <span className={`tag ${tone}`}>{words}</span>;
}

/** When the current PEP is due, with "overdue" in words. */
export function DueWords({ current }: { current: Child['current'] }) {
  if (current === null) {
    return <>—</>;
  }
  return (
    <>
      {formatDate(current.dueOn)}
      {current.overdue ? (
        <>
          {' '}
          <strong className="tag tag--red">Overdue</strong>
        </>
      ) : null}
    </>
  );
}

/** Children with their school, their link and this term's PEP: on the dashboard, the list and the school's page. */
export function ChildTable({
  scope,
  rows,
  caption,
  showSchool = true,
}: {
  scope: Scope;
  rows: readonly Child[];
  caption: string;
  showSchool?: boolean;
}) {
  return (
    <div className="table-wrapper">
      <table className="table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Child</th>
            <th scope="col">Reference</th>
            <th scope="col">Year</th>
            {showSchool ? <th scope="col">School</th> : null}
            <th scope="col">This term’s PEP</th>
            <th scope="col">Due</th>
            <th scope="col">QA rating</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((child) => (
            <tr key={child.id}>
              <td>
                <Link to={childPage(scope, child.id)}>{child.name}</Link>
                {child.leftCareOn === null ? null : (
                  <>
                    <br />
                    <span className="hint">Left care {formatDate(child.leftCareOn)}</span>
                  </>
                )}
              </td>
              <td>
                <code>{child.reference}</code>
              </td>
              <td>{yearGroupName(child.yearGroup)}</td>
              {showSchool ? (
                <td>
                  {child.school.name ?? 'No school recorded'}
                  <br />
                  <span className="hint">{LINK_NAMES[child.school.linkStatus]}</span>
                </td>
              ) : null}
              <td>
                <StateTag state={child.current?.state ?? null} words={currentWords(child.current)} />
                {child.current === null ? null : (
                  <>
                    <br />
                    <span className="hint">
                      {child.current.kind === 'initial' ? 'Initial PEP' : 'Termly review'}
                    </span>
                  </>
                )}
              </td>
              <td>
                <DueWords current={child.current} />
              </td>
              <td>{ratingWords(child.current?.qaRating ?? null)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ratingWords(rating: 'red' | 'amber' | 'green' | null): string {
  if (rating === null) {
    return 'Not rated';
  }
  return { red: 'Red', amber: 'Amber', green: 'Green' }[rating];
}

/**
 * A failed request's field errors mapped onto inputs whose ids are the field's path with dashes
 * (`body.care.carer` → `care-carer`, `body.targets.0.owner` → `targets-0-owner`), worded with the field's
 * label; anything without a label is shown as the server's message at the top.
 */
export function problemsAt(error: unknown, labels: Record<string, string>, prefix = ''): FormProblem[] {
  if (!(error instanceof ApiError)) {
    return [{ message: error instanceof Error ? error.message : 'That did not work. Please try again.' }];
  }
  const mapped = error.fields.flatMap((problem) => {
    const id = `${prefix}${problem.field
      .replace(/^(body|query|params)\.?/, '')
      .replaceAll(/\[(\d+)\]/g, '.$1')
      .replaceAll('.', '-')}`;
    const label = labels[id];
    return label === undefined ? [] : [{ field: id, message: `${label}: ${problem.message}` }];
  });
  return mapped.length > 0 && mapped.length === error.fields.length
    ? mapped
    : [{ message: error.message }, ...mapped];
}

/** Radio buttons under one question (a fieldset with legend, hint and error, linked from the error summary). */
export function Radios({
  id,
  legend,
  hint,
  options,
  value,
  onChange,
  error,
  disabled = false,
}: {
  id: string;
  legend: string;
  hint?: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  disabled?: boolean;
}) {
  const described = [hint === undefined ? '' : `${id}-hint`, error === undefined ? '' : `${id}-error`]
    .filter(Boolean)
    .join(' ');
  return (
    <fieldset
      id={id}
      className={error === undefined ? 'field pep-fieldset' : 'field field--error pep-fieldset'}
      aria-describedby={described === '' ? undefined : described}
      tabIndex={-1}
    >
      <legend className="label">{legend}</legend>
      {hint === undefined ? null : (
        <div id={`${id}-hint`} className="hint">
          {hint}
        </div>
      )}
      {error === undefined ? null : (
        <p id={`${id}-error`} className="field-error">
          <span className="visually-hidden">Error:</span> {error}
        </p>
      )}
      {options.map((option) => (
        <div className="radio" key={option.value}>
          <input
            type="radio"
            id={`${id}-${option.value}`}
            name={id}
            value={option.value}
            checked={value === option.value}
            disabled={disabled}
            onChange={() => onChange(option.value)}
          />
          <label htmlFor={`${id}-${option.value}`}>{option.label}</label>
        </div>
      ))}
    </fieldset>
  );
}
