/**
 * One CSV cell for a download: formula-looking text (= + - @, tab, CR) is prefixed with a quote so a
 * spreadsheet shows it rather than runs it (CSV injection), and quoting follows RFC 4180.
 */
export function csvCell(value: unknown): string {
  let text =
    value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV download: a header row and data rows, CRLF line ends (what spreadsheets expect). */
export function csvDownload(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  return [header, ...rows].map((row) => row.map((value) => csvCell(value)).join(',')).join('\r\n') + '\r\n';
}
