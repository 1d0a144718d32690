// Support access as the web app sees it: types from the server's schemas, and the words people read.
import type { Static } from 'typebox';
import type {
  GrantsResponse,
  EngineersResponse,
} from '../../../../src/modules/governance/support-access.schema.ts';

export type Grant = Static<typeof GrantsResponse>[number];
export type Engineers = Static<typeof EngineersResponse>;

export const STATUS_WORDS: Record<Grant['status'], string> = {
  scheduled: 'Starts later',
  live: 'In use now',
  expired: 'Ended (time ran out)',
  revoked: 'Ended by the school',
  ticket_closed: 'Ended (ticket closed)',
};

export const ACCESS_WORDS: Record<Grant['access'], string> = {
  view: 'Read only (pupils and analysis)',
  data: 'Data manager (also imports)',
};

export const grantsKey = (schoolId: string) => ['support-grants', schoolId];
