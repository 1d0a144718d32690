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
import { useSession } from '../../session/session.tsx';

const ROLE_NAMES: Record<string, string> = {
  platform_operator: 'Platform operator',
  trust_leader: 'Trust leader',
  school_admin: 'School administrator',
  data_manager: 'Data manager',
  senior_leader: 'Senior leader',
  teacher: 'Teacher',
  virtual_school_head: 'Virtual school head',
  virtual_school_officer: 'Virtual school officer',
  designated_teacher: 'Designated teacher',
  dpo: 'Data protection officer',
  social_worker: 'Social worker',
  app_developer: 'App developer',
  support_engineer: 'Support engineer',
};

export function roleName(role: string): string {
  return ROLE_NAMES[role] ?? role.replaceAll('_', ' ');
}

function ChangePassword() {
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const change = useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      api.post('/api/v1/auth/password', body),
    onError: (error) =>
      setProblems(problemsFrom(error, { currentPassword: 'Current password', newPassword: 'New password' })),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const currentPassword = formText(data, 'currentPassword');
    const newPassword = formText(data, 'newPassword');
    const found: FormProblem[] = [];
    if (currentPassword === '') {
      found.push({ field: 'currentPassword', message: 'Enter your current password' });
    }
    if (newPassword.length < 12) {
      found.push({ field: 'newPassword', message: 'Choose a new password of at least 12 characters' });
    }
    setProblems(found);
    if (found.length === 0) {
      change.mutate({ currentPassword, newPassword }, { onSuccess: () => form.reset() });
    }
  };
  return (
    <section aria-labelledby="password-title">
      <h2 id="password-title">Change your password</h2>
      {change.isSuccess ? (
        <Notice tone="success">
          <p>Your password has been changed. Your other sessions have been signed out.</p>
        </Notice>
      ) : null}
      <ErrorSummary problems={problems} />
      <form onSubmit={submit} noValidate>
        <TextField
          id="currentPassword"
          label="Current password"
          type="password"
          autoComplete="current-password"
          error={problemFor(problems, 'currentPassword')}
        />
        <TextField
          id="newPassword"
          label="New password"
          type="password"
          autoComplete="new-password"
          hint="At least 12 characters."
          error={problemFor(problems, 'newPassword')}
        />
        <Button busy={change.isPending}>Change password</Button>
      </form>
    </section>
  );
}

export function AccountPage() {
  const me = useSession();
  return (
    <Page title="Your account">
      <dl className="summary-list">
        <div>
          <dt>Email address</dt>
          <dd>{me.email}</dd>
        </div>
        <div>
          <dt>Roles</dt>
          <dd>
            <ul className="plain-list">
              {me.memberships.map((membership) => (
                <li key={`${membership.orgId}${membership.role}`}>
                  {roleName(membership.role)}, {membership.orgName}
                </li>
              ))}
            </ul>
          </dd>
        </div>
        <div>
          <dt>Two-factor sign-in</dt>
          <dd>
            {me.twoFactor ? 'On' : 'Off'} –{' '}
            <Link to="/account/two-factor">{me.twoFactor ? 'Manage' : 'Turn on'}</Link>
          </dd>
        </div>
        <div>
          <dt>Where you are signed in</dt>
          <dd>
            <Link to="/account/sessions">See and end your sessions</Link>
          </dd>
        </div>
      </dl>
      <ChangePassword />
    </Page>
  );
}
