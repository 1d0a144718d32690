import PdfKitDocument from 'pdfkit';
import { LEGAL_STATUSES, QA_CHECKLIST } from './pep-codes.ts';
import { moduleTitle } from './pep.policy.ts';
import type { PepViewValue } from './pep.schema.ts';

// A signed-off PEP as a document to keep or share: the same sections, in order, as HTML (escaped) and as
// PDF (pdfkit, pure JavaScript, fonts built in). Only signed-off PEPs are exported: a draft is not a plan.

interface Section {
  title: string;
  rows: Array<[string, string]>;
}

const text = (value: string | number | null | undefined): string =>
  value === null || value === undefined || value === '' ? '—' : String(value);
const money = (pence: number | null): string => (pence === null ? '—' : `£${(pence / 100).toFixed(2)}`);

/** The PEP's sections as label/value rows, shared by both formats so they never disagree. */
export function pepSections(pep: PepViewValue): Section[] {
  const { basic_info: basic, pupil_voice: voice, send, meeting, targets, qa } = pep.modules;
  return [
    {
      title: moduleTitle('basic_info'),
      rows:
        basic === null
          ? []
          : [
              [
                'Placement',
                `${basic.placementType.replaceAll('_', ' ')} (since ${text(basic.placementSince)})`,
              ],
              ['Carer', text(basic.carer)],
              ['Social worker', text(basic.socialWorker)],
              ['Designated teacher', text(basic.designatedTeacher)],
              ['School', text(basic.schoolName)],
              ['Year group', text(basic.yearGroup)],
              ['Legal status', `${basic.legalStatus} — ${LEGAL_STATUSES[basic.legalStatus] ?? ''}`],
              ['Attendance', basic.attendancePercent === null ? '—' : `${basic.attendancePercent}%`],
              ['Sessions missed', text(basic.sessionsMissed)],
              ['Suspensions', text(basic.suspensions)],
              ...basic.keyDates.map((entry): [string, string] => [entry.label, entry.date]),
            ],
    },
    {
      title: moduleTitle('pupil_voice'),
      rows:
        voice === null
          ? []
          : [
              ['Captured by', `${voice.capturedBy.replaceAll('_', ' ')} on ${text(voice.capturedOn)}`],
              ['In their words', text(voice.inTheirWords)],
              ['What is going well', text(voice.goingWell)],
              ['What would help', text(voice.wouldHelp)],
            ],
    },
    {
      title: moduleTitle('send'),
      rows:
        send === null
          ? []
          : [
              ['SEN provision', { N: 'None', K: 'SEN support', E: 'EHC plan' }[send.provision]],
              ['Needs', text(send.needs)],
              ['EHC plan issued', text(send.ehcPlanIssuedOn)],
              ['EHC plan review due', text(send.ehcPlanReviewDueOn)],
              ['Support in place', text(send.supportInPlace)],
            ],
    },
    {
      title: moduleTitle('meeting'),
      rows:
        meeting === null
          ? []
          : [
              ['Held on', text(meeting.heldOn)],
              [
                'Attendees',
                meeting.attendees.map((entry) => `${entry.name} (${entry.role})`).join('; ') || '—',
              ],
              ['Notes', text(meeting.notes)],
              ['Decisions', text(meeting.decisions)],
            ],
    },
    {
      title: moduleTitle('targets'),
      rows: (targets?.targets ?? []).map((target, index): [string, string] => [
        `Target ${index + 1} (${target.area})`,
        [
          target.description,
          `Success: ${text(target.successCriteria)}`,
          `Owner: ${text(target.owner)}; due ${text(target.dueOn)}; ${target.status.replaceAll('_', ' ')}`,
          `Pupil Premium Plus: requested ${money(target.fundingRequestedPence)}, approved ${money(target.fundingApprovedPence)}`,
          target.carriedFromTerm === null ? '' : `Carried from ${target.carriedFromTerm}`,
          target.progressNote,
        ]
          .filter((line) => line !== '')
          .join('\n'),
      ]),
    },
    {
      title: moduleTitle('qa'),
      rows:
        qa === null
          ? []
          : [
              ['Rating', qa.rating.toUpperCase()],
              ...Object.entries(qa.checklist).map(([key, value]): [string, string] => [
                QA_CHECKLIST[key] ?? key,
                value.replaceAll('_', ' '),
              ]),
              ['Comments', text(qa.comments)],
              ['Signed off', text(pep.signedOff?.at.slice(0, 10))],
            ],
    },
  ];
}

function title(pep: PepViewValue): string {
  return `Personal Education Plan — ${pep.termLabel} (${pep.kind}, version ${pep.version})`;
}

const escape = (value: string): string =>
  value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

export function pepHtml(pep: PepViewValue): string {
  const sections = pepSections(pep)
    .map(
      (section) =>
        `<section><h2>${escape(section.title)}</h2>${
          section.rows.length === 0
            ? '<p>Not recorded.</p>'
            : `<table><tbody>${section.rows
                .map(
                  ([label, value]) =>
                    `<tr><th scope="row">${escape(label)}</th><td>${escape(value).replaceAll('\n', '<br>')}</td></tr>`,
                )
                .join('')}</tbody></table>`
        }</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>${escape(title(pep))}</title>
<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;line-height:1.4}th{text-align:left;vertical-align:top;padding-right:1rem;width:14rem}td,th{border-bottom:1px solid #ccc;padding:.3rem}</style>
</head><body>
<h1>${escape(title(pep))}</h1>
<p><strong>${escape(pep.child.name)}</strong> · reference ${escape(pep.child.reference)} · due ${escape(pep.dueOn)}</p>
${sections}
<p><small>Confidential: personal data about a looked-after child. Produced by Haven.</small></p>
</body></html>
`;
}

export async function pepPdf(pep: PepViewValue): Promise<Buffer> {
  const document = new PdfKitDocument({
    size: 'A4',
    margin: 50,
    info: { Title: title(pep), Author: 'Haven' },
  });
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    document.on('end', () => resolve(Buffer.concat(chunks)));
    document.on('error', reject);
  });
  document
    .font('Helvetica-Bold')
    .fontSize(16)
    .text(pdfSafe(title(pep)));
  document
    .moveDown(0.5)
    .font('Helvetica')
    .fontSize(11)
    .text(pdfSafe(`${pep.child.name} · reference ${pep.child.reference} · due ${pep.dueOn}`));
  for (const section of pepSections(pep)) {
    document.moveDown(1).font('Helvetica-Bold').fontSize(13).text(section.title);
    if (section.rows.length === 0) {
      document.font('Helvetica').fontSize(10).text('Not recorded.');
    }
    for (const [label, value] of section.rows) {
      document.moveDown(0.3).font('Helvetica-Bold').fontSize(10).text(label);
      document.font('Helvetica').fontSize(10).text(pdfSafe(value));
    }
  }
  document
    .moveDown(2)
    .font('Helvetica-Oblique')
    .fontSize(8)
    .text('Confidential: personal data about a looked-after child. Produced by Haven.');
  document.end();
  return done;
}

/** The built-in PDF fonts speak Windows-1252: characters beyond it are replaced rather than dropped silently. */
function pdfSafe(value: string): string {
  const plain = value.replaceAll('—', '-').replaceAll('’', "'");
  return plain.replace(/[\u0100-\u{10FFFF}]/gu, '?');
}
