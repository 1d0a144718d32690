import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Static } from 'typebox';
import type { FormWording, MessageResponse } from '../../../../src/modules/privacy/marketing.schema.ts';
import { api, ApiError } from '../../api/client.ts';
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
import { Notice, QueryView } from '../../components/status.tsx';
import './marketing.css';

type Wording = Static<typeof FormWording>;
type FormName = Wording['form'];

const LABELS = {
  name: 'Your name',
  email: 'Email address',
  message: 'Your message',
  consents: 'Your choice',
};

const INTRO: Record<FormName, { title: string; text: string }> = {
  contact_page: {
    title: 'Contact Haven',
    text: 'Ask for a demonstration, ask us a question, or sign up for our newsletter. We will e-mail you only about what you tick.',
  },
  newsletter_page: {
    title: 'The Haven newsletter',
    text: 'News about Haven for schools, trusts and local authorities, about once a month.',
  },
};

/** One unticked box per purpose, labelled with the exact wording whose version is sent back. */
function ConsentBoxes({ wording, error }: { wording: Wording; error: string | undefined }) {
  return (
    <fieldset className="marketing-fieldset" aria-describedby="consents-hint">
      <legend className="marketing-fieldset__legend">What may we e-mail you about?</legend>
      <p id="consents-hint" className="hint">
        Tick each one you agree to; nothing is ticked for you. Every e-mail we send has a link to stop it.
      </p>
      {error === undefined ? null : (
        <p className="field-error">
          <span className="visually-hidden">Error:</span> {error}
        </p>
      )}
      {wording.consents.map((consent) => (
        <div className="checkbox" key={consent.purpose}>
          <input id={`consent-${consent.purpose}`} name={`consent-${consent.purpose}`} type="checkbox" />
          <label htmlFor={`consent-${consent.purpose}`}>{consent.text}</label>
        </div>
      ))}
    </fieldset>
  );
}

function ContactForm({ wording }: { wording: Wording }) {
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [refusal, setRefusal] = useState<string | undefined>();
  const firstBox = `consent-${wording.consents[0]?.purpose ?? ''}`;
  const send = useMutation({
    mutationFn: (body: object) =>
      api.post<Static<typeof MessageResponse>>('/api/v1/marketing/contacts', body),
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'not_contactable') {
        setRefusal(error.message);
        return;
      }
      setProblems(
        problemsFrom(error, LABELS).map((problem) =>
          problem.field === 'consents' ? { ...problem, field: firstBox } : problem,
        ),
      );
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const consents = wording.consents
      .filter((consent) => data.get(`consent-${consent.purpose}`) === 'on')
      .map(({ purpose, version }) => ({ purpose, version }));
    const body = {
      form: wording.form,
      name: formText(data, 'name').trim(),
      email: formText(data, 'email').trim(),
      message: formText(data, 'message').trim(),
      consents,
    };
    const found: FormProblem[] = [];
    if (body.name === '') {
      found.push({ field: 'name', message: 'Enter your name' });
    }
    if (!body.email.includes('@')) {
      found.push({ field: 'email', message: 'Enter your email address' });
    }
    if (consents.length === 0) {
      found.push({ field: firstBox, message: 'Tick at least one box: we need your agreement to e-mail you' });
    }
    setProblems(found);
    setRefusal(undefined);
    if (found.length === 0) {
      send.mutate(body);
    }
  };
  if (send.isSuccess) {
    return (
      <Notice tone="success" title="Thank you">
        <p>{send.data.message}</p>
      </Notice>
    );
  }
  return (
    <>
      <ErrorSummary problems={problems} />
      <ErrorSummary
        title="We will not contact this address"
        problems={refusal === undefined ? [] : [{ message: refusal }]}
      />
      <form onSubmit={submit} noValidate>
        <TextField id="name" label="Your name" autoComplete="name" error={problemFor(problems, 'name')} />
        <TextField
          id="email"
          label="Email address"
          type="email"
          autoComplete="email"
          spellCheck={false}
          error={problemFor(problems, 'email')}
        />
        {wording.form === 'contact_page' ? (
          <TextArea
            id="message"
            label="Your message (optional)"
            hint="What you would like to see or ask. Please do not include anything about pupils."
            rows={4}
            maxLength={2000}
            error={problemFor(problems, 'message')}
          />
        ) : null}
        <ConsentBoxes wording={wording} error={problemFor(problems, firstBox)} />
        <p>
          We keep your name and address encrypted and use them only for what you tick. If you unsubscribe from
          everything we delete them, and keep only a coded fingerprint of the address so that we never contact
          it again.
        </p>
        <Button busy={send.isPending}>Send</Button>
      </form>
    </>
  );
}

function MarketingFormPage({ form }: { form: FormName }) {
  const wording = useQuery({
    queryKey: ['marketing-form', form],
    queryFn: () => api.get<Wording>(`/api/v1/marketing/forms/${form}`),
  });
  return (
    <Page title={INTRO[form].title}>
      <p>{INTRO[form].text}</p>
      <QueryView query={wording} what="the form">
        {(data) => <ContactForm wording={data} />}
      </QueryView>
    </Page>
  );
}

/** Public: /contact — demonstrations, enquiries and the newsletter, each with its own consent. */
export function ContactPage() {
  return <MarketingFormPage form="contact_page" />;
}

/** Public: /newsletter — the newsletter sign-up alone. */
export function NewsletterPage() {
  return <MarketingFormPage form="newsletter_page" />;
}
