// Response types come from the server's own TypeBox schemas (type-only imports: nothing of the server is
// bundled), so the web app and the API cannot drift apart unnoticed: `npm run typecheck` catches it.
import type { Static } from 'typebox';
import type { MeResponse, SessionsResponse } from '../../../src/modules/organisations/auth.schema.ts';

export type Me = Static<typeof MeResponse>;
export type MySchool = Me['schools'][number];
export type SessionList = Static<typeof SessionsResponse>;
