import { useEffect, useRef, type ReactNode } from 'react';

// The first page of a visit starts at the top like any web page; only later, in-app navigations move
// focus to the new page's heading (a screen reader then announces it, as a full page load would).
let firstPage = true;

/**
 * Every page's heading: sets the tab title (so screen reader users and tab lists know where they are) and
 * takes focus after a client-side navigation, as a full page load would.
 */
export function Page({ title, caption, children }: { title: string; caption?: string; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} – Haven`;
    if (firstPage) {
      firstPage = false;
    } else {
      heading.current?.focus({ preventScroll: true });
    }
  }, [title]);
  return (
    <>
      {caption === undefined ? null : <span className="caption">{caption}</span>}
      <h1 className="page-title" tabIndex={-1} ref={heading}>
        {title}
      </h1>
      {children}
    </>
  );
}

/** A date and time in British form, in the viewer's own time zone. */
export function formatDateTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) {
    return '—';
  }
  return new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDate(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) {
    return '—';
  }
  return new Date(iso).toLocaleDateString('en-GB', { dateStyle: 'medium' });
}

/** A number with a sign where it matters (Progress 8: +0.12, −0.40). */
export function formatSigned(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined) {
    return '—';
  }
  const text = Math.abs(value).toFixed(digits);
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

export function formatNumber(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined) {
    return '—';
  }
  return value.toFixed(digits);
}
