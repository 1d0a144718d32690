import { Checkbox } from '../../components/form.tsx';

/** A group of checkboxes under one question, with its error (the error summary links to its id). */
export function CheckboxGroup({
  id,
  legend,
  hint,
  names,
  error,
}: {
  id: string;
  legend: string;
  hint?: string;
  names: Record<string, string>;
  error: string | undefined;
}) {
  return (
    <fieldset
      id={id}
      className={error === undefined ? 'field' : 'field field--error'}
      aria-describedby={error === undefined ? undefined : `${id}-error`}
      tabIndex={-1}
    >
      <legend className="label">{legend}</legend>
      {hint === undefined ? null : <div className="hint">{hint}</div>}
      {error === undefined ? null : (
        <p id={`${id}-error`} className="field-error">
          <span className="visually-hidden">Error:</span> {error}
        </p>
      )}
      {Object.entries(names).map(([value, label]) => (
        <Checkbox key={value} name={id} value={value} label={label} />
      ))}
    </fieldset>
  );
}
