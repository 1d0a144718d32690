import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import {
  Button,
  ErrorSummary,
  formText,
  problemFor,
  problemsFrom,
  TextField,
  type FormProblem,
} from '../../components/form.tsx';
import { formatDateTime, Page } from '../../components/page.tsx';
import { ErrorNotice, Notice, QueryView } from '../../components/status.tsx';
import { can, useSchool } from '../../session/session.tsx';
import { longDate } from '../privacy/api.ts';
import { STANDING_WORDS, termsKey, type SchoolTerms, type TermsVersion } from './api.ts';

function Answer({
  version,
  schoolId,
  schoolName,
}: {
  version: TermsVersion;
  schoolId: string;
  schoolName: string;
}) {
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [optingOut, setOptingOut] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: termsKey(schoolId) });
  const accept = useMutation({
    mutationFn: () => api.post(`/api/v1/schools/${schoolId}/terms/${version.id}/accept`),
    onSuccess: refresh,
  });
  const optOut = useMutation({
    mutationFn: (confirmName: string) =>
      api.post(`/api/v1/schools/${schoolId}/terms/${version.id}/opt-out`, { confirmName }),
    onSuccess: async () => {
      await refresh();
      await queryClient.invalidateQueries({ queryKey: ['retention', schoolId] });
    },
    onError: (error) => setProblems(problemsFrom(error, { confirmName: 'The school’s name' })),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const typed = formText(new FormData(event.currentTarget), `confirm-${version.id}`).trim();
    if (typed.toLowerCase() !== schoolName.trim().toLowerCase()) {
      setProblems([{ field: `confirm-${version.id}`, message: `Type ${schoolName} exactly to confirm` }]);
      return;
    }
    optOut.mutate(typed);
  };
  return (
    <>
      {accept.isError ? <ErrorNotice error={accept.error} title="Could not record the answer" /> : null}
      <div className="button-group">
        <Button type="button" busy={accept.isPending} onClick={() => accept.mutate()}>
          Accept version {version.version}
        </Button>
        <Button type="button" variant="link" onClick={() => setOptingOut(true)}>
          Opt out instead
        </Button>
      </div>
      {optingOut ? (
        <form onSubmit={submit} noValidate>
          <ErrorSummary problems={problems} />
          <p>
            Opting out means your school leaves Haven: every app loses access at once and all of the school’s
            data is deleted within 5 working days.
          </p>
          <TextField
            id={`confirm-${version.id}`}
            label={`To confirm, type the school’s name: ${schoolName}`}
            autoComplete="off"
            error={problemFor(problems, `confirm-${version.id}`)}
          />
          <Button variant="warning" busy={optOut.isPending}>
            Opt out and leave Haven
          </Button>
        </form>
      ) : null}
    </>
  );
}

function Version({
  version,
  schoolId,
  schoolName,
  mayAnswer,
}: {
  version: TermsVersion;
  schoolId: string;
  schoolName: string;
  mayAnswer: boolean;
}) {
  return (
    <section aria-labelledby={`terms-${version.id}`} className="retention-section">
      <h2 id={`terms-${version.id}`}>
        Version {version.version}: {STANDING_WORDS[version.standing].toLowerCase()}
      </h2>
      <p>
        Published {formatDateTime(version.publishedAt)}; takes effect on {longDate(version.effectiveOn)}.
      </p>
      <p>
        <strong>What changes:</strong> {version.summary}
      </p>
      <details>
        <summary>Read the full terms</summary>
        <div className="terms-body">{version.body}</div>
      </details>
      {version.response === null ? (
        version.standing === 'upcoming' && mayAnswer ? (
          <Answer version={version} schoolId={schoolId} schoolName={schoolName} />
        ) : (
          <p className="hint">Your school has not answered this version.</p>
        )
      ) : (
        <Notice tone={version.response === 'accepted' ? 'info' : 'warning'}>
          <p>
            Your school {version.response === 'accepted' ? 'accepted' : 'opted out of'} this version on{' '}
            {formatDateTime(version.respondedAt)}.
          </p>
        </Notice>
      )}
    </section>
  );
}

/** The terms of service: in force and upcoming, with the school's answers (admins accept or opt out). */
export function TermsPage() {
  const school = useSchool();
  const terms = useQuery({
    queryKey: termsKey(school.id),
    queryFn: () => api.get<SchoolTerms>(`/api/v1/schools/${school.id}/terms`),
  });
  return (
    <Page title="Terms of service" caption={school.name}>
      <QueryView query={terms} what="the terms">
        {(found) =>
          found.length === 0 ? (
            <p>No terms have been published on this Haven yet.</p>
          ) : (
            found.map((version) => (
              <Version
                key={version.id}
                version={version}
                schoolId={school.id}
                schoolName={school.name}
                mayAnswer={can(school, 'users.manage')}
              />
            ))
          )
        }
      </QueryView>
    </Page>
  );
}
