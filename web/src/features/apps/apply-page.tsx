import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
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
import { Page } from '../../components/page.tsx';
import { Notice } from '../../components/status.tsx';

const LABELS = { email: 'Email address', organisation: 'Organisation', reason: 'What you want to build' };

/** Public: asking to build apps for Haven's schools (the platform operator decides). */
export function ApplyPage() {
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const apply = useMutation({
    mutationFn: (body: { email: string; organisation: string; reason: string }) =>
      api.post('/api/v1/developer-applications', body),
    onError: (error) => setProblems(problemsFrom(error, LABELS)),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const body = {
      email: formText(data, 'email').trim(),
      organisation: formText(data, 'organisation').trim(),
      reason: formText(data, 'reason').trim(),
    };
    const found: FormProblem[] = [];
    if (!body.email.includes('@')) {
      found.push({ field: 'email', message: 'Enter your work email address' });
    }
    if (body.organisation === '') {
      found.push({ field: 'organisation', message: 'Enter your organisation' });
    }
    if (body.reason.length < 10) {
      found.push({ field: 'reason', message: 'Say in a sentence what you want to build' });
    }
    setProblems(found);
    if (found.length === 0) {
      apply.mutate(body);
    }
  };
  if (apply.isSuccess) {
    return (
      <Page title="Application sent">
        <Notice tone="success">
          <p>Thank you. The platform operator will reply by email once they have decided.</p>
        </Notice>
        <p>
          <Link to="/sign-in">Go to sign in</Link>
        </p>
      </Page>
    );
  }
  return (
    <Page title="Build apps for schools on Haven">
      <p>
        Apps on Haven read only the data a school approves, for the purpose they state, and lose access the
        moment a school withdraws it. Tell us who you are and what you want to build.
      </p>
      <ErrorSummary problems={problems} />
      <form onSubmit={submit} noValidate>
        <TextField
          id="email"
          label="Email address"
          type="email"
          autoComplete="email"
          spellCheck={false}
          error={problemFor(problems, 'email')}
        />
        <TextField
          id="organisation"
          label="Organisation"
          autoComplete="organization"
          error={problemFor(problems, 'organisation')}
        />
        <TextArea
          id="reason"
          label="What you want to build"
          rows={4}
          error={problemFor(problems, 'reason')}
        />
        <Button busy={apply.isPending}>Send the application</Button>
      </form>
    </Page>
  );
}
