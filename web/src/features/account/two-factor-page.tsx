import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { Static } from 'typebox';
import type {
  EnrolmentResponse,
  RecoveryCodesResponse,
} from '../../../../src/modules/organisations/auth.schema.ts';
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
import { ErrorNotice, Notice } from '../../components/status.tsx';
import { ME_KEY, useSession } from '../../session/session.tsx';

type Enrolment = Static<typeof EnrolmentResponse>;
const LABELS = { code: 'Code', password: 'Password' };

function codeAndPassword(event: FormEvent<HTMLFormElement>): {
  code: string;
  password: string;
  problems: FormProblem[];
} {
  const data = new FormData(event.currentTarget);
  const code = formText(data, 'code').trim();
  const password = formText(data, 'password');
  const problems: FormProblem[] = [];
  if (code === '') {
    problems.push({ field: 'code', message: 'Enter the code from your authenticator app' });
  }
  if (password === '') {
    problems.push({ field: 'password', message: 'Enter your password' });
  }
  return { code, password, problems };
}

/** Both changes to two-factor sign-in ask for a current code and the password. */
function CodeAndPassword({ problems, codeLabel }: { problems: FormProblem[]; codeLabel: string }) {
  return (
    <>
      <TextField
        id="code"
        label={codeLabel}
        autoComplete="one-time-code"
        spellCheck={false}
        error={problemFor(problems, 'code')}
      />
      <TextField
        id="password"
        label="Your password"
        type="password"
        autoComplete="current-password"
        error={problemFor(problems, 'password')}
      />
    </>
  );
}

function QrCode({ uri }: { uri: string }) {
  const [svg, setSvg] = useState<string>();
  useEffect(() => {
    // Loaded on this page only: the QR encoder is not needed anywhere else.
    void import('qrcode').then(({ toString }) => toString(uri, { type: 'svg', margin: 2 })).then(setSvg);
  }, [uri]);
  return svg === undefined ? null : (
    <img
      className="qr-code"
      src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`}
      alt="QR code to scan with your authenticator app (the key below does the same)"
      width={200}
      height={200}
    />
  );
}

/** Shown once, straight after two-factor sign-in is turned on. */
function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <>
      <Notice tone="success" title="Two-factor sign-in is on">
        <p>From now on Haven asks for a code from your app when you sign in.</p>
      </Notice>
      <h2>Your recovery codes</h2>
      <p>
        Keep these somewhere safe, away from your phone. Each works once if you lose your device. They will
        not be shown again.
      </p>
      <ul className="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <p>
        <Link to="/account">Back to your account</Link>
      </p>
    </>
  );
}

function TurnOn({ onEnabled }: { onEnabled: (codes: string[]) => void }) {
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const start = useMutation({ mutationFn: () => api.post<Enrolment>('/api/v1/auth/two-factor/setup') });
  const confirm = useMutation({
    mutationFn: (body: { code: string; password: string }) =>
      api.post<Static<typeof RecoveryCodesResponse>>('/api/v1/auth/two-factor/confirm', body),
    onSuccess: async (data) => {
      onEnabled(data.recoveryCodes);
      await queryClient.invalidateQueries({ queryKey: ME_KEY });
    },
    onError: (error) => setProblems(problemsFrom(error, LABELS)),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { code, password, problems: found } = codeAndPassword(event);
    setProblems(found);
    if (found.length === 0) {
      confirm.mutate({ code, password });
    }
  };
  if (!start.isSuccess) {
    return (
      <>
        <p>
          Two-factor sign-in protects your pupils’ data if your password is ever guessed or stolen. You need
          an authenticator app on your phone, such as Microsoft Authenticator or Google Authenticator.
        </p>
        {start.isError ? <ErrorNotice error={start.error} /> : null}
        <Button type="button" busy={start.isPending} onClick={() => start.mutate()}>
          Set up two-factor sign-in
        </Button>
      </>
    );
  }
  return (
    <>
      <h2>1. Add Haven to your authenticator app</h2>
      <p>Scan this QR code with the app.</p>
      <QrCode uri={start.data.otpauthUri} />
      <p>
        Or enter this key by hand: <code className="secret">{start.data.secret}</code>
      </p>
      <h2>2. Enter the code the app shows</h2>
      <ErrorSummary problems={problems} />
      <form onSubmit={submit} noValidate>
        <CodeAndPassword problems={problems} codeLabel="Code from your app" />
        <Button busy={confirm.isPending}>Turn on two-factor sign-in</Button>
      </form>
    </>
  );
}

function TurnOff() {
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const disable = useMutation({
    mutationFn: (body: { code: string; password: string }) =>
      api.post('/api/v1/auth/two-factor/disable', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ME_KEY }),
    onError: (error) => setProblems(problemsFrom(error, LABELS)),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { code, password, problems: found } = codeAndPassword(event);
    setProblems(found);
    if (found.length === 0) {
      disable.mutate({ code, password });
    }
  };
  return (
    <>
      <Notice tone="success">
        <p>Two-factor sign-in is on for your account.</p>
      </Notice>
      <h2>Turn it off</h2>
      <p>Some schools require two-factor sign-in: without it you will not be able to open their data.</p>
      <ErrorSummary problems={problems} />
      <form onSubmit={submit} noValidate>
        <CodeAndPassword problems={problems} codeLabel="Code from your app, or a recovery code" />
        <Button variant="warning" busy={disable.isPending}>
          Turn off two-factor sign-in
        </Button>
      </form>
    </>
  );
}

export function TwoFactorPage() {
  const me = useSession();
  // The codes stay on screen after the account (re-read) says two-factor is on, until the person leaves.
  const [codes, setCodes] = useState<string[]>();
  return (
    <Page title="Two-factor sign-in">
      {codes !== undefined ? (
        <RecoveryCodes codes={codes} />
      ) : me.twoFactor ? (
        <TurnOff />
      ) : (
        <TurnOn onEnabled={setCodes} />
      )}
    </Page>
  );
}
