import { Component, type ReactNode } from 'react';
import { ApiError } from '../api/client.ts';
import { ErrorNotice } from '../components/status.tsx';

/** A page that fails shows what went wrong in words, never a blank screen or a stack trace. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: undefined };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override render() {
    const { error } = this.state;
    if (error === undefined) {
      return this.props.children;
    }
    const notFound = error instanceof ApiError && error.status === 404;
    return (
      <>
        <h1 className="page-title">{notFound ? 'Page not found' : 'Sorry, something went wrong'}</h1>
        <ErrorNotice error={error} title={notFound ? 'Not found' : 'The page could not be shown'} />
        <p>
          <a href="/">Go to your home page</a>
        </p>
      </>
    );
  }
}
