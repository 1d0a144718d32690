import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import { Button, formText, SelectField, TextField } from '../../components/form.tsx';
import { ErrorNotice, Notice } from '../../components/status.tsx';
import { mappingNameProblem } from './column-matching.ts';
import { mappingsKey, mappingsPath, useRecheck, type Layout, type RememberedUpload } from './imports-api.ts';
import { LAYOUT_DESCRIPTIONS } from './imports-text.tsx';
import { stepUrl } from './steps.tsx';

const LAYOUTS = (['pupils', 'results', 'marksheet'] as const).map((layout) => ({
  value: layout,
  label: LAYOUT_DESCRIPTIONS[layout],
}));

/** Read the kept file again as another layout (the columns are then matched afresh). */
export function LayoutForm({
  schoolId,
  importId,
  known,
  layout,
}: {
  schoolId: string;
  importId: string;
  known: RememberedUpload;
  layout: Layout | undefined;
}) {
  const navigate = useNavigate();
  const recheck = useRecheck(schoolId, importId);
  const [chosen, setChosen] = useState<string>(layout ?? 'pupils');
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const template = LAYOUTS.find((option) => option.value === chosen)?.value ?? 'pupils';
    const assessmentPoint = formText(form, 'layoutAssessmentPoint').trim();
    // A new layout has other fields: its columns are matched afresh, without the old choices.
    const options = { ...known.options, template };
    delete options.columns;
    delete options.assessmentPoint;
    recheck.mutate(
      { ...options, ...(assessmentPoint === '' ? {} : { assessmentPoint }) },
      { onSuccess: () => void navigate(stepUrl(schoolId, importId, 'columns')) },
    );
  };
  return (
    <details className="import-layout" open={layout === undefined}>
      <summary>Change what Haven reads the file as</summary>
      <form onSubmit={onSubmit} noValidate>
        {recheck.isError ? (
          <ErrorNotice error={recheck.error} title="The file could not be read again" />
        ) : null}
        <SelectField
          id="layout"
          label="What does the file hold?"
          hint="The columns are matched again for the layout you choose."
          options={LAYOUTS}
          value={chosen}
          onChange={(event) => setChosen(event.target.value)}
        />
        {chosen === 'marksheet' ? (
          <TextField
            id="layoutAssessmentPoint"
            label="Assessment point for the whole file (optional)"
            hint="For example Y11 Mock. Leave it empty if the file has an assessment point column."
            defaultValue={known.options.assessmentPoint ?? ''}
            maxLength={100}
            autoComplete="off"
          />
        ) : null}
        <Button variant="secondary" busy={recheck.isPending}>
          Read the file again
        </Button>
      </form>
    </details>
  );
}

/** Keep the current matching under a name, to choose when the next file with these columns is uploaded. */
export function SaveMappingForm({
  schoolId,
  layout,
  columns,
}: {
  schoolId: string;
  layout: Layout;
  columns: Record<string, string | null>;
}) {
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | undefined>();
  const save = useMutation({
    mutationFn: (name: string) =>
      api.put(`${mappingsPath(schoolId)}/${encodeURIComponent(name)}`, { template: layout, columns }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: mappingsKey(schoolId) }),
  });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = formText(new FormData(event.currentTarget), 'mappingName').trim();
    const wrong = mappingNameProblem(name);
    setProblem(wrong);
    if (wrong !== undefined) {
      document.getElementById('mappingName')?.focus();
      return;
    }
    save.mutate(name);
  };
  return (
    <section aria-labelledby="save-mapping-title" className="import-save-mapping">
      <h2 id="save-mapping-title">Save this matching for next time</h2>
      <p>
        If your next file has the same columns, choose this mapping when you upload it and the columns will be
        matched the same way. Saving under a name already used replaces that mapping.
      </p>
      <form onSubmit={onSubmit} noValidate>
        {save.isError ? <ErrorNotice error={save.error} title="The mapping could not be saved" /> : null}
        {save.isSuccess ? (
          <Notice tone="success">
            <p>The mapping “{save.variables}” was saved.</p>
          </Notice>
        ) : null}
        <TextField
          id="mappingName"
          label="Name for the mapping"
          hint="For example: SIMS pupil export"
          maxLength={100}
          autoComplete="off"
          error={problem}
        />
        <Button variant="secondary" busy={save.isPending}>
          Save the mapping
        </Button>
      </form>
    </section>
  );
}
