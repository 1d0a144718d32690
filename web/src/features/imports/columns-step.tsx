import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, ErrorSummary, problemsFrom, type FormProblem } from '../../components/form.tsx';
import { Notice, QueryView } from '../../components/status.tsx';
import { duplicateProblems, suggestField, type TemplateField } from './column-matching.ts';
import { LayoutForm, SaveMappingForm } from './columns-forms.tsx';
import {
  fileTypeOf,
  knownUpload,
  layoutOf,
  useRecheck,
  useTemplates,
  type ImportReport,
  type Layout,
  type RememberedUpload,
} from './imports-api.ts';
import { fieldLabel, LAYOUT_DESCRIPTIONS } from './imports-text.tsx';
import { stepUrl } from './steps.tsx';
import { TableRegion } from './table-region.tsx';

interface Props {
  schoolId: string;
  importId: string;
  report: ImportReport;
}

/** Step 2: each column Haven found, the field it was matched to, and a way to change it. */
export function ColumnsStep({ schoolId, importId, report }: Props) {
  const type = fileTypeOf(report.format);
  if (type === 'ctf' || type === 'oneroster') {
    return (
      <>
        <p>
          {type === 'ctf' ? 'A Common Transfer File' : 'A OneRoster export'} has a fixed layout: Haven reads
          each field from where the standard puts it, so there are no columns to match.
        </p>
        <Link to={stepUrl(schoolId, importId, 'report')} className="button button--primary">
          Continue to the report
        </Link>
      </>
    );
  }
  const known = knownUpload(importId, report);
  const layout = layoutOf(report.format) ?? known.layout;
  const unread = layoutOf(report.format) === undefined;
  return (
    <>
      {unread ? (
        <Notice tone="warning" title="Haven could not read the file with these settings">
          <ul>
            {report.errors.slice(0, 5).map((issue) => (
              <li key={issue.message}>{issue.message}</li>
            ))}
          </ul>
          <p>
            Change what Haven reads the file as, or how its columns are matched, and Haven will read it again.
          </p>
        </Notice>
      ) : (
        <p>
          Haven read this file as:{' '}
          <strong>{layout === undefined ? 'not known' : LAYOUT_DESCRIPTIONS[layout]}</strong>.
        </p>
      )}
      <LayoutForm schoolId={schoolId} importId={importId} known={known} layout={layout} />
      {layout === undefined || known.headers.length === 0 ? null : (
        <ColumnsEditor
          key={`${report.format}:${JSON.stringify(report.mappedColumns)}`}
          schoolId={schoolId}
          importId={importId}
          report={report}
          known={known}
          layout={layout}
        />
      )}
    </>
  );
}

function ColumnsEditor({
  schoolId,
  importId,
  report,
  known,
  layout,
}: Props & { known: RememberedUpload; layout: Layout }) {
  const templates = useTemplates();
  const navigate = useNavigate();
  const recheck = useRecheck(schoolId, importId);
  const readable = layoutOf(report.format) !== undefined;
  const headers = known.headers;
  const [initial] = useState(() =>
    Object.fromEntries(
      headers.map((header) => [
        header,
        (readable
          ? report.mappedColumns[header]
          : (known.options.columns?.[header] ?? known.mapping[header])) ?? '',
      ]),
    ),
  );
  const [choices, setChoices] = useState<Record<string, string>>(initial);
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const columns = Object.fromEntries(headers.map((header) => [header, choices[header] || null]));
  const changed = headers.some((header) => choices[header] !== initial[header]);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const duplicates = duplicateProblems(headers, choices);
    setProblems(duplicates);
    if (duplicates.length > 0) {
      return;
    }
    const next = stepUrl(schoolId, importId, 'report');
    if (readable && !changed) {
      void navigate(next);
      return;
    }
    recheck.mutate(
      { ...known.options, template: layout, columns },
      {
        onSuccess: () => void navigate(next),
        onError: (error) => setProblems(problemsFrom(error)),
      },
    );
  };
  return (
    <QueryView query={templates} what="Haven’s fields">
      {(list) => {
        const fields = list.find((template) => template.template === layout)?.fields ?? [];
        return (
          <>
            <form onSubmit={onSubmit} noValidate>
              <ErrorSummary problems={problems} />
              <ColumnTable
                headers={headers}
                fields={fields}
                choices={choices}
                initial={initial}
                explicit={known.options.columns ?? {}}
                problems={problems}
                onChoose={(header, field) => setChoices((before) => ({ ...before, [header]: field }))}
              />
              {layout === 'marksheet' ? (
                <p>In a marksheet, every other column is read as a subject’s grades.</p>
              ) : null}
              <p className="hint">
                A column that is not read is left out entirely: its contents are never stored in Haven.
              </p>
              <Button busy={recheck.isPending}>
                {readable && !changed ? 'Continue to the report' : 'Check the file with these columns'}
              </Button>
            </form>
            <SaveMappingForm schoolId={schoolId} layout={layout} columns={columns} />
          </>
        );
      }}
    </QueryView>
  );
}

function ColumnTable({
  headers,
  fields,
  choices,
  initial,
  explicit,
  problems,
  onChoose,
}: {
  headers: string[];
  fields: TemplateField[];
  choices: Record<string, string>;
  initial: Record<string, string>;
  explicit: Readonly<Record<string, string | null>>;
  problems: FormProblem[];
  onChoose: (header: string, field: string) => void;
}) {
  const options = [
    { value: '', label: 'Not read (leave this column out)' },
    ...fields.map((field) => ({ value: field.field, label: fieldLabel(field.field) })),
  ];
  const taken = new Set(Object.values(choices).filter((field) => field !== ''));
  return (
    <TableRegion label="The columns in your file">
      <table className="table import-columns">
        <caption>
          The {headers.length} column{headers.length === 1 ? '' : 's'} in your file
        </caption>
        <thead>
          <tr>
            <th scope="col">Column in your file</th>
            <th scope="col">Haven field</th>
            <th scope="col">How it was matched</th>
          </tr>
        </thead>
        <tbody>
          {headers.map((header, index) => {
            const id = `column-${index}`;
            const choice = choices[header] ?? '';
            const error = problems.find((problem) => problem.field === id)?.message;
            const definition = fields.find((field) => field.field === choice);
            const suggestion = choice === '' ? suggestField(header, fields, taken) : undefined;
            return (
              <tr key={header}>
                <th scope="row">{header}</th>
                <td className={error === undefined ? undefined : 'field--error'}>
                  <label htmlFor={id} className="visually-hidden">
                    Haven field for the column “{header}”
                  </label>
                  {error === undefined ? null : (
                    <p id={`${id}-error`} className="field-error">
                      <span className="visually-hidden">Error:</span> {error}
                    </p>
                  )}
                  <select
                    id={id}
                    className="select"
                    value={choice}
                    aria-invalid={error === undefined ? undefined : true}
                    aria-describedby={error === undefined ? undefined : `${id}-error`}
                    onChange={(event) => onChoose(header, event.target.value)}
                  >
                    {options.map((option) => (
                      <option key={option.value} value={option.value}>
                        {option.label}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <MatchedHow
                    changed={choice !== (initial[header] ?? '')}
                    chosen={Object.hasOwn(explicit, header)}
                    read={choice !== ''}
                    identifier={definition?.identifier === true}
                  />
                  {suggestion === undefined ? null : (
                    <button
                      type="button"
                      className="button--link import-columns__suggest"
                      onClick={() => onChoose(header, suggestion.field)}
                    >
                      Use the suggestion: {fieldLabel(suggestion.field)}
                      <span className="visually-hidden"> for the column “{header}”</span>
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableRegion>
  );
}

function MatchedHow({
  changed,
  chosen,
  read,
  identifier,
}: {
  changed: boolean;
  chosen: boolean;
  read: boolean;
  identifier: boolean;
}) {
  const how = changed
    ? 'Changed: Haven checks the file again when you continue'
    : !read
      ? chosen
        ? 'Not read, as you chose'
        : 'Not read: Haven does not recognise this heading'
      : chosen
        ? 'Matched by your choice'
        : 'Recognised heading';
  return (
    <span className="import-columns__how">
      {how}
      {identifier ? <span className="hint">Identifier: kept encrypted, never shown in reports</span> : null}
    </span>
  );
}
