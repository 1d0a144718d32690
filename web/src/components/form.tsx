import {
  useEffect,
  useId,
  useRef,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import { ApiError } from '../api/client.ts';

/** A problem to show on a form: which field (its input's id) and what to do about it. */
export interface FormProblem {
  field?: string;
  message: string;
}

/**
 * What a failed request means for a form: the server's field errors mapped onto the form's inputs
 * (`body.email` → `email`), or its message at the top when it names no field.
 */
export function problemsFrom(error: unknown, labels: Record<string, string> = {}): FormProblem[] {
  if (!(error instanceof ApiError)) {
    return [{ message: error instanceof Error ? error.message : 'That did not work. Please try again.' }];
  }
  const fieldProblems = error.fields.flatMap((problem) => {
    const field = problem.field.replace(/^(body|query|params)\./, '').split('.')[0] ?? problem.field;
    const label = labels[field];
    return label === undefined ? [] : [{ field, message: `${label} ${problem.message}` }];
  });
  return fieldProblems.length > 0 ? fieldProblems : [{ message: error.message }];
}

/** A text field's value from a submitted form ('' when absent). */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

export function problemFor(problems: FormProblem[], field: string): string | undefined {
  return problems.find((problem) => problem.field === field)?.message;
}

/** The GOV.UK-style error summary: announced, focused, and each problem links to its field. */
export function ErrorSummary({
  problems,
  title = 'There is a problem',
}: {
  problems: FormProblem[];
  title?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problems.length > 0) {
      ref.current?.focus();
    }
  }, [problems]);
  if (problems.length === 0) {
    return null;
  }
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title" className="error-summary__title">
        {title}
      </h2>
      <ul>
        {problems.map((problem) => (
          <li key={`${problem.field ?? ''}${problem.message}`}>
            {problem.field === undefined ? (
              problem.message
            ) : (
              <a href={`#${problem.field}`}>{problem.message}</a>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

interface FieldProps {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
}

function Described({ id, hint, error }: Omit<FieldProps, 'label'>) {
  return (
    <>
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
    </>
  );
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint === undefined ? '' : `${id}-hint`, error === undefined ? '' : `${id}-error`].filter(
    Boolean,
  );
  return ids.length === 0 ? undefined : ids.join(' ');
}

/** What ties a control to its hint and error for assistive technology. */
function fieldAria(id: string, hint: unknown, error: string | undefined) {
  return {
    'aria-invalid': error === undefined ? undefined : true,
    'aria-describedby': describedBy(id, hint, error),
  } as const;
}

/** Label, hint and error around one control (the control itself uses `fieldAria`). */
function FieldFrame({ id, label, hint, error, children }: FieldProps & { children: ReactNode }) {
  return (
    <div className={error === undefined ? 'field' : 'field field--error'}>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <Described id={id} hint={hint} error={error} />
      {children}
    </div>
  );
}

export function TextField({
  id,
  label,
  hint,
  error,
  ...input
}: FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <input id={id} name={id} className="input" {...fieldAria(id, hint, error)} {...input} />
    </FieldFrame>
  );
}

export function TextArea({
  id,
  label,
  hint,
  error,
  ...area
}: FieldProps & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'>) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <textarea id={id} name={id} rows={3} {...fieldAria(id, hint, error)} {...area} />
    </FieldFrame>
  );
}

export function SelectField({
  id,
  label,
  hint,
  error,
  options,
  ...select
}: FieldProps & {
  options: ReadonlyArray<{ value: string; label: string }>;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'>) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <select id={id} name={id} className="select" {...fieldAria(id, hint, error)} {...select}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function Checkbox({
  label,
  hint,
  ...input
}: { label: string; hint?: string } & Omit<InputHTMLAttributes<HTMLInputElement>, 'type'>) {
  const id = useId();
  return (
    <div className="checkbox">
      <input
        id={id}
        type="checkbox"
        aria-describedby={hint === undefined ? undefined : `${id}-hint`}
        {...input}
      />
      <label htmlFor={id}>{label}</label>
      {hint === undefined ? null : (
        <div id={`${id}-hint`} className="hint">
          {hint}
        </div>
      )}
    </div>
  );
}

export function Button({
  variant = 'primary',
  busy = false,
  children,
  ...button
}: {
  variant?: 'primary' | 'secondary' | 'warning' | 'link';
  busy?: boolean;
} & React.ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button
      type="submit"
      className={`button button--${variant}`}
      aria-disabled={busy || undefined}
      {...button}
      disabled={button.disabled === true || busy}
    >
      {children}
    </button>
  );
}
