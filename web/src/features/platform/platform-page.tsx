import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { Static } from 'typebox';
import type {
  KeyStatusResponse,
  PlatformSchool,
} from '../../../../src/modules/organisations/organisations.schema.ts';
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
import { formatDate, Page } from '../../components/page.tsx';
import { Notice, QueryView } from '../../components/status.tsx';
import { BackupsSection } from './backups-section.tsx';
import { DevelopersSection } from './developers-section.tsx';
import { MarketingSection } from './marketing-section.tsx';
import { PrivacyRoutingSection } from './privacy-routing-section.tsx';
import { RetentionSection } from './retention-section.tsx';
import { TermsSection } from './terms-section.tsx';

type Schools = Array<Static<typeof PlatformSchool>>;
type Keys = Static<typeof KeyStatusResponse>;

const LABELS = {
  name: 'School name',
  urn: 'URN',
  laCode: 'LA code',
  establishmentNumber: 'Establishment number',
  adminEmail: 'Administrator’s email',
};

function AddSchool() {
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const add = useMutation({
    mutationFn: (body: Record<string, string>) => api.post<{ id: string }>('/api/v1/platform/schools', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['platform'] }),
    onError: (error) => setProblems(problemsFrom(error, LABELS)),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const body: Record<string, string> = {};
    for (const field of Object.keys(LABELS)) {
      const value = formText(data, field).trim();
      if (value !== '') {
        body[field] = value;
      }
    }
    if (body.name === undefined) {
      setProblems([{ field: 'name', message: 'Enter the school’s name' }]);
      return;
    }
    setProblems([]);
    add.mutate(body, { onSuccess: () => form.reset() });
  };
  return (
    <section aria-labelledby="add-school-title">
      <h2 id="add-school-title">Add a school</h2>
      <p>
        The school gets its own encryption keys. Its administrator is emailed a link to set up their account.
      </p>
      {add.isSuccess ? (
        <Notice tone="success">
          <p>The school has been added.</p>
        </Notice>
      ) : null}
      <ErrorSummary problems={problems} />
      <form onSubmit={submit} noValidate>
        <TextField id="name" label="School name" error={problemFor(problems, 'name')} />
        <TextField
          id="urn"
          label="URN (optional)"
          hint="The 6-digit Unique Reference Number from Get Information about Schools."
          inputMode="numeric"
          className="input input--narrow"
          error={problemFor(problems, 'urn')}
        />
        <TextField
          id="laCode"
          label="LA code (optional)"
          inputMode="numeric"
          className="input input--narrow"
          error={problemFor(problems, 'laCode')}
        />
        <TextField
          id="establishmentNumber"
          label="Establishment number (optional)"
          inputMode="numeric"
          className="input input--narrow"
          error={problemFor(problems, 'establishmentNumber')}
        />
        <TextField
          id="adminEmail"
          label="Administrator’s email (optional)"
          type="email"
          spellCheck={false}
          error={problemFor(problems, 'adminEmail')}
        />
        <Button busy={add.isPending}>Add school</Button>
      </form>
    </section>
  );
}

function KeyStatus({ schools }: { schools: Schools }) {
  const keys = useQuery({
    queryKey: ['platform', 'keys'],
    queryFn: () => api.get<Keys>('/api/v1/platform/keys'),
  });
  const nameOf = (id: string) => schools.find((school) => school.id === id)?.name ?? id;
  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">Encryption keys</h2>
      <QueryView query={keys} what="key status">
        {(status) => {
          const missing = status.masterKeysInUse.filter((key) => !key.loaded);
          return (
            <>
              <p>
                Current master key: <code>{status.currentMasterKeyId}</code>. Key material is never shown.
              </p>
              {missing.length > 0 ? (
                <Notice tone="warning" title="A master key is not loaded">
                  <p>
                    School keys wrapped by {missing.map((key) => key.id).join(', ')} cannot be read until that
                    master key is supplied. See docs/encryption.md.
                  </p>
                </Notice>
              ) : null}
              <div className="table-wrapper">
                <table className="table">
                  <caption>Keys by school</caption>
                  <thead>
                    <tr>
                      <th scope="col">School</th>
                      <th scope="col">Key</th>
                      <th scope="col">State</th>
                      <th scope="col">Master key</th>
                      <th scope="col" className="numeric">
                        Pupil keys wrapped
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {status.schools.flatMap((school) =>
                      school.keys.map((key) => (
                        <tr key={`${school.schoolId}${key.purpose}${key.version}`}>
                          <td>
                            {nameOf(school.schoolId)}
                            {school.rotationInProgress ? ' (rotation in progress)' : ''}
                          </td>
                          <td>
                            {key.purpose} v{key.version}
                          </td>
                          <td>{key.state}</td>
                          <td>
                            <code>{key.masterKeyId}</code>
                          </td>
                          <td className="numeric">{key.purpose === 'data' ? key.subjectKeys : '—'}</td>
                        </tr>
                      )),
                    )}
                  </tbody>
                </table>
              </div>
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

/** The platform operator's home: the schools on the platform and the health of their keys. */
export function PlatformPage() {
  const schools = useQuery({
    queryKey: ['platform', 'schools'],
    queryFn: () => api.get<Schools>('/api/v1/platform/schools'),
  });
  return (
    <Page title="Platform">
      <p>You run this Haven platform. You see schools and keys, never pupils’ data.</p>
      <p>
        <Link to="/platform/breaches">Breach register</Link>: record personal data breaches, tell the schools
        affected and keep the 72-hour clock.
      </p>
      <p>
        <Link to="/platform/data-protection">Data protection records</Link>: the record of processing and the
        compliance evidence for the annual audit.
      </p>
      <QueryView query={schools} what="schools">
        {(list) => (
          <>
            <div className="table-wrapper">
              <table className="table">
                <caption>Schools ({list.length})</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">URN</th>
                    <th scope="col">LA / establishment</th>
                    <th scope="col">Status</th>
                    <th scope="col">Added</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((school) => (
                    <tr key={school.id}>
                      <td>{school.name}</td>
                      <td>{school.urn ?? '—'}</td>
                      <td>
                        {school.laCode ?? '—'}/{school.establishmentNumber ?? '—'}
                      </td>
                      <td>{school.status}</td>
                      <td>{formatDate(school.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <AddSchool />
            <KeyStatus schools={list} />
            <BackupsSection />
            <DevelopersSection />
            <MarketingSection />
            <PrivacyRoutingSection schools={list} />
            <RetentionSection />
            <TermsSection />
          </>
        )}
      </QueryView>
    </Page>
  );
}
