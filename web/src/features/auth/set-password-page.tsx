import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Static } from 'typebox';
import type { LinkResponse } from '../../../../src/modules/organisations/auth.schema.ts';
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
import { ErrorNotice, Loading } from '../../components/status.tsx';

/** Links carry their token in the fragment (#token=…), which browsers never send to any server. */
function tokenFromFragment(): string {
  return new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
}

/** /reset-password and /set-password: choosing a password from an e-mailed one-time link. */
export function SetPasswordPage() {
  const [token] = useState(tokenFromFragment);
  const navigate = useNavigate();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const link = useQuery({
    queryKey: ['account-link', token],
    queryFn: () => api.post<Static<typeof LinkResponse>>('/api/v1/auth/account-link', { token }),
    enabled: token !== '',
    retry: false,
  });
  const save = useMutation({
    mutationFn: (password: string) => api.post('/api/v1/auth/account-link/password', { token, password }),
    onSuccess: () => navigate('/sign-in?reason=password-set'),
    onError: (error) => setProblems(problemsFrom(error, { password: 'New password' })),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = formText(form, 'password');
    const confirm = formText(form, 'confirm');
    const found: FormProblem[] = [];
    if (password.length < 12) {
      found.push({ field: 'password', message: 'Choose a password of at least 12 characters' });
    }
    if (password !== confirm) {
      found.push({ field: 'confirm', message: 'The two passwords are not the same' });
    }
    setProblems(found);
    if (found.length === 0) {
      save.mutate(password);
    }
  };

  if (token === '' || link.isError) {
    return (
      <Page title="This link does not work">
        {link.isError ? <ErrorNotice error={link.error} title="The link could not be used" /> : null}
        <p>Links work once and expire. Ask for a new one and use the newest email.</p>
        <p>
          <Link to="/forgot-password">Ask for a new link</Link>
        </p>
      </Page>
    );
  }
  if (link.isPending) {
    return <Loading what="your link" />;
  }
  const setup = link.data.purpose === 'account_setup';
  return (
    <Page title={setup ? 'Set up your Haven account' : 'Choose a new password'}>
      <p className="hint">This link works until {formatDateTime(link.data.expiresAt)}.</p>
      <ErrorSummary problems={problems} />
      <form onSubmit={submit} noValidate>
        <TextField
          id="password"
          label="New password"
          type="password"
          autoComplete="new-password"
          hint="At least 12 characters. A few unrelated words make a strong password that is easy to remember."
          error={problemFor(problems, 'password')}
        />
        <TextField
          id="confirm"
          label="Type the new password again"
          type="password"
          autoComplete="new-password"
          error={problemFor(problems, 'confirm')}
        />
        <Button busy={save.isPending}>{setup ? 'Set my password' : 'Change my password'}</Button>
      </form>
    </Page>
  );
}
