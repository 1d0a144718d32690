import { useMutation } from '@tanstack/react-query';
import { useState, type KeyboardEvent } from 'react';
import type { Static } from 'typebox';
import type { SearchResponse } from '../../../../src/modules/pupils/pupils.schema.ts';
import { api } from '../../api/client.ts';
import { Button } from '../../components/form.tsx';
import { ErrorNotice } from '../../components/status.tsx';

type Found = Static<typeof SearchResponse>['pupils'];

/**
 * Finding the pupil a request is about, by name or UPN, inside a form: the search text goes in a POST
 * body (never the address) and the chosen pupil is a radio named `name` holding their pseudonymous id.
 */
export function PupilPicker({
  schoolId,
  id,
  name,
  error,
}: {
  schoolId: string;
  /** The id of the search box (error summaries link to it). */
  id: string;
  /** The form field holding the chosen pupil's id. */
  name: string;
  error?: string | undefined;
}) {
  const [query, setQuery] = useState('');
  const [empty, setEmpty] = useState(false);
  const [found, setFound] = useState<Found | undefined>(undefined);
  const search = useMutation({
    mutationFn: (text: string) =>
      api.post<Static<typeof SearchResponse>>(`/api/v1/schools/${schoolId}/pupils/search`, {
        query: text,
        limit: 20,
      }),
    onSuccess: (answer) => setFound(answer.pupils),
  });
  const run = () => {
    const text = query.trim();
    setEmpty(text === '');
    if (text !== '') {
      search.mutate(text);
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    // Enter in the search box searches; it does not send the whole form.
    if (event.key === 'Enter') {
      event.preventDefault();
      run();
    }
  };
  const shown = error ?? (empty ? 'Enter part of the pupil’s name, or their UPN' : undefined);
  return (
    <div className={shown === undefined ? 'field' : 'field field--error'}>
      <label htmlFor={id} className="label">
        Find the pupil
      </label>
      <div id={`${id}-hint`} className="hint">
        Part of their forename or surname, or their whole UPN. Then choose them from the list.
      </div>
      {shown === undefined ? null : (
        <p id={`${id}-error`} className="field-error">
          <span className="visually-hidden">Error:</span> {shown}
        </p>
      )}
      <div className="inline-form">
        <input
          id={id}
          className="input input--inline"
          autoComplete="off"
          spellCheck={false}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={onKeyDown}
          aria-invalid={shown === undefined ? undefined : true}
          aria-describedby={shown === undefined ? `${id}-hint` : `${id}-hint ${id}-error`}
        />
        <Button type="button" variant="secondary" busy={search.isPending} onClick={run}>
          Search pupils
        </Button>
      </div>
      {search.isError ? <ErrorNotice error={search.error} title="The search did not work" /> : null}
      {found === undefined ? null : found.length === 0 ? (
        <p>
          <output>No pupil matches that. Check the spelling, or try part of the name.</output>
        </p>
      ) : (
        <fieldset className="fieldset">
          <legend className="fieldset__legend">
            Choose the pupil ({found.length} found{found.length === 20 ? ', the first 20 shown' : ''})
          </legend>
          {found.map((pupil) => (
            <div className="radio" key={pupil.id}>
              <input type="radio" id={`${name}-${pupil.id}`} name={name} value={pupil.id} />
              <label htmlFor={`${name}-${pupil.id}`}>
                {pupil.displayName ?? 'Name erased'}
                <span className="hint">
                  {' '}
                  Year {pupil.yearGroup ?? '—'}
                  {pupil.classes.length > 0 ? `, ${pupil.classes.join(', ')}` : ''}
                </span>
              </label>
            </div>
          ))}
        </fieldset>
      )}
    </div>
  );
}
