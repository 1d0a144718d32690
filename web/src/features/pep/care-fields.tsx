import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { problemFor, SelectField, TextField, type FormProblem } from '../../components/form.tsx';
import { Loading } from '../../components/status.tsx';
import { isPlacement, PLACEMENT_NAMES, type ChildFull, type Scope, type StaffOption } from './api.ts';

export const CARE_LABELS: Record<string, string> = {
  'care-placementType': 'Placement',
  'care-carer': 'Carer',
  'care-socialWorker': 'Social worker',
  socialWorkerId: 'Social worker’s Haven account',
};

const PLACEMENT_OPTIONS = Object.entries(PLACEMENT_NAMES).map(([value, label]) => ({ value, label }));

/** The social workers of the authority with a Haven account, for allocating a child to one. */
export function useSocialWorkers(scope: Scope) {
  return useQuery({
    queryKey: ['pep', scope.orgId, 'social-workers'],
    queryFn: () => api.get<StaffOption[]>(`${scope.api}/social-workers`),
    enabled: scope.kind === 'authority',
  });
}

/** Placement, carer and social worker: the same fields when adding a child and editing their care details. */
export function CareFields({
  scope,
  problems,
  current,
}: {
  scope: Scope;
  problems: FormProblem[];
  current?: Pick<ChildFull, 'care' | 'socialWorkerId'>;
}) {
  const workers = useSocialWorkers(scope);
  return (
    <>
      <SelectField
        id="care-placementType"
        label="Placement"
        options={PLACEMENT_OPTIONS}
        defaultValue={current?.care.placementType ?? 'foster_care'}
        error={problemFor(problems, 'care-placementType')}
      />
      <TextField
        id="care-carer"
        label="Carer"
        hint="Who the child lives with, as the school should know them (for example “Mr and Mrs Patel, foster carers”)."
        autoComplete="off"
        defaultValue={current?.care.carer ?? ''}
        error={problemFor(problems, 'care-carer')}
      />
      <TextField
        id="care-socialWorker"
        label="Social worker"
        hint="Their name and how to contact them."
        autoComplete="off"
        defaultValue={current?.care.socialWorker ?? ''}
        error={problemFor(problems, 'care-socialWorker')}
      />
      {workers.isPending ? (
        <Loading what="the social workers" />
      ) : (
        <SelectField
          id="socialWorkerId"
          label="Social worker’s Haven account (optional)"
          hint="A social worker with an account sees this child’s PEPs and can fill in their sections."
          options={[
            { value: '', label: 'None: they do not use Haven' },
            ...(workers.data ?? []).map((worker) => ({ value: worker.id, label: worker.email })),
          ]}
          defaultValue={current?.socialWorkerId ?? ''}
          error={problemFor(problems, 'socialWorkerId')}
        />
      )}
    </>
  );
}

/** The care fields of a submitted form, as the API's CareDetails and socialWorkerId. */
export function careFrom(form: FormData): {
  care: { placementType: ChildFull['care']['placementType']; carer: string; socialWorker: string };
  socialWorkerId: string | null;
} {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value.trim() : '';
  };
  const placement = text('care-placementType');
  return {
    care: {
      placementType: isPlacement(placement) ? placement : 'other',
      carer: text('care-carer'),
      socialWorker: text('care-socialWorker'),
    },
    socialWorkerId: text('socialWorkerId') === '' ? null : text('socialWorkerId'),
  };
}
