import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import { Button } from '../../components/form.tsx';
import { ErrorNotice } from '../../components/status.tsx';
import { importPath, importsKey } from './imports-api.ts';

/** Where the history page shows a one-off message after an action elsewhere. */
export interface HistoryNotice {
  notice: string;
}

/** "Discard this import", asked twice: the kept file is destroyed and nothing is written. */
export function DiscardImport({ schoolId, importId }: { schoolId: string; importId: string }) {
  const [asking, setAsking] = useState(false);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const confirm = useRef<HTMLElement>(null);
  const discard = useMutation({
    mutationFn: () => api.delete(importPath(schoolId, importId)),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: importsKey(schoolId) });
      const state: HistoryNotice = {
        notice: 'The import was discarded. Its uploaded file has been destroyed and nothing was written.',
      };
      await navigate(`/schools/${schoolId}/imports`, { state });
    },
  });
  if (!asking) {
    return (
      <Button
        type="button"
        variant="secondary"
        onClick={() => {
          setAsking(true);
          requestAnimationFrame(() => confirm.current?.focus());
        }}
      >
        Discard this import
      </Button>
    );
  }
  return (
    <section className="notice notice--warning" ref={confirm} tabIndex={-1} aria-labelledby="discard-title">
      <h2 className="notice__title" id="discard-title">
        Discard this import?
      </h2>
      <p>The uploaded file will be destroyed and nothing from it will be written. This cannot be undone.</p>
      {discard.isError ? (
        <ErrorNotice error={discard.error} title="The import could not be discarded" />
      ) : null}
      <div className="button-group">
        <Button type="button" variant="warning" busy={discard.isPending} onClick={() => discard.mutate()}>
          Yes, discard it
        </Button>
        <Button type="button" variant="secondary" onClick={() => setAsking(false)}>
          No, keep it
        </Button>
      </div>
    </section>
  );
}
