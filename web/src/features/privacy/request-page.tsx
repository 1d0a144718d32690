import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import { formatDateTime, Page } from '../../components/page.tsx';
import { Notice, QueryView } from '../../components/status.tsx';
import { useSchool } from '../../session/session.tsx';
import {
  dueInWords,
  eventName,
  IDENTITY_NAMES,
  KIND_NAMES,
  longDate,
  PAUSE_NAMES,
  RELATIONSHIP_NAMES,
  requestKey,
  requestPath,
  STATUS_NAMES,
  SUBJECT_TYPE_NAMES,
  timeLeft,
  type Details,
} from './api.ts';
import { RequestActions } from './request-actions.tsx';
import { useStaffList } from './staff-picker.tsx';
import './privacy.css';

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** A member of staff by their e-mail when the staff list is to hand, else by their user id. */
function StaffSubject({ subjectId }: { subjectId: string | null }) {
  const school = useSchool();
  const { staff } = useStaffList(school);
  if (subjectId === null) {
    return <>A member of staff, not yet linked</>;
  }
  const email = staff.data?.find((member) => member.userId === subjectId)?.email;
  return <>{email ?? `A member of staff (id ${subjectId})`}</>;
}

function Subject({ request, schoolId }: { request: Details; schoolId: string }) {
  const type = SUBJECT_TYPE_NAMES[request.subjectType];
  if (request.subjectType === 'staff') {
    return <StaffSubject subjectId={request.subjectId} />;
  }
  if (request.subjectType !== 'pupil') {
    return <>{type}</>;
  }
  if (request.subjectId === null) {
    return <>A pupil, not yet linked to their record</>;
  }
  if (request.subjectLabel === null) {
    return <>A pupil whose record has been erased</>;
  }
  return <Link to={`/schools/${schoolId}/pupils/${request.subjectId}`}>{request.subjectLabel}</Link>;
}

function Summary({ request, schoolId }: { request: Details; schoolId: string }) {
  const urgent = request.urgency === 'overdue' || request.urgency === 'due_soon';
  return (
    <dl className="summary-list">
      <Row label="Reference">{request.reference}</Row>
      <Row label="What they asked for">{KIND_NAMES[request.kind]}</Row>
      <Row label="Status">{STATUS_NAMES[request.status]}</Row>
      <Row label="About">
        <Subject request={request} schoolId={schoolId} />
      </Row>
      <Row label="Asked by">
        {request.requester.name} ({RELATIONSHIP_NAMES[request.requester.relationship]})
        <br />
        <span className="pre-line">{request.requester.contact}</span>
      </Row>
      <Row label="Received">
        {longDate(request.receivedOn)}
        {request.receivedVia === 'platform'
          ? ', received via the platform (Haven passed it on; identify the pupil and check who asked)'
          : ''}
      </Row>
      <Row label="Due">
        <span className={urgent ? 'urgent' : undefined}>{dueInWords(request)}</span>
      </Row>
      {request.pausedSince === null ? null : (
        <Row label="Clock stopped">
          Since {longDate(request.pausedSince)}
          {request.pauseReason === null ? '' : `, ${PAUSE_NAMES[request.pauseReason]}`}
        </Row>
      )}
      {request.extensionMonths === 0 ? null : (
        <Row label="Extension">
          {request.extensionMonths} more month{request.extensionMonths === 1 ? '' : 's'} (first due{' '}
          {longDate(request.firstDueOn)})
        </Row>
      )}
      <Row label="Identity check">{IDENTITY_NAMES[request.identityStatus]}</Row>
      {request.description === null ? null : (
        <Row label="What they asked">
          <span className="pre-line">{request.description}</span>
        </Row>
      )}
      {request.closedAt === null ? null : <Row label="Closed">{formatDateTime(request.closedAt)}</Row>}
    </dl>
  );
}

function statusChange(event: Details['history'][number]): string | undefined {
  if (event.statusTo === null || event.statusTo === event.statusFrom) {
    return undefined;
  }
  return event.statusFrom === null
    ? `Status: ${STATUS_NAMES[event.statusTo]}`
    : `Status: ${STATUS_NAMES[event.statusFrom]} → ${STATUS_NAMES[event.statusTo]}`;
}

function stepName(event: Details['history'][number], subjectType: Details['subjectType']): string {
  return event.kind === 'link_subject' && subjectType === 'staff'
    ? 'Member of staff linked'
    : eventName(event.kind);
}

function History({
  history,
  subjectType,
}: {
  history: Details['history'];
  subjectType: Details['subjectType'];
}) {
  return (
    <ol className="timeline">
      {history.map((event, index) => {
        const change = statusChange(event);
        return (
          // The history only grows, in order: the position is a stable key.
          // oxlint-disable-next-line react/no-array-index-key
          <li key={index}>
            <span className="timeline__title">{stepName(event, subjectType)}</span>
            <span className="hint">
              {formatDateTime(event.occurredAt)} by {event.actorLabel}
            </span>
            {change === undefined ? null : <p>{change}</p>}
            {event.note === null ? null : <p className="pre-line">Note: {event.note}</p>}
          </li>
        );
      })}
    </ol>
  );
}

function RecordedNotice({ request }: { request: Details }) {
  return (
    <Notice tone="success" title="The request has been recorded">
      <p>
        Its reference is {request.reference}. It must be answered by {longDate(request.dueOn)} (
        {timeLeft(request).toLowerCase()}).
      </p>
    </Notice>
  );
}

function RequestView({ request, schoolId }: { request: Details; schoolId: string }) {
  const location = useLocation();
  const recorded =
    typeof location.state === 'object' &&
    location.state !== null &&
    'recorded' in location.state &&
    location.state.recorded === true;
  const [done, setDone] = useState<string | undefined>(undefined);
  const doneRef = useRef<HTMLOutputElement>(null);
  useEffect(() => {
    if (done !== undefined) {
      doneRef.current?.focus();
    }
  }, [done]);
  return (
    <Page title={`Request ${request.reference}`} caption="Privacy requests">
      {recorded && done === undefined ? <RecordedNotice request={request} /> : null}
      {done === undefined ? null : (
        <output className="notice notice--success" tabIndex={-1} ref={doneRef}>
          <p>{done}</p>
        </output>
      )}
      <Summary request={request} schoolId={schoolId} />
      {request.certificateId === null ? null : (
        <p>
          <Link to={`/schools/${schoolId}/privacy/certificates/${request.certificateId}`}>
            View the certificate of erasure
          </Link>
        </p>
      )}
      <RequestActions request={request} schoolId={schoolId} onDone={setDone} />
      <h2>History</h2>
      <History history={request.history} subjectType={request.subjectType} />
      <p>
        <Link to={`/schools/${schoolId}/privacy`}>Back to privacy requests</Link>
      </p>
    </Page>
  );
}

/** One request: its summary, what can be done next (only what `actions` lists), and its history. */
export function PrivacyRequestPage() {
  const school = useSchool();
  const { requestId = '' } = useParams();
  const request = useQuery({
    queryKey: requestKey(school.id, requestId),
    queryFn: () => api.get<Details>(requestPath(school.id, requestId)),
  });
  return (
    <QueryView query={request} what="the request">
      {(details) => <RequestView request={details} schoolId={school.id} />}
    </QueryView>
  );
}
