import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Static } from 'typebox';
import type {
  ContactView,
  MessageResponse,
  SuppressionView,
} from '../../../../src/modules/privacy/marketing.schema.ts';
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
import { formatDate, formatDateTime } from '../../components/page.tsx';
import { ErrorNotice, Notice, QueryView } from '../../components/status.tsx';
import '../marketing/marketing.css';

type Contact = Static<typeof ContactView>;
type Suppression = Static<typeof SuppressionView>;

const SOURCES: Record<string, string> = { contact_page: 'contact page', newsletter_page: 'newsletter page' };
const REASONS: Record<string, string> = {
  unsubscribed: 'Unsubscribed from everything',
  erased: 'Erased',
  operator: 'Added by the operator',
};

const invalidate = (queryClient: ReturnType<typeof useQueryClient>) =>
  queryClient.invalidateQueries({ queryKey: ['platform', 'marketing'] });

function ContactRow({ contact }: { contact: Contact }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const withdraw = useMutation({
    mutationFn: (purpose: string) =>
      api.delete(`/api/v1/platform/marketing/contacts/${contact.id}/consents/${purpose}`),
    onSuccess: () => invalidate(queryClient),
  });
  const erase = useMutation({
    mutationFn: () => api.delete(`/api/v1/platform/marketing/contacts/${contact.id}`),
    onSuccess: () => invalidate(queryClient),
  });
  return (
    <tr>
      <td>
        {contact.name}
        <br />
        {contact.email}
        {contact.message === null ? null : <p className="hint">{contact.message}</p>}
      </td>
      <td>
        <ul className="marketing-consents">
          {contact.consents.map((consent) => (
            <li key={consent.purpose}>
              <strong>{consent.title}</strong> ({consent.wordingVersion},{' '}
              {SOURCES[consent.source] ?? consent.source}, {formatDateTime(consent.grantedAt)}){' '}
              {consent.withdrawnAt === null ? (
                <button
                  type="button"
                  className="button--link"
                  disabled={withdraw.isPending}
                  onClick={() => withdraw.mutate(consent.purpose)}
                >
                  Withdraw
                  <span className="visually-hidden">
                    {' '}
                    {consent.title} for {contact.name}
                  </span>
                </button>
              ) : (
                <span className="tag tag--grey">Withdrawn {formatDate(consent.withdrawnAt)}</span>
              )}
            </li>
          ))}
        </ul>
        {withdraw.isError ? (
          <ErrorNotice error={withdraw.error} title="The consent was not withdrawn" />
        ) : null}
      </td>
      <td>{formatDate(contact.createdAt)}</td>
      <td>
        {erase.isError ? <ErrorNotice error={erase.error} title="The contact was not erased" /> : null}
        {confirming ? (
          <div className="button-group">
            <button
              type="button"
              className="button button--warning button--small"
              disabled={erase.isPending}
              onClick={() => erase.mutate()}
            >
              Yes, erase {contact.name}
            </button>{' '}
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={() => setConfirming(false)}
            >
              Keep
            </button>
          </div>
        ) : (
          <button
            type="button"
            className="button button--warning button--small"
            onClick={() => setConfirming(true)}
          >
            Erase<span className="visually-hidden"> {contact.name}</span>
          </button>
        )}
      </td>
    </tr>
  );
}

function Contacts() {
  const contacts = useQuery({
    queryKey: ['platform', 'marketing', 'contacts'],
    queryFn: () => api.get<Contact[]>('/api/v1/platform/marketing/contacts'),
  });
  return (
    <QueryView query={contacts} what="marketing contacts">
      {(list) =>
        list.length === 0 ? (
          <p>No one has asked to hear from Haven yet.</p>
        ) : (
          <div className="table-wrapper">
            <table className="table">
              <caption>Marketing contacts ({list.length})</caption>
              <thead>
                <tr>
                  <th scope="col">Who</th>
                  <th scope="col">Consents (wording, form, when)</th>
                  <th scope="col">Added</th>
                  <th scope="col">Erase</th>
                </tr>
              </thead>
              <tbody>
                {list.map((contact) => (
                  <ContactRow key={contact.id} contact={contact} />
                ))}
              </tbody>
            </table>
          </div>
        )
      }
    </QueryView>
  );
}

function Suppressions() {
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const entries = useQuery({
    queryKey: ['platform', 'marketing', 'suppressions'],
    queryFn: () => api.get<Suppression[]>('/api/v1/platform/marketing/suppressions'),
  });
  const add = useMutation({
    mutationFn: (email: string) =>
      api.post<Static<typeof MessageResponse>>('/api/v1/platform/marketing/suppressions', { email }),
    onSuccess: () => invalidate(queryClient),
    onError: (error) =>
      setProblems(
        problemsFrom(error, { email: 'The address' }).map((problem) => ({
          field: 'suppress-email',
          message: problem.message,
        })),
      ),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const email = formText(new FormData(form), 'suppress-email').trim();
    if (!email.includes('@')) {
      setProblems([{ field: 'suppress-email', message: 'Enter the address never to contact' }]);
      return;
    }
    setProblems([]);
    add.mutate(email, { onSuccess: () => form.reset() });
  };
  return (
    <>
      <h3>Never contact an address</h3>
      <p>
        For a request by phone or letter. A contact with the address is erased. Only a keyed hash of the
        address is kept, so the list cannot be read back.
      </p>
      {add.isSuccess ? (
        <Notice tone="success">
          <p>{add.data.message}</p>
        </Notice>
      ) : null}
      <ErrorSummary problems={problems} />
      <form onSubmit={submit} noValidate>
        <TextField
          id="suppress-email"
          label="Email address"
          type="email"
          spellCheck={false}
          error={problemFor(problems, 'suppress-email')}
        />
        <Button busy={add.isPending}>Add to the suppression list</Button>
      </form>
      <QueryView query={entries} what="the suppression list">
        {(list) =>
          list.length === 0 ? (
            <p>The suppression list is empty.</p>
          ) : (
            <div className="table-wrapper">
              <table className="table">
                <caption>Suppression list ({list.length})</caption>
                <thead>
                  <tr>
                    <th scope="col">Reference</th>
                    <th scope="col">Why</th>
                    <th scope="col">Since</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((entry) => (
                    <tr key={entry.reference + entry.createdAt}>
                      <td>
                        <code>{entry.reference}</code>
                      </td>
                      <td>{REASONS[entry.reason] ?? entry.reason}</td>
                      <td>{formatDateTime(entry.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
    </>
  );
}

/**
 * The operator's own marketing contacts. Names and addresses are decrypted only when the operator asks
 * to see them, and each time is recorded in the audit log.
 */
export function MarketingSection() {
  const [shown, setShown] = useState(false);
  return (
    <section aria-labelledby="marketing-title">
      <h2 id="marketing-title">Marketing contacts</h2>
      <p>
        People who asked Haven for a demonstration, a reply or the newsletter, with what they agreed to.
        Showing them is recorded in the audit log.
      </p>
      {shown ? (
        <Contacts />
      ) : (
        <button type="button" className="button button--secondary" onClick={() => setShown(true)}>
          Show marketing contacts
        </button>
      )}
      <Suppressions />
    </section>
  );
}
