import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { Static } from 'typebox';
import type {
  ListResponse,
  PupilListItem,
  SearchResponse,
} from '../../../../src/modules/pupils/pupils.schema.ts';
import { api, withQuery } from '../../api/client.ts';
import {
  Button,
  ErrorSummary,
  formText,
  problemsFrom,
  SelectField,
  TextField,
  type FormProblem,
} from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { ErrorNotice, Loading, Notice } from '../../components/status.tsx';
import { can, useSchool } from '../../session/session.tsx';

type Pupil = Static<typeof PupilListItem>;
const YEAR_GROUPS = [7, 8, 9, 10, 11, 12, 13];

function PupilTable({
  pupils,
  caption,
  schoolId,
}: {
  pupils: readonly Pupil[];
  caption: string;
  schoolId: string;
}) {
  return (
    <div className="table-wrapper">
      <table className="table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">UPN</th>
            <th scope="col">Year</th>
            <th scope="col">Classes and groups</th>
          </tr>
        </thead>
        <tbody>
          {pupils.map((pupil) => (
            <tr key={pupil.id}>
              <td>
                <Link to={`/schools/${schoolId}/pupils/${pupil.id}`}>
                  {pupil.displayName ?? 'Name erased'}
                </Link>
              </td>
              <td>
                <code>{pupil.upn ?? '—'}</code>
              </td>
              <td>{pupil.yearGroup ?? '—'}</td>
              <td>{pupil.classes.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Finding a pupil by name or UPN. The search text is sent in a request body and kept in the page only:
 * names must never appear in addresses, browser history or server logs.
 */
function Search({ schoolId }: { schoolId: string }) {
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const search = useMutation({
    mutationFn: (query: string) =>
      api.post<Static<typeof SearchResponse>>(`/api/v1/schools/${schoolId}/pupils/search`, {
        query,
        limit: 50,
      }),
    onError: (error) => setProblems(problemsFrom(error, { query: 'Search' })),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const query = formText(new FormData(event.currentTarget), 'query').trim();
    if (query === '') {
      setProblems([{ field: 'query', message: 'Enter part of a name, or a UPN' }]);
      return;
    }
    setProblems([]);
    search.mutate(query);
  };
  return (
    <section aria-labelledby="search-title">
      <h2 id="search-title">Find a pupil</h2>
      <ErrorSummary problems={problems} />
      <form onSubmit={submit} noValidate>
        <TextField
          id="query"
          label="Name or UPN"
          hint="Part of a forename or surname, or a whole 13-character UPN."
          autoComplete="off"
          spellCheck={false}
          error={problems.find((problem) => problem.field === 'query')?.message}
        />
        <Button busy={search.isPending}>Search</Button>
      </form>
      {search.isSuccess ? (
        search.data.pupils.length === 0 ? (
          <Notice>
            <p>No pupil matches that. Check the spelling, or try part of the name.</p>
          </Notice>
        ) : (
          <PupilTable
            schoolId={schoolId}
            pupils={search.data.pupils}
            caption={
              search.data.total > search.data.pupils.length
                ? `${search.data.total} pupils match; the first ${search.data.pupils.length} are shown`
                : `${search.data.total} pupil${search.data.total === 1 ? '' : 's'} match`
            }
          />
        )
      ) : null}
    </section>
  );
}

/** Browsing a year group, page by page (the year group is in the address; it is no personal data). */
function Browse({ schoolId }: { schoolId: string }) {
  const [params, setParams] = useSearchParams();
  const yearGroup = params.get('yearGroup') ?? '';
  const pages = useInfiniteQuery({
    queryKey: ['pupils', schoolId, yearGroup],
    queryFn: ({ pageParam }) =>
      api.get<Static<typeof ListResponse>>(
        withQuery(`/api/v1/schools/${schoolId}/pupils`, {
          yearGroup: yearGroup === '' ? undefined : yearGroup,
          cursor: pageParam,
          limit: 50,
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const choose = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const chosen = formText(new FormData(event.currentTarget), 'yearGroup');
    setParams(chosen === '' ? {} : { yearGroup: chosen });
  };
  const pupils = pages.data?.pages.flatMap((page) => page.pupils) ?? [];
  return (
    <section aria-labelledby="browse-title">
      <h2 id="browse-title">Browse pupils</h2>
      <form className="filters" onSubmit={choose}>
        <SelectField
          id="yearGroup"
          label="Year group"
          defaultValue={yearGroup}
          options={[
            { value: '', label: 'All year groups' },
            ...YEAR_GROUPS.map((year) => ({ value: String(year), label: `Year ${year}` })),
          ]}
        />
        <Button variant="secondary">Show pupils</Button>
      </form>
      {pages.isPending ? <Loading what="pupils" /> : null}
      {pages.isError ? <ErrorNotice error={pages.error} title="Could not load pupils" /> : null}
      {pages.isSuccess ? (
        pupils.length === 0 ? (
          <p>There are no pupils to show here.</p>
        ) : (
          <>
            <PupilTable
              schoolId={schoolId}
              pupils={pupils}
              caption={`${yearGroup === '' ? 'Pupils' : `Year ${yearGroup} pupils`} (${pupils.length}${pages.hasNextPage ? '+' : ''})`}
            />
            {pages.hasNextPage ? (
              <Button
                type="button"
                variant="secondary"
                busy={pages.isFetchingNextPage}
                onClick={() => void pages.fetchNextPage()}
              >
                Show more pupils
              </Button>
            ) : null}
          </>
        )
      ) : null}
    </section>
  );
}

export function PupilsPage() {
  const school = useSchool();
  const allPupils = can(school, 'pupils.read');
  return (
    <Page title="Pupils" caption={school.name}>
      {allPupils ? null : (
        <Notice>
          <p>You see the pupils of the classes you teach.</p>
        </Notice>
      )}
      <Search schoolId={school.id} />
      <Browse schoolId={school.id} />
    </Page>
  );
}
