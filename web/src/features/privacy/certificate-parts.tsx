import { tableName } from './api.ts';

/** Records per kind, as counts (what an erasure would remove, or what a deletion removed). */
export function RecordCounts({ records, caption }: { records: Record<string, number>; caption: string }) {
  return (
    <table className="table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">What</th>
          <th scope="col" className="numeric">
            Records
          </th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(records).map(([table, count]) => (
          <tr key={table}>
            <th scope="row">{tableName(table)}</th>
            <td className="numeric">{count}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What a certificate of deletion says was deleted: records per kind (counts only). */
export function RecordsDeleted({ records }: { records: Record<string, number> }) {
  return (
    <>
      <h3>Records deleted</h3>
      {Object.keys(records).length === 0 ? (
        <p>None.</p>
      ) : (
        <RecordCounts records={records} caption="Records deleted, by kind" />
      )}
    </>
  );
}

/** The certificate's SHA-256 digest, which shows it was not changed after it was issued. */
export function CertificateDigest({ digest }: { digest: string }) {
  return (
    <>
      <h3>Digest</h3>
      <p>SHA-256 of the certificate as issued (it shows the certificate has not been changed since):</p>
      <p>
        <code className="digest">{digest}</code>
      </p>
    </>
  );
}
