// The MIS connector as the web app sees it: types from the server's own schemas and the words staff read.
import type { Static } from 'typebox';
import type {
  ConnectorPage,
  ConnectorView,
  ConnectorWithToken,
  SyncOutcome,
} from '../../../../src/modules/connectors/connectors.schema.ts';

export type ConnectorPageData = Static<typeof ConnectorPage>;
export type Connector = Static<typeof ConnectorView>;
export type Sync = Connector['syncs'][number];
export type Category = ConnectorPageData['categories'][number];
export type CreatedConnector = Static<typeof ConnectorWithToken>;
export type SyncResult = Static<typeof SyncOutcome>;

export const connectorPath = (schoolId: string) => `/api/v1/schools/${schoolId}/connector`;
export const connectorKey = (schoolId: string) => ['connector', schoolId];

export const KIND_NAMES: Record<string, string> = {
  drop_folder: 'Drop folder (scheduled MIS exports, or uploads from an agent)',
  oneroster: 'OneRoster 1.2 API',
};

export const STATUS_NAMES: Record<string, string> = {
  succeeded: 'Synced',
  unchanged: 'No changes',
  refused: 'Refused: the export has errors',
  failed: 'Failed',
};

export const TRIGGER_NAMES: Record<string, string> = {
  schedule: 'Scheduled',
  manual: 'Sync now',
  upload: 'Agent upload',
  folder: 'Drop folder',
};
