import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { Button, ErrorSummary, formText, problemsFrom, type FormProblem } from '../../components/form.tsx';
import { Notice } from '../../components/status.tsx';
import { overviewKey, retentionPath, RULE_NAMES, UNIT_NAMES, type Rule } from './api.ts';

function RuleForm({ rule, schoolId }: { rule: Rule; schoolId: string }) {
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const save = useMutation({
    mutationFn: (period: number | null) =>
      api.put<Rule[]>(`${retentionPath(schoolId)}/rules/${rule.id}`, { period }),
    onSuccess: async () => {
      setProblems([]);
      await queryClient.invalidateQueries({ queryKey: overviewKey(schoolId) });
    },
    onError: (error) =>
      setProblems(
        problemsFrom(error, { period: 'The period' }).map((problem) => ({
          ...problem,
          field: problem.field === undefined ? undefined : `period-${rule.id}`,
        })),
      ),
  });
  const inputId = `period-${rule.id}`;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = formText(new FormData(event.currentTarget), inputId).trim();
    const period = Number(text);
    if (text === '' || !Number.isInteger(period)) {
      setProblems([{ field: inputId, message: `Enter a whole number of ${UNIT_NAMES[rule.unit]}` }]);
      return;
    }
    save.mutate(period);
  };
  const error = problems.find((problem) => problem.field === inputId)?.message;
  return (
    <form onSubmit={submit} noValidate aria-label={`Your period: ${RULE_NAMES[rule.id]}`}>
      <ErrorSummary problems={problems} />
      {save.isSuccess ? (
        <Notice tone="success">
          <p>Saved.</p>
        </Notice>
      ) : null}
      <div className="rule-form">
        <div className={`field${error === undefined ? '' : ' field--error'}`}>
          <label className="label" htmlFor={inputId}>
            Your school’s period ({UNIT_NAMES[rule.unit]})
          </label>
          {error === undefined ? null : (
            <p id={`${inputId}-error`} className="field-error">
              {error}
            </p>
          )}
          <input
            id={inputId}
            name={inputId}
            className="input input--narrow"
            inputMode="numeric"
            defaultValue={rule.schoolPeriod ?? ''}
            aria-describedby={error === undefined ? undefined : `${inputId}-error`}
          />
        </div>
        <Button variant="secondary" busy={save.isPending}>
          Save<span className="visually-hidden"> the period for {RULE_NAMES[rule.id]}</span>
        </Button>
        {rule.schoolPeriod === null ? null : (
          <Button type="button" variant="link" onClick={() => save.mutate(null)}>
            {rule.default === null ? 'Turn off' : 'Use Haven’s promise'}
            <span className="visually-hidden"> for {RULE_NAMES[rule.id]}</span>
          </Button>
        )}
      </div>
    </form>
  );
}

/** The rules: Haven's promise, what applies to this school, and the school's own shorter periods. */
export function RulesSection({ rules, schoolId }: { rules: Rule[]; schoolId: string }) {
  return (
    <section aria-labelledby="rules-title">
      <h2 id="rules-title">The rules</h2>
      <p>Your school may make any period shorter (down to a minimum), never longer than Haven’s promise.</p>
      {rules.map((rule) => (
        <div key={rule.id} className="retention-section">
          <h3>{RULE_NAMES[rule.id]}</h3>
          <dl className="summary-list">
            <div>
              <dt>What</dt>
              <dd>{rule.category}</dd>
            </div>
            <div>
              <dt>When</dt>
              <dd>{rule.trigger}</dd>
            </div>
            <div>
              <dt>What happens</dt>
              <dd>{rule.action}</dd>
            </div>
            <div>
              <dt>Haven’s promise</dt>
              <dd>
                {rule.default === null
                  ? 'Off unless your school turns it on'
                  : `${rule.default} ${UNIT_NAMES[rule.unit]}`}
              </dd>
            </div>
            <div>
              <dt>For your school</dt>
              <dd>{rule.inForceText}</dd>
            </div>
          </dl>
          <RuleForm rule={rule} schoolId={schoolId} />
          <p className="hint">
            Shortest allowed: {rule.minimum}
            {rule.default === null ? '' : `; longest: ${rule.default} (Haven’s promise)`}.
          </p>
        </div>
      ))}
    </section>
  );
}
