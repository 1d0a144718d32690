import { Link } from 'react-router';
import { useAnalysisView } from './view.ts';

export const PAGE_SIZE = 50;

/** One page of a long sorted list; the page number comes from the URL like the rest of the view. */
export function pageOf<Row>(rows: readonly Row[], params: URLSearchParams) {
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const requested = Number(params.get('page') ?? '1');
  const page = Number.isInteger(requested) ? Math.min(Math.max(requested, 1), pages) : 1;
  const first = (page - 1) * PAGE_SIZE;
  return { page, pages, first, shown: rows.slice(first, first + PAGE_SIZE) };
}

/** Previous / next through a long list. */
export function Pagination({ page, pages, what }: { page: number; pages: number; what: string }) {
  const { params } = useAnalysisView();
  if (pages <= 1) {
    return null;
  }
  const to = (target: number) => {
    const next = new URLSearchParams(params);
    if (target === 1) {
      next.delete('page');
    } else {
      next.set('page', String(target));
    }
    return `?${next.toString()}`;
  };
  return (
    <nav className="pagination" aria-label={`Pages of ${what}`}>
      {page > 1 ? (
        <Link to={to(page - 1)} preventScrollReset>
          Previous<span className="visually-hidden"> page of {what}</span>
        </Link>
      ) : null}
      <span>
        Page {page} of {pages}
      </span>
      {page < pages ? (
        <Link to={to(page + 1)} preventScrollReset>
          Next<span className="visually-hidden"> page of {what}</span>
        </Link>
      ) : null}
    </nav>
  );
}
