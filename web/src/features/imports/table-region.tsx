import type { ReactNode } from 'react';

/**
 * A wide table that may scroll sideways: the scrolling box is a named region that takes keyboard focus,
 * so it can be scrolled with the arrow keys (WCAG 2.1.1).
 */
export function TableRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    // oxlint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrolling region must be focusable
    <section className="table-wrapper import-table-region" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
