import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type {
  BackupsResponse,
  BackupTakenResponse,
} from '../../../../src/modules/retention/backups.schema.ts';
import { api } from '../../api/client.ts';
import { formatDateTime } from '../../components/page.tsx';
import { ErrorNotice, Notice, QueryView } from '../../components/status.tsx';

type Backups = Static<typeof BackupsResponse>;
type Taken = Static<typeof BackupTakenResponse>;
type RestoreTest = NonNullable<Backups['lastRestoreTest']>;

function size(bytes: number | null): string {
  if (bytes === null) {
    return '—';
  }
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const TRIGGER: Record<string, string> = {
  scheduled: 'Scheduled',
  operator: 'Taken by an operator',
  cli: 'Command line',
};

/** Outcome in words (with the colour only as a second cue). */
function Outcome({ outcome, removed }: { outcome: 'succeeded' | 'failed'; removed?: boolean }) {
  if (outcome === 'failed') {
    return <strong className="tag tag--red">Failed</strong>;
  }
  return removed === true ? (
    <strong className="tag tag--grey">Rotated out</strong>
  ) : (
    <strong className="tag tag--green">Succeeded</strong>
  );
}

function RestoreTests({ last, lastGood }: { last: RestoreTest | null; lastGood: RestoreTest | null }) {
  if (last === null) {
    return (
      <Notice tone="warning" title="No restore test yet">
        <p>Take a backup now: each backup is restore-tested as soon as it is written.</p>
      </Notice>
    );
  }
  return (
    <p>
      Last restore test: <Outcome outcome={last.outcome} /> on {formatDateTime(last.testedAt)} (
      {last.fileName}
      {last.tables === null ? '' : `, ${last.tables} tables`}).
      {last.outcome === 'failed' ? (
        <>
          {' '}
          Last successful restore test:{' '}
          {lastGood === null ? 'never' : `${formatDateTime(lastGood.testedAt)} (${lastGood.fileName})`}.
        </>
      ) : null}
    </p>
  );
}

/** Backups: where they go, the newest ones, the last restore test, and a backup taken now. */
export function BackupsSection() {
  const queryClient = useQueryClient();
  const backups = useQuery({
    queryKey: ['platform', 'backups'],
    queryFn: () => api.get<Backups>('/api/v1/platform/backups'),
  });
  const take = useMutation({
    mutationFn: () => api.post<Taken>('/api/v1/platform/backups', {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['platform', 'backups'] }),
  });
  return (
    <section aria-labelledby="backups-title">
      <h2 id="backups-title">Backups</h2>
      <QueryView query={backups} what="backups">
        {(overview) => (
          <>
            <p>
              Encrypted with a key derived from the master key, checksummed, written to{' '}
              <code>{overview.directory}</code>.{' '}
              {overview.schedule === null
                ? 'Scheduled backups are off.'
                : `Scheduled: ${overview.schedule} (London time).`}{' '}
              The newest {overview.keep} scheduled backups are kept.
            </p>
            <RestoreTests last={overview.lastRestoreTest} lastGood={overview.lastSuccessfulRestoreTest} />
            {overview.backups.length === 0 ? (
              <p>No backup has been taken yet.</p>
            ) : (
              <div className="table-wrapper">
                <table className="table">
                  <caption>Recent backups</caption>
                  <thead>
                    <tr>
                      <th scope="col">Started</th>
                      <th scope="col">File</th>
                      <th scope="col">How</th>
                      <th scope="col" className="numeric">
                        Size
                      </th>
                      <th scope="col">Outcome</th>
                    </tr>
                  </thead>
                  <tbody>
                    {overview.backups.map((backup) => (
                      <tr key={backup.id}>
                        <td>{formatDateTime(backup.startedAt)}</td>
                        <td>
                          <code>{backup.fileName}</code>
                          {backup.error === null ? null : (
                            <>
                              <br />
                              {backup.error}
                            </>
                          )}
                        </td>
                        <td>{TRIGGER[backup.trigger] ?? backup.trigger}</td>
                        <td className="numeric">{size(backup.bytes)}</td>
                        <td>
                          <Outcome outcome={backup.outcome} removed={backup.removedAt !== null} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </QueryView>
      {take.isError ? <ErrorNotice error={take.error} title="The backup was not taken" /> : null}
      {take.isSuccess ? (
        <Notice tone="success">
          <p>Backup taken and restore-tested: {take.data.fileName}.</p>
        </Notice>
      ) : null}
      <button
        type="button"
        className="button button--secondary"
        disabled={take.isPending}
        onClick={() => take.mutate()}
      >
        {take.isPending ? 'Taking a backup…' : 'Take a backup now'}
      </button>
    </section>
  );
}
