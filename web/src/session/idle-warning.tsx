import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, onApiActivity } from '../api/client.ts';
import { useSession } from './session.tsx';

const WARN_SECONDS = 120;

/**
 * Sessions end after some idle minutes (the server's rule). Two minutes before, a dialog says so and offers
 * to stay signed in, so nobody loses a half-filled form without warning (WCAG 2.2.1 Timing Adjustable).
 */
export function IdleWarning() {
  const { idleMinutes } = useSession();
  const lastActivity = useRef(0);
  const [secondsLeft, setSecondsLeft] = useState(idleMinutes * 60);
  const dialog = useRef<HTMLDialogElement>(null);
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  useEffect(() => {
    lastActivity.current = Date.now();
    return onApiActivity(() => {
      lastActivity.current = Date.now();
    });
  }, []);

  useEffect(() => {
    const timer = setInterval(() => {
      const left = Math.round(idleMinutes * 60 - (Date.now() - lastActivity.current) / 1000);
      setSecondsLeft(left);
      if (left <= 0) {
        queryClient.clear();
        void navigate('/sign-in?reason=idle');
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [idleMinutes, navigate, queryClient]);

  const warn = secondsLeft <= WARN_SECONDS && secondsLeft > 0;
  useEffect(() => {
    const element = dialog.current;
    if (element === null) {
      return;
    }
    if (warn && !element.open) {
      element.showModal();
    }
    if (!warn && element.open) {
      element.close();
    }
  }, [warn]);

  const minutes = Math.floor(Math.max(secondsLeft, 0) / 60);
  const seconds = Math.max(secondsLeft, 0) % 60;
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="idle-title" aria-describedby="idle-text">
      <h2 id="idle-title">You are about to be signed out</h2>
      <p id="idle-text">
        For your pupils’ privacy, Haven signs you out after {idleMinutes} minutes without activity. You will
        be signed out in{' '}
        <strong>
          {minutes > 0 ? `${minutes} minute${minutes === 1 ? '' : 's'} ` : ''}
          {seconds} second{seconds === 1 ? '' : 's'}
        </strong>
        .
      </p>
      <div className="button-group">
        <button
          type="button"
          className="button button--primary"
          // Any answered request counts as activity on the server; /me is the cheapest one.
          onClick={() => void api.get('/api/v1/me')}
        >
          Stay signed in
        </button>
        <button
          type="button"
          className="button button--secondary"
          onClick={() =>
            void api.post('/api/v1/auth/logout').finally(() => {
              queryClient.clear();
              void navigate('/sign-in?reason=signed-out');
            })
          }
        >
          Sign out now
        </button>
      </div>
    </dialog>
  );
}
