import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api, ApiError } from '../../api/client.ts';
import {
  Button,
  Checkbox,
  ErrorSummary,
  formText,
  problemFor,
  SelectField,
  TextField,
  type FormProblem,
} from '../../components/form.tsx';
import {
  importPath,
  importsKey,
  importsPath,
  remember,
  useSavedMappings,
  type ImportOptions,
  type Layout,
  type SavedMapping,
  type Staged,
} from './imports-api.ts';
import { LAYOUT_DESCRIPTIONS } from './imports-text.tsx';
import { stepUrl } from './steps.tsx';
import { TemplatesHelp } from './templates-help.tsx';

const ACCEPTED = /\.(csv|txt|tsv|xlsx|xml|zip)$/i;
const MAX_MB = 50;

const LAYOUT_OPTIONS = [
  { value: '', label: 'Work it out from the column headings (recommended)' },
  ...(['pupils', 'results', 'marksheet'] as const).map((layout) => ({
    value: layout,
    label: LAYOUT_DESCRIPTIONS[layout],
  })),
];

function asLayout(value: string): Layout | undefined {
  return value === 'pupils' || value === 'results' || value === 'marksheet' ? value : undefined;
}

interface Upload {
  file: File;
  options: ImportOptions;
}

/** Checks the form before anything is sent: a file of a kind Haven reads, and what a marksheet needs. */
function readForm(form: FormData, mappings: SavedMapping[]): Upload | FormProblem[] {
  const file = form.get('file');
  if (!(file instanceof File) || file.name === '') {
    return [{ field: 'file', message: 'Choose the file to import' }];
  }
  if (!ACCEPTED.test(file.name)) {
    return [
      {
        field: 'file',
        message: 'The file must be a CSV, Excel (.xlsx), CTF (.xml) or OneRoster (.zip) file',
      },
    ];
  }
  if (file.size > MAX_MB * 1024 * 1024) {
    return [
      {
        field: 'file',
        message: `The file is larger than ${MAX_MB} MB: ask your Haven administrator to import it with ./haven import`,
      },
    ];
  }
  const mapping = mappings.find((entry) => entry.name === formText(form, 'mapping'));
  const template = asLayout(formText(form, 'template')) ?? asLayout(mapping?.template ?? '');
  const assessmentPoint = formText(form, 'assessmentPoint').trim();
  return {
    file,
    options: {
      ...(template === undefined ? {} : { template }),
      ...(assessmentPoint === '' ? {} : { assessmentPoint }),
      ...(mapping === undefined ? {} : { columns: mapping.columns }),
      pseudonymousUpn: form.get('pseudonymousUpn') === 'on',
      noNames: form.get('noNames') === 'on',
    },
  };
}

function uploadProblems(error: unknown): FormProblem[] {
  if (error instanceof ApiError && error.fields.some((field) => field.field === 'file')) {
    return [{ field: 'file', message: error.message }];
  }
  return [
    { message: error instanceof Error ? error.message : 'The file could not be uploaded. Please try again.' },
  ];
}

/** Step 1: choose the file (and, if needed, its layout), upload it, and Haven checks every row at once. */
export function UploadStep({ schoolId, replaces }: { schoolId: string; replaces: string | undefined }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const mappings = useSavedMappings(schoolId);
  const [layout, setLayout] = useState('');
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const upload = useMutation({
    mutationFn: async ({ file, options }: Upload) => {
      // The server reads the options before the file, so they go first.
      const body = new FormData();
      body.append('options', JSON.stringify(options));
      body.append('file', file, file.name);
      return api.post<Staged>(importsPath(schoolId), body);
    },
    onSuccess: async (staged, { options }) => {
      remember(staged.importId, options, staged.report);
      if (replaces !== undefined) {
        // The corrected file replaces the refused one: its kept copy is no longer needed.
        await api.delete(importPath(schoolId, replaces)).catch(() => undefined);
      }
      await queryClient.invalidateQueries({ queryKey: importsKey(schoolId) });
      await navigate(stepUrl(schoolId, staged.importId, 'columns'));
    },
    onError: (error) => setProblems(uploadProblems(error)),
  });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const read = readForm(new FormData(event.currentTarget), mappings.data ?? []);
    if (Array.isArray(read)) {
      setProblems(read);
      return;
    }
    setProblems([]);
    upload.mutate(read);
  };
  const saved = mappings.data ?? [];
  return (
    <>
      <ErrorSummary problems={problems} />
      {replaces === undefined ? null : (
        <p>Upload the corrected file. The file with errors will be discarded once the new one is uploaded.</p>
      )}
      <p>Haven reads these kinds of file, up to {MAX_MB} MB:</p>
      <ul>
        <li>CSV files (.csv), for example exported from your MIS or saved from Excel</li>
        <li>Excel workbooks (.xlsx): the first worksheet is read</li>
        <li>Common Transfer Files (CTF, .xml)</li>
        <li>OneRoster 1.2 CSV exports (.zip)</li>
      </ul>
      <p>
        <a href="#templates">See the columns Haven reads, and blank templates</a>.
      </p>
      <form onSubmit={onSubmit} noValidate className="import-upload">
        <TextField
          id="file"
          label="Choose the file to import"
          hint="Nothing is written until you have checked the report and chosen to import it."
          type="file"
          accept=".csv,.txt,.tsv,.xlsx,.xml,.zip"
          error={problemFor(problems, 'file')}
        />
        <SelectField
          id="template"
          label="What does the file hold?"
          hint="Haven usually works this out. Say it here if it gets it wrong."
          options={LAYOUT_OPTIONS}
          value={layout}
          onChange={(event) => setLayout(event.target.value)}
        />
        {layout === 'marksheet' ? (
          <TextField
            id="assessmentPoint"
            label="Assessment point for the whole file (optional)"
            hint="For example Y11 Mock. Leave it empty if the file has an assessment point column."
            maxLength={100}
            autoComplete="off"
          />
        ) : null}
        {saved.length === 0 ? null : (
          <SelectField
            id="mapping"
            label="Use a saved column mapping (optional)"
            hint="A mapping your school saved for a file with the same columns."
            options={[
              { value: '', label: 'None: match the columns automatically' },
              ...saved.map((mapping) => ({
                value: mapping.name,
                label: `${mapping.name} (${mapping.template})`,
              })),
            ]}
          />
        )}
        <details className="import-upload__more">
          <summary>More options</summary>
          <Checkbox
            name="pseudonymousUpn"
            label="The UPN column holds our own pseudonymous identifiers, not real UPNs"
          />
          <Checkbox name="noNames" label="Do not load any names from this file" />
        </details>
        <output className="loading import-upload__busy">
          {upload.isPending ? 'Uploading and checking your file…' : ''}
        </output>
        <Button busy={upload.isPending}>Upload and check the file</Button>
      </form>
      <h2 id="templates">Templates and column headings</h2>
      <p>
        Files exported from your MIS usually work as they are. If you are making a file yourself, start from a
        blank template.
      </p>
      <TemplatesHelp />
    </>
  );
}
