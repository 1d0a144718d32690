import { useQuery } from '@tanstack/react-query';
import { useMemo, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import type { Static } from 'typebox';
import type { PupilResponse } from '../../../../src/modules/pupils/pupils.schema.ts';
import { api } from '../../api/client.ts';
import { formatDate, formatNumber, Page } from '../../components/page.tsx';
import { QueryView } from '../../components/status.tsx';
import { can, useSchool } from '../../session/session.tsx';
import { ProcessingLimits } from '../privacy/limits-note.tsx';
import { FlightPath } from './flight-path.tsx';

type Pupil = Static<typeof PupilResponse>;

const yesNo = (value: boolean | null) => (value === null ? 'Not recorded' : value ? 'Yes' : 'No');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Identity({ pupil }: { pupil: Pupil }) {
  const { identity } = pupil;
  if (identity.erased) {
    return (
      <p>
        This pupil’s identifying details have been erased. Their pseudonymised record remains for the school’s
        statistics.
      </p>
    );
  }
  return (
    <dl className="summary-list">
      <Row label="UPN">
        <code>{identity.upn ?? '—'}</code>
      </Row>
      <Row label="Legal name">{[identity.forename, identity.surname].filter(Boolean).join(' ') || '—'}</Row>
      {identity.preferredForename !== null || identity.preferredSurname !== null ? (
        <Row label="Preferred name">{identity.displayName ?? '—'}</Row>
      ) : null}
      <Row label="Date of birth">{formatDate(identity.dob)}</Row>
      {identity.address === null ? null : (
        <Row label="Address">
          <span className="pre-line">{identity.address}</span>
        </Row>
      )}
      {identity.contacts === null || identity.contacts.length === 0 ? null : (
        <Row label="Contacts">
          <ul className="plain-list">
            {identity.contacts.map((contact) => (
              <li key={`${contact.forename ?? ''}${contact.surname ?? ''}${contact.relationship ?? ''}`}>
                {[contact.forename, contact.surname].filter(Boolean).join(' ')}
                {contact.relationship === undefined ? '' : ` (${contact.relationship})`}
                {contact.phones === undefined || contact.phones.length === 0
                  ? ''
                  : `, ${contact.phones.join(', ')}`}
                {contact.email === undefined ? '' : `, ${contact.email}`}
              </li>
            ))}
          </ul>
        </Row>
      )}
    </dl>
  );
}

function Characteristics({ pupil }: { pupil: Pupil }) {
  const c = pupil.characteristics;
  return (
    <dl className="summary-list">
      <Row label="Year group">{c.yearGroup ?? '—'}</Row>
      <Row label="Born">
        {c.birthMonth === null || c.birthYear === null
          ? '—'
          : `${MONTHS[c.birthMonth - 1] ?? ''} ${c.birthYear}`}
      </Row>
      <Row label="Sex">{c.sex === 'F' ? 'Female' : c.sex === 'M' ? 'Male' : 'Not recorded'}</Row>
      <Row label="Ethnicity">
        {c.ethnicity === null ? 'Not recorded' : (c.ethnicity.label ?? c.ethnicity.code)}
      </Row>
      <Row label="Free school meals">{yesNo(c.fsm)}</Row>
      <Row label="FSM in the last 6 years">{yesNo(c.fsm6)}</Row>
      <Row label="Disadvantaged">{yesNo(c.disadvantaged)}</Row>
      <Row label="Pupil premium">{yesNo(c.pupilPremium)}</Row>
      <Row label="SEN provision">{c.sen === null ? 'Not recorded' : (c.sen.label ?? c.sen.code)}</Row>
      <Row label="English as an additional language">{yesNo(c.eal)}</Row>
      <Row label="Gifted and talented">{yesNo(c.gifted)}</Row>
      <Row label="Looked after">{yesNo(c.lookedAfter)}</Row>
      <Row label="Previously looked after">{yesNo(c.previouslyLookedAfter)}</Row>
      <Row label="Service child">{yesNo(c.serviceChild)}</Row>
      <Row label="Enrolment">
        {c.enrolmentStatus === null ? '—' : (c.enrolmentStatus.label ?? c.enrolmentStatus.code)}
        {c.startDate === null ? '' : `, since ${formatDate(c.startDate)}`}
        {c.leaveDate === null ? '' : `, left ${formatDate(c.leaveDate)}`}
      </Row>
    </dl>
  );
}

function PriorAttainment({ pupil }: { pupil: Pupil }) {
  const ks2 = pupil.priorAttainment;
  if (ks2 === null) {
    return <p>No key stage 2 results are recorded.</p>;
  }
  return (
    <table className="table">
      <caption className="visually-hidden">Key stage 2 results</caption>
      <thead>
        <tr>
          <th scope="col">Subject</th>
          <th scope="col" className="numeric">
            Scaled score
          </th>
          <th scope="col">Test outcome</th>
          <th scope="col">Teacher assessment</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">Reading</th>
          <td className="numeric">{formatNumber(ks2.ks2ReadingScore, 0)}</td>
          <td>{ks2.ks2ReadingOutcome ?? '—'}</td>
          <td>{ks2.ks2ReadingTa ?? '—'}</td>
        </tr>
        <tr>
          <th scope="row">Maths</th>
          <td className="numeric">{formatNumber(ks2.ks2MathsScore, 0)}</td>
          <td>{ks2.ks2MathsOutcome ?? '—'}</td>
          <td>{ks2.ks2MathsTa ?? '—'}</td>
        </tr>
      </tbody>
    </table>
  );
}

function Groups({ pupil, schoolId }: { pupil: Pupil; schoolId: string }) {
  if (pupil.classes.length === 0 && pupil.groups.length === 0) {
    return <p>Not in any class or group.</p>;
  }
  return (
    <ul>
      {pupil.classes.map((entry) => (
        <li key={entry.id}>
          {entry.name}
          {entry.subject === null ? '' : ` – ${entry.subject.name}`}
        </li>
      ))}
      {pupil.groups.map((group) => (
        <li key={group.id}>
          {group.name} <span className="hint">(group)</span>
        </li>
      ))}
      <li className="hint">
        <Link to={`/schools/${schoolId}/pupils`}>Back to pupils</Link>
      </li>
    </ul>
  );
}

function PupilRecord({ pupil, schoolId }: { pupil: Pupil; schoolId: string }) {
  const school = useSchool();
  const name = pupil.identity.displayName ?? 'Pupil (name erased)';
  const results = useMemo(() => pupil.results, [pupil.results]);
  return (
    <Page title={name} caption="Pupil record">
      <p className="hint">
        Opening this record is written to the school’s audit log. Pseudonymous id: <code>{pupil.id}</code>
      </p>
      {can(school, 'privacy.manage') ? <ProcessingLimits schoolId={schoolId} pupilId={pupil.id} /> : null}
      <h2>Identity</h2>
      <Identity pupil={pupil} />
      <h2>Characteristics</h2>
      <Characteristics pupil={pupil} />
      <h2>Key stage 2</h2>
      <PriorAttainment pupil={pupil} />
      <h2>Classes and groups</h2>
      <Groups pupil={pupil} schoolId={schoolId} />
      <h2>Results</h2>
      {results.length === 0 ? <p>No results are recorded yet.</p> : <FlightPath results={results} />}
    </Page>
  );
}

export function PupilPage() {
  const school = useSchool();
  const { pupilId = '' } = useParams();
  const pupil = useQuery({
    queryKey: ['pupil', school.id, pupilId],
    queryFn: () => api.get<Pupil>(`/api/v1/schools/${school.id}/pupils/${pupilId}`),
  });
  return (
    <QueryView query={pupil} what="the pupil record">
      {(record) => <PupilRecord pupil={record} schoolId={school.id} />}
    </QueryView>
  );
}
