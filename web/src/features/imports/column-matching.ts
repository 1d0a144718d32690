// Matching a file's columns to Haven fields in the wizard: suggestions for columns Haven did not
// recognise, and the checks made before the file is read again.
import type { FormProblem } from '../../components/form.tsx';
import type { Templates } from './imports-api.ts';
import { fieldLabel } from './imports-text.tsx';

export type TemplateField = Templates[number]['fields'][number];

// Words too common in MIS headings to say which field a column is.
const COMMON_WORDS = new Set([
  'of',
  'the',
  'and',
  'a',
  'pupil',
  'student',
  'name',
  'date',
  'number',
  'code',
  'no',
  'id',
]);

function words(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replaceAll('&', ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((word) => word.length > 1 && !COMMON_WORDS.has(word));
}

/**
 * The field a column Haven did not recognise most likely means, from the words its heading shares with
 * the headings Haven knows ("Tutor" → class, through "tutor group"); undefined when nothing is close.
 * Fields another column already fills are not suggested.
 */
export function suggestField(
  header: string,
  fields: readonly TemplateField[],
  taken: ReadonlySet<string>,
): TemplateField | undefined {
  const mine = words(header);
  let best: TemplateField | undefined;
  let bestScore = 0;
  for (const field of fields) {
    if (taken.has(field.field)) {
      continue;
    }
    for (const known of [field.field.replaceAll('_', ' '), ...field.headers]) {
      const theirs = words(known);
      const shared = mine.filter((word) => theirs.includes(word)).length;
      const score = shared / Math.max(mine.length, theirs.length, 1);
      if (score > bestScore) {
        best = field;
        bestScore = score;
      }
    }
  }
  return bestScore >= 0.5 ? best : undefined;
}

/** Two columns cannot fill the same field: say which, on the second of them. */
export function duplicateProblems(
  headers: readonly string[],
  choices: Record<string, string>,
): FormProblem[] {
  const first = new Map<string, string>();
  const problems: FormProblem[] = [];
  headers.forEach((header, index) => {
    const field = choices[header] ?? '';
    if (field === '') {
      return;
    }
    const earlier = first.get(field);
    if (earlier === undefined) {
      first.set(field, header);
      return;
    }
    problems.push({
      field: `column-${index}`,
      message: `Columns “${earlier}” and “${header}” are both matched to ${fieldLabel(field)}: choose one of them`,
    });
  });
  return problems;
}

const MAPPING_NAME = /^[\w .()-]+$/;

/** A saved mapping's name, as the API accepts it. */
export function mappingNameProblem(name: string): string | undefined {
  if (name === '') {
    return 'Enter a name for the mapping';
  }
  if (name.length > 100) {
    return 'The name must be 100 characters or fewer';
  }
  if (!MAPPING_NAME.test(name)) {
    return 'The name can only use letters, numbers, spaces, full stops, brackets, hyphens and underscores';
  }
  return undefined;
}
