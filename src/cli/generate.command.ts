import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import type { Command } from 'commander';
import ExcelJS from 'exceljs';
import { ZipFile } from 'yazl';
import { ctfDocument, oneRosterFiles } from '../modules/imports/synthetic-formats.ts';
import { csvLine, PUPILS_HEADER, RESULTS_HEADER, syntheticSchool } from '../modules/imports/synthetic.ts';
import { UsageError } from './errors.ts';

interface GenerateOptions {
  schools: string;
  pupilsPerSchool: string;
  out: string;
  format: string;
  seed: string;
}

function positive(value: string, flag: string, max: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > max) {
    throw new UsageError(`${flag} must be a whole number from 1 to ${max} (got "${value}").`);
  }
  return number;
}

async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  const stream = createWriteStream(file);
  for (const line of lines) {
    if (!stream.write(line)) {
      await once(stream, 'drain');
    }
  }
  stream.end();
  await once(stream, 'finish');
}

async function writeZip(file: string, entries: Map<string, string>): Promise<void> {
  const zip = new ZipFile();
  for (const [name, content] of entries) {
    zip.addBuffer(Buffer.from(content, 'utf8'), name);
  }
  zip.end();
  const out = createWriteStream(file);
  zip.outputStream.pipe(out);
  await once(out, 'finish');
}

async function writeCsv(file: string, header: string[], rows: string[][]): Promise<void> {
  await writeLines(
    file,
    [header, ...rows].map((row) => `${csvLine(row)}\n`),
  );
}

async function writeXlsx(file: string, header: string[], rows: string[][]): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file });
  const sheet = workbook.addWorksheet('Data');
  sheet.addRow(header).commit();
  for (const row of rows) {
    sheet.addRow(row).commit();
  }
  sheet.commit();
  await workbook.commit();
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('write synthetic schools (invented pupils, KS2, results) as import files')
    .option('--schools <n>', 'how many schools', '1')
    .option('--pupils-per-school <n>', 'Year 11 pupils in each school', '150')
    .requiredOption('--out <dir>', 'directory to write into (one folder per school)')
    .option(
      '--format <list>',
      'csv, xlsx, ctf (a Common Transfer File) and/or oneroster (a OneRoster 1.2 CSV zip), comma-separated',
      'csv',
    )
    .option('--seed <n>', 'the same seed gives the same files', '1')
    .action(async (options: GenerateOptions) => {
      const schools = positive(options.schools, '--schools', 1000);
      const pupils = positive(options.pupilsPerSchool, '--pupils-per-school', 100_000);
      const seed = positive(options.seed, '--seed', 2 ** 31);
      const formats = options.format.split(',').map((format) => format.trim());
      const unknown = formats.filter((format) => !['csv', 'xlsx', 'ctf', 'oneroster'].includes(format));
      if (unknown.length > 0) {
        throw new UsageError(`--format takes csv, xlsx, ctf and/or oneroster (got "${unknown.join(', ')}").`);
      }
      for (let index = 0; index < schools; index += 1) {
        const school = syntheticSchool(index, pupils, seed);
        const dir = path.join(options.out, `school-${String(index + 1).padStart(3, '0')}`);
        await mkdir(dir, { recursive: true });
        for (const format of formats) {
          if (format === 'oneroster') {
            await writeZip(path.join(dir, 'oneroster.zip'), oneRosterFiles(school, index));
            continue;
          }
          if (format === 'ctf') {
            await writeLines(path.join(dir, 'pupils.ctf.xml'), ctfDocument(school, index));
            continue;
          }
          const write = format === 'csv' ? writeCsv : writeXlsx;
          await write(path.join(dir, `pupils.${format}`), PUPILS_HEADER, school.pupils);
          await write(path.join(dir, `results.${format}`), RESULTS_HEADER, school.results);
        }
        console.log(
          `${dir}: ${school.name}, ${school.pupils.length} pupils, ${school.results.length} results`,
        );
      }
    });
}
