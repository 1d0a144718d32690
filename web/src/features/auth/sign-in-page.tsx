import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, ApiError } from '../../api/client.ts';
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

const REASONS: Record<string, string> = {
  idle: 'You were signed out because Haven had not been used for a while. Sign in again to carry on.',
  ended: 'Your session has ended. Sign in again to carry on.',
  'signed-out': 'You have signed out.',
  'password-set': 'Your password has been set. Sign in with it now.',
};

/** Only paths of this site: a `next` of another site would make the sign-in page an open redirect. */
function safeNext(next: string | null): string {
  return next !== null && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignInPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [needsCode, setNeedsCode] = useState(false);
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const signIn = useMutation({
    mutationFn: (body: { email: string; password: string; totp?: string }) =>
      api.post('/api/v1/auth/login', body),
    onSuccess: async () => {
      queryClient.clear();
      await navigate(safeNext(params.get('next')), { replace: true });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'totp_required') {
        setNeedsCode(true);
        setProblems([]);
        return;
      }
      setProblems(
        error instanceof ApiError && error.code === 'invalid_totp'
          ? [{ field: 'totp', message: error.message }]
          : problemsFrom(error, { email: 'Email address', password: 'Password' }),
      );
    },
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = formText(form, 'email').trim();
    const password = formText(form, 'password');
    const totp = formText(form, 'totp').trim();
    const missing: FormProblem[] = [];
    if (email === '') {
      missing.push({ field: 'email', message: 'Enter your email address' });
    }
    if (password === '') {
      missing.push({ field: 'password', message: 'Enter your password' });
    }
    if (needsCode && totp === '') {
      missing.push({ field: 'totp', message: 'Enter the code from your authenticator app' });
    }
    setProblems(missing);
    if (missing.length === 0) {
      signIn.mutate(needsCode ? { email, password, totp } : { email, password });
    }
  };

  // When the code is asked for, the cursor goes to its field (the page does not reload).
  useEffect(() => {
    if (needsCode) {
      document.getElementById('totp')?.focus();
    }
  }, [needsCode]);

  const reason = REASONS[params.get('reason') ?? ''];
  return (
    <Page title="Sign in to Haven">
      {reason === undefined ? null : <Notice>{reason}</Notice>}
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
        <TextField
          id="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          error={problemFor(problems, 'password')}
        />
        {needsCode ? (
          <TextField
            id="totp"
            label="Code from your authenticator app"
            hint="The 6-digit code your app shows now, or one of your recovery codes."
            inputMode="numeric"
            autoComplete="one-time-code"
            spellCheck={false}
            error={problemFor(problems, 'totp')}
          />
        ) : null}
        <Button busy={signIn.isPending}>{signIn.isPending ? 'Signing in…' : 'Sign in'}</Button>
      </form>
      <p>
        <Link to="/forgot-password">Forgotten your password?</Link>
      </p>
      <p className="hint">
        Building an app for schools? <Link to="/developers/apply">Ask to become an app developer</Link>.
      </p>
    </Page>
  );
}
