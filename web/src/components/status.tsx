import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';

/** An <output> is a polite live region: screen readers hear that something is loading. */
export function Loading({ what }: { what: string }) {
  return <output className="loading">Loading {what}…</output>;
}

/** An error from the API, as the server worded it, with the reference support will ask for. */
export function ErrorNotice({ error, title = 'Something went wrong' }: { error: unknown; title?: string }) {
  const message = error instanceof Error ? error.message : 'Please try again.';
  const reference = error instanceof ApiError ? error.requestId : undefined;
  return (
    <div className="notice notice--error" role="alert">
      <h2 className="notice__title">{title}</h2>
      <p>{message}</p>
      {reference === undefined ? null : <p className="hint">Reference for support: {reference}</p>}
    </div>
  );
}

export function Notice({
  title,
  children,
  tone = 'info',
}: {
  title?: string;
  children: ReactNode;
  tone?: 'info' | 'success' | 'warning';
}) {
  return (
    <div className={`notice notice--${tone}`} role={tone === 'success' ? 'status' : undefined}>
      {title === undefined ? null : <h2 className="notice__title">{title}</h2>}
      {children}
    </div>
  );
}

/** Renders a query's three states the same way everywhere. */
export function QueryView<T>({
  query,
  what,
  children,
}: {
  query: { isPending: boolean; isError: boolean; error: unknown; data: T | undefined };
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) {
    return <Loading what={what} />;
  }
  if (query.isError || query.data === undefined) {
    return <ErrorNotice error={query.error} title={`Could not load ${what}`} />;
  }
  return children(query.data);
}
