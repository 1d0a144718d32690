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
  TextField,
  type FormProblem,
} from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { Notice } from '../../components/status.tsx';

export function ForgotPasswordPage() {
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const request = useMutation({
    mutationFn: (email: string) => api.post('/api/v1/auth/password-reset', { email }),
    onError: (error) => setProblems(problemsFrom(error, { email: 'Email address' })),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const email = formText(new FormData(event.currentTarget), 'email').trim();
    if (email === '') {
      setProblems([{ field: 'email', message: 'Enter your email address' }]);
      return;
    }
    setProblems([]);
    request.mutate(email);
  };
  if (request.isSuccess) {
    return (
      <Page title="Check your email">
        <Notice tone="success">
          <p>
            If that address belongs to a Haven account, we have sent it a link to choose a new password. The
            link works once, for 60 minutes.
          </p>
        </Notice>
        <p>
          <Link to="/sign-in">Back to sign in</Link>
        </p>
      </Page>
    );
  }
  return (
    <Page title="Reset your password">
      <p>Enter the email address you sign in with. We will send you a link to choose a new password.</p>
      <ErrorSummary problems={problems} />
      <form onSubmit={submit} noValidate>
        <TextField
          id="email"
          label="Email address"
          type="email"
          autoComplete="username"
          spellCheck={false}
          error={problemFor(problems, 'email')}
        />
        <Button busy={request.isPending}>Send the link</Button>
      </form>
      <p>
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </Page>
  );
}
