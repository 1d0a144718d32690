import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client.ts';
import { SelectField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { QueryView } from '../../components/status.tsx';
import { childrenKey, STATE_NAMES, type Child } from './api.ts';
import { ChildTable, useScope } from './parts.tsx';
import './pep.css';

const STATE_OPTIONS = [
  { value: '', label: 'Any stage' },
  { value: 'not_started', label: 'Not started' },
  ...Object.entries(STATE_NAMES).map(([value, label]) => ({ value, label })),
  { value: 'not_needed', label: 'No PEP needed this term' },
];

function matches(child: Child, state: string, overdue: boolean, inCare: boolean): boolean {
  if (overdue && child.current?.overdue !== true) {
    return false;
  }
  if (inCare && child.leftCareOn !== null) {
    return false;
  }
  if (state === '') {
    return true;
  }
  if (state === 'not_needed') {
    return child.current === null;
  }
  if (state === 'not_started') {
    return child.current !== null && child.current.state === null;
  }
  return child.current?.state === state;
}

/** Every child the virtual school looks after, filtered by this term's PEP stage (filters are in the address: no personal data). */
export function PepChildrenPage() {
  const scope = useScope();
  const [params, setParams] = useSearchParams();
  const state = params.get('state') ?? '';
  const overdue = params.get('overdue') === 'yes';
  const inCare = params.get('left') !== 'yes';
  const children = useQuery({
    queryKey: childrenKey(scope),
    queryFn: () => api.get<Child[]>(`${scope.api}/children`),
  });
  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value === '') {
      next.delete(name);
    } else {
      next.set(name, value);
    }
    setParams(next, { replace: true });
  };
  return (
    <Page title="Children" caption="Personal Education Plans">
      <p>
        <Link to={`${scope.web}/children/new`} className="button button--primary">
          Add a child
        </Link>
      </p>
      <form className="filters" aria-label="Filter the children" onSubmit={(event) => event.preventDefault()}>
        <SelectField
          id="state"
          label="This term’s PEP"
          options={STATE_OPTIONS}
          value={state}
          onChange={(event) => setFilter('state', event.target.value)}
        />
        <SelectField
          id="overdue"
          label="Overdue"
          options={[
            { value: '', label: 'Overdue or not' },
            { value: 'yes', label: 'Overdue only' },
          ]}
          value={overdue ? 'yes' : ''}
          onChange={(event) => setFilter('overdue', event.target.value)}
        />
        <SelectField
          id="left"
          label="In care"
          options={[
            { value: '', label: 'In care now' },
            { value: 'yes', label: 'Include those who left care' },
          ]}
          value={inCare ? '' : 'yes'}
          onChange={(event) => setFilter('left', event.target.value)}
        />
      </form>
      <QueryView query={children} what="the children">
        {(list) => {
          const shown = list.filter((child) => matches(child, state, overdue, inCare));
          if (list.length === 0) {
            return <p>No children yet. Add a child the virtual school looks after to start their PEPs.</p>;
          }
          return shown.length === 0 ? (
            <p>No child matches these filters.</p>
          ) : (
            <ChildTable
              scope={scope}
              rows={shown}
              caption={`${shown.length} of ${list.length} child${list.length === 1 ? '' : 'ren'}`}
            />
          );
        }}
      </QueryView>
    </Page>
  );
}
