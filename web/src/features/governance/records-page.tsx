import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { Page } from '../../components/page.tsx';
import { QueryView } from '../../components/status.tsx';
import { useSchool } from '../../session/session.tsx';
import { governancePath, type SchoolEvidence, type SchoolRopa } from './api.ts';
import { EvidenceSection } from './evidence-section.tsx';
import { RopaSection } from './ropa-section.tsx';
import '../privacy/privacy.css';

/** A school's data protection records (privacy.manage): the record of processing and the evidence report. */
export function RecordsPage() {
  const school = useSchool();
  const ropa = useQuery({
    queryKey: ['governance', school.id, 'ropa'],
    queryFn: () => api.get<SchoolRopa>(`${governancePath(school.id)}/ropa`),
  });
  const evidence = useQuery({
    queryKey: ['governance', school.id, 'evidence'],
    queryFn: () => api.get<SchoolEvidence>(`${governancePath(school.id)}/evidence`),
  });
  return (
    <Page title="Data protection records" caption={school.name}>
      <p>
        Haven keeps these records from the system itself, so they are current whenever you open them: what
        Haven does with your school’s data as your processor, and the evidence that it keeps its promises.
      </p>
      <div className="no-print">
        <button type="button" className="button button--secondary" onClick={() => window.print()}>
          Print these records
        </button>{' '}
        <a href={`${governancePath(school.id)}/evidence.html`} download>
          Download the evidence report (HTML file)
        </a>
      </div>
      <QueryView query={ropa} what="the record of processing">
        {(record) => <RopaSection record={record} />}
      </QueryView>
      <QueryView query={evidence} what="the evidence report">
        {(report) => <EvidenceSection evidence={report} />}
      </QueryView>
    </Page>
  );
}
