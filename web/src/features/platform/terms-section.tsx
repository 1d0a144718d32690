import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import {
  Button,
  ErrorSummary,
  formText,
  problemFor,
  problemsFrom,
  TextArea,
  TextField,
  type FormProblem,
} from '../../components/form.tsx';
import { formatDateTime } from '../../components/page.tsx';
import { Notice, QueryView } from '../../components/status.tsx';
import { longDate } from '../privacy/api.ts';
import type { PlatformTerms } from '../terms/api.ts';

const LABELS = {
  version: 'The version',
  summary: 'The summary',
  body: 'The terms',
  effectiveOn: 'The day it takes effect',
};

/** The operator publishes new terms with at least 30 days' notice and sees how schools answered. */
export function TermsSection() {
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const terms = useQuery({
    queryKey: ['platform-terms'],
    queryFn: () => api.get<PlatformTerms>('/api/v1/platform/terms'),
  });
  const publish = useMutation({
    mutationFn: (body: Record<string, string>) => api.post<{ id: string }>('/api/v1/platform/terms', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['platform-terms'] }),
    onError: (error) => setProblems(problemsFrom(error, LABELS)),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const body = Object.fromEntries(
      Object.keys(LABELS).map((field) => [field, formText(data, field).trim()]),
    );
    const missing = Object.entries(LABELS).filter(([field]) => body[field] === '');
    if (missing.length > 0) {
      setProblems(missing.map(([field, label]) => ({ field, message: `${label} is needed` })));
      return;
    }
    setProblems([]);
    publish.mutate(body, { onSuccess: () => form.reset() });
  };
  return (
    <section aria-labelledby="terms-title">
      <h2 id="terms-title">Terms of service</h2>
      <QueryView query={terms} what="the terms">
        {(versions) =>
          versions.length === 0 ? (
            <p>No terms published yet.</p>
          ) : (
            <table className="table">
              <caption>Versions and schools’ answers</caption>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Published</th>
                  <th scope="col">Takes effect</th>
                  <th scope="col" className="numeric">
                    Accepted
                  </th>
                  <th scope="col" className="numeric">
                    Opted out
                  </th>
                </tr>
              </thead>
              <tbody>
                {versions.map((version) => (
                  <tr key={version.id}>
                    <th scope="row">{version.version}</th>
                    <td>{formatDateTime(version.publishedAt)}</td>
                    <td>{longDate(version.effectiveOn)}</td>
                    <td className="numeric">{version.accepted}</td>
                    <td className="numeric">{version.optedOut}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryView>
      <form onSubmit={submit} noValidate aria-labelledby="publish-terms-title">
        <h3 id="publish-terms-title">Publish new terms</h3>
        {publish.isSuccess ? (
          <Notice tone="success">
            <p>Published. Every school’s administrators have been told.</p>
          </Notice>
        ) : null}
        <ErrorSummary problems={problems} />
        <TextField
          id="version"
          label="Version"
          className="input input--narrow"
          error={problemFor(problems, 'version')}
        />
        <TextArea id="summary" label="What changes, in plain words" error={problemFor(problems, 'summary')} />
        <TextArea id="body" label="The full terms" rows={8} error={problemFor(problems, 'body')} />
        <TextField
          id="effectiveOn"
          label="Takes effect on"
          hint="At least 30 days from today: schools may opt out before then."
          type="date"
          className="input input--narrow"
          error={problemFor(problems, 'effectiveOn')}
        />
        <Button busy={publish.isPending}>Publish the terms</Button>
      </form>
    </section>
  );
}
