import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileSource, type ImportSource } from '../imports/source.ts';

// A school's drop folder: `<connector dir>/<school id>`, chosen by the operator's configuration and the
// school's id, never by anything a school types (a path from a form would let anyone read the server's
// files through the import report). The MIS's scheduled export, or an on-premise agent, writes files
// into it; the newest complete file is the one synced.

const EXPORT_FILE = /\.(csv|xlsx|xml|zip)$/i;

export function dropFolderOf(connectorDir: string, schoolId: string): string {
  return path.join(connectorDir, schoolId);
}

export async function ensureDropFolder(connectorDir: string, schoolId: string): Promise<string> {
  const folder = dropFolderOf(connectorDir, schoolId);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  return folder;
}

/**
 * The newest export in the folder (by modification time), or undefined when none has arrived. Hidden
 * files and other extensions are ignored: an agent writes `.name.part` and renames it when complete.
 */
export async function newestExport(
  connectorDir: string,
  schoolId: string,
): Promise<ImportSource | undefined> {
  const folder = dropFolderOf(connectorDir, schoolId);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return undefined;
  }
  let newest: { file: string; at: number } | undefined;
  for (const name of names.filter((entry) => !entry.startsWith('.') && EXPORT_FILE.test(entry))) {
    const file = path.join(folder, name);
    const info = await stat(file);
    if (info.isFile() && (newest === undefined || info.mtimeMs > newest.at)) {
      newest = { file, at: info.mtimeMs };
    }
  }
  return newest === undefined ? undefined : fileSource(newest.file);
}
