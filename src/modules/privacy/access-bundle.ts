import { ZipFile } from 'yazl';
import { csvDownload } from '../../platform/http/csv.ts';
import type { Plain, SubjectRecord } from './subject-data.ts';

// The access bundle's files: data.json (everything, machine-readable), a CSV per section, and
// report.html, the human-readable answer stating purposes, categories, recipients, retention and source.

export interface BundleContent {
  school: { id: string; name: string };
  subject: { type: 'pupil' | 'staff'; id: string };
  generatedAt: string;
  requestReference: string | null;
  sections: Record<string, SubjectRecord[]>;
  recipients: Array<{ app: string; scopes: string[]; approvedAt: string | null }>;
}

const PUPIL_PURPOSES = [
  'Recording and analysing attainment and progress (Attainment 8, Progress 8, targets) so the school can support the pupil’s learning: the school’s public task under the Education Act 1996.',
  'Sharing with the apps the school has approved, limited to the data each was approved to read.',
  'Answering the pupil’s and their family’s requests about their data, and keeping evidence of what was done (legal obligation under UK GDPR).',
];

const PUPIL_CATEGORIES = [
  'Identity and contact: UPN, names, date of birth, address, contacts (kept encrypted).',
  'Characteristics: year group, month and year of birth, sex, free school meals, disadvantage, SEN provision, English as an additional language, looked-after status.',
  'Special category data: ethnicity (and SEN where it reveals health), used only for the school’s equality monitoring.',
  'Attainment: KS2 prior attainment, grades, targets and predictions.',
];

const STAFF_PURPOSES = [
  'Giving you access to the school’s data in Haven, as your role requires, and keeping that access secure (sign-in, two-factor).',
  'Keeping a tamper-evident record of what is done with pupils’ data, as the school’s accountability under UK GDPR requires.',
];

const STAFF_CATEGORIES = [
  'Account: your work e-mail address (kept encrypted), whether two-factor sign-in is on, your roles.',
  'Sign-in history: when sessions were opened, last used and ended.',
  'Actions recorded in the school’s audit log, by pseudonymous ids of the pupils concerned.',
];

const RETENTION = [
  'While the pupil is on roll, and for former pupils until their 25th birthday, when their personal and sensitive data is deleted.',
  'If the school leaves Haven, its data is deleted within 5 working days; after 12 months of inactivity it is deleted after a warning.',
  'An erasure destroys the pupil’s own encryption key, which puts every backup copy beyond use too; only a pseudonymous id remains in the erasure ledger and audit log.',
];

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

function label(key: string): string {
  return key
    .replaceAll('_', ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/^./, (first) => first.toUpperCase());
}

function cell(value: Plain): string {
  return value === null ? '—' : escapeHtml(String(value));
}

function tableHtml(title: string, records: readonly SubjectRecord[]): string {
  if (records.length === 0) {
    return `<h3>${escapeHtml(label(title))}</h3><p>None held.</p>`;
  }
  const columns = [...new Set(records.flatMap((record) => Object.keys(record)))];
  const head = columns.map((column) => `<th scope="col">${escapeHtml(label(column))}</th>`).join('');
  const rows = records
    .map(
      (record) => `<tr>${columns.map((column) => `<td>${cell(record[column] ?? null)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<h3>${escapeHtml(label(title))}</h3><table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

const list = (items: readonly string[]) =>
  `<ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;

/** The human-readable report (self-contained HTML, no scripts, no outside resources). */
export function reportHtml(content: BundleContent): string {
  const sources = content.sections.sources ?? [];
  const disclosures = content.sections.disclosures ?? [];
  const recipients =
    content.recipients.length === 0
      ? '<p>No app is authorised to read this school’s data.</p>'
      : list(
          content.recipients.map(
            (recipient) =>
              `${recipient.app}: may read ${recipient.scopes.join(', ')}${recipient.approvedAt === null ? '' : ` (approved ${recipient.approvedAt.slice(0, 10)})`}`,
          ),
        );
  const sections = Object.entries(content.sections)
    .map(([name, records]) => tableHtml(name, records))
    .join('\n');
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Your data held by ${escapeHtml(content.school.name)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}table{border-collapse:collapse;margin-bottom:1.5rem}th,td{border:1px solid #888;padding:.25rem .5rem;text-align:left;vertical-align:top}</style>
</head><body>
<h1>The data ${escapeHtml(content.school.name)} holds about this ${content.subject.type === 'staff' ? 'member of staff' : 'pupil'}</h1>
<p>Produced ${escapeHtml(content.generatedAt.slice(0, 10))}${content.requestReference === null ? '' : ` in answer to request ${escapeHtml(content.requestReference)}`}. The school is the controller of this data; Haven stores and processes it on the school’s behalf. The same data is in <code>data.json</code> and the <code>csv</code> folder, for use in other software.</p>
<h2>Why the school holds it</h2>${list(content.subject.type === 'staff' ? STAFF_PURPOSES : PUPIL_PURPOSES)}
<h2>What kinds of data</h2>${list(content.subject.type === 'staff' ? STAFF_CATEGORIES : PUPIL_CATEGORIES)}
<h2>Where it came from</h2><p>${sources.length === 0 ? 'Entered or imported by the school.' : `Imported by the school from its management information system (${sources.length} import${sources.length === 1 ? '' : 's'}, listed below).`}</p>
<h2>Who received it</h2>${recipients}<p>${disclosures.length} read${disclosures.length === 1 ? '' : 's'} of this person’s data by apps are recorded (listed below under “Disclosures”).</p>
<h2>How long it is kept</h2>${list(RETENTION)}
<h2>The data</h2>
${sections}
<h2>Your rights</h2><p>You may ask the school to correct this data, to erase it, to restrict or object to its use, or for a copy in a portable form. You may complain to the Information Commissioner’s Office (ico.org.uk).</p>
</body></html>
`;
}

function csvOf(records: readonly SubjectRecord[]): string {
  const columns = [...new Set(records.flatMap((record) => Object.keys(record)))];
  return csvDownload(
    columns,
    records.map((record) => columns.map((column) => record[column] ?? null)),
  );
}

/** The bundle as a zip file in memory (a pupil's data is small). */
export async function bundleZip(content: BundleContent): Promise<Buffer> {
  const zip = new ZipFile();
  const mtime = new Date(content.generatedAt);
  zip.addBuffer(Buffer.from(JSON.stringify(content, null, 2)), 'data.json', { mtime });
  for (const [name, records] of Object.entries(content.sections)) {
    zip.addBuffer(Buffer.from(csvOf(records)), `csv/${name}.csv`, { mtime });
  }
  zip.addBuffer(Buffer.from(reportHtml(content)), 'report.html', { mtime });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) {
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
