import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, withQuery } from '../../api/client.ts';
import { deadlineInWords, isCalendarDate, privacyPath, type Deadline } from './api.ts';

/**
 * What the deadline will be for a request received on `receivedOn`, before it is saved, worked out by
 * the server (the same rules the register uses: one calendar month, working days, bank holidays). A
 * polite live region, so a screen reader hears the deadline change as the date is typed.
 */
export function DeadlinePreview({
  schoolId,
  receivedOn,
  today,
}: {
  schoolId: string;
  receivedOn: string;
  today: string;
}) {
  const valid = isCalendarDate(receivedOn) && receivedOn <= today;
  const deadline = useQuery({
    queryKey: ['privacy-deadline', schoolId, receivedOn],
    queryFn: () => api.get<Deadline>(withQuery(`${privacyPath(schoolId)}/deadline`, { receivedOn })),
    enabled: valid,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
  let words = '';
  if (isCalendarDate(receivedOn) && receivedOn > today) {
    words = 'The date received cannot be in the future, so there is no deadline to show yet.';
  } else if (valid && deadline.isError) {
    words = 'The deadline could not be worked out just now. Haven shows it once the request is saved.';
  } else if (valid && deadline.data?.receivedOn === receivedOn) {
    words = deadlineInWords(deadline.data);
  }
  return (
    <div className="deadline-preview" aria-live="polite" aria-atomic="true">
      {words === '' ? null : <p className="notice notice--info">{words}</p>}
    </div>
  );
}
