import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, use, useEffect, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate, useParams } from 'react-router';
import { api, ApiError, onSignedOut } from '../api/client.ts';
import type { Me, MySchool } from '../api/types.ts';
import { Loading } from '../components/status.tsx';

export const ME_KEY = ['me'] as const;

export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: () => api.get<Me>('/api/v1/me'),
    retry: false,
    staleTime: 60_000,
  });
}

const SessionContext = createContext<Me | undefined>(undefined);

/** The signed-in person; only inside <RequireSession>. */
export function useSession(): Me {
  const me = use(SessionContext);
  if (me === undefined) {
    throw new Error('useSession outside RequireSession');
  }
  return me;
}

/** Pages behind sign-in: without a session, off to the sign-in page and back here afterwards. */
export function RequireSession({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  useEffect(
    () =>
      onSignedOut(() => {
        // Only someone who was signed in has a session that "ended"; a first visit just goes to sign in.
        if (queryClient.getQueryData(ME_KEY) === undefined) {
          return;
        }
        queryClient.clear();
        void navigate(
          `/sign-in?reason=ended&next=${encodeURIComponent(location.pathname + location.search)}`,
        );
      }),
    [navigate, queryClient, location.pathname, location.search],
  );
  if (me.isPending) {
    return <Loading what="your account" />;
  }
  if (me.isError) {
    if (me.error instanceof ApiError && me.error.status === 401) {
      return (
        <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />
      );
    }
    throw me.error;
  }
  return <SessionContext value={me.data}>{children}</SessionContext>;
}

/** The school of the current /schools/:schoolId page, as the signed-in person sees it. */
export function useSchool(): MySchool {
  const { schoolId } = useParams();
  const me = useSession();
  const school = me.schools.find((entry) => entry.id === schoolId);
  if (school === undefined) {
    throw new ApiError(404, 'not_found', 'That school was not found, or your account does not work there.');
  }
  return school;
}

export function can(school: MySchool, permission: string): boolean {
  return school.permissions.includes(permission);
}

/** The platform operator runs the platform (schools, keys), and sees no school's pupils. */
export function isOperator(me: Me): boolean {
  return me.memberships.some((membership) => membership.role === 'platform_operator');
}

/** App developers build apps schools may authorise; they see no school's data. */
export function isDeveloper(me: Me): boolean {
  return me.memberships.some((membership) => membership.role === 'app_developer');
}

/** Support engineers see a school only while its administrator's grant is live. */
export function isSupportEngineer(me: Me): boolean {
  return me.memberships.some((membership) => membership.role === 'support_engineer');
}

/** The virtual schools (local authorities) this person works in, once each, whatever their roles there. */
export function myAuthorities(me: Me): Array<{ id: string; name: string }> {
  const seen = new Map<string, string>();
  for (const membership of me.memberships) {
    if (membership.orgKind === 'local_authority' && !seen.has(membership.orgId)) {
      seen.set(membership.orgId, membership.orgName);
    }
  }
  return [...seen].map(([id, name]) => ({ id, name }));
}
