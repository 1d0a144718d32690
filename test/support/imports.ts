import assert from 'node:assert/strict';
import { runImport } from '../../src/modules/imports/imports.service.ts';
import { bufferSource } from '../../src/modules/imports/source.ts';
import type { Services } from '../../src/services.ts';

/**
 * Imports CSV lines (header first) through the real importer, as a system actor; fails the test when
 * the file is refused. Returns what the commit wrote (e.g. { pupils_created: 2 }).
 */
export async function importCsvLines(
  services: Services,
  schoolId: string,
  lines: readonly string[],
): Promise<Record<string, number>> {
  const outcome = await runImport(services, {
    schoolId,
    source: bufferSource('file.csv', Buffer.from(`${lines.join('\n')}\n`)),
    options: { pseudonymousUpn: false, noNames: false },
    actor: { type: 'system', id: 'test' },
    dryRun: false,
  });
  assert.equal(outcome.status, 'committed', JSON.stringify(outcome.report.errors));
  return outcome.written;
}
