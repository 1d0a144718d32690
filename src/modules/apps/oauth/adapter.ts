import type { Adapter, AdapterPayload } from 'oidc-provider';
import { PLATFORM_ORG_ID } from '../../../platform/audit/audit-log.ts';
import type { Services } from '../../../services.ts';
import { clientMetadataFor } from '../registry.service.ts';
import * as artifacts from './artifacts.repository.ts';

function isPayload(value: unknown): value is AdapterPayload {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function payloadOf(row: artifacts.ArtifactRow | undefined): AdapterPayload | undefined {
  if (row === undefined || !isPayload(row.payload)) {
    return undefined;
  }
  return row.consumed_at === null
    ? row.payload
    : { ...row.payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) };
}

/**
 * oidc-provider's storage in Haven's database (PGlite or PostgreSQL), in the platform's own tenant: codes,
 * tokens, grants, interactions and sessions, one row each. Clients are not stored here: they are the apps
 * of the registry, read as oidc-provider client metadata.
 */
export function adapterFor(services: Services): new (model: string) => Adapter {
  const inPlatform = <R>(work: Parameters<typeof services.db.withSchool<R>>[1]) =>
    services.db.withSchool(PLATFORM_ORG_ID, work);

  return class HavenOAuthAdapter implements Adapter {
    readonly model: string;

    constructor(model: string) {
      this.model = model;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void> {
      if (this.model === 'Client') {
        throw new Error('clients are registered as apps, not through the OAuth adapter');
      }
      await inPlatform((trx) =>
        artifacts.upsertArtifact(trx, {
          model: this.model,
          id,
          payload: JSON.stringify(payload),
          grantId: payload.grantId ?? null,
          uid: payload.uid ?? null,
          userCode: payload.userCode ?? null,
          expiresAt: expiresIn === undefined ? null : new Date(Date.now() + expiresIn * 1000),
        }),
      );
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === 'Client') {
        return clientMetadataFor(services, id);
      }
      return payloadOf(await inPlatform((trx) => artifacts.findArtifact(trx, this.model, { id })));
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return payloadOf(await inPlatform((trx) => artifacts.findArtifact(trx, this.model, { uid })));
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return payloadOf(await inPlatform((trx) => artifacts.findArtifact(trx, this.model, { userCode })));
    }

    async consume(id: string): Promise<void> {
      await inPlatform((trx) => artifacts.consumeArtifact(trx, this.model, id));
    }

    async destroy(id: string): Promise<void> {
      await inPlatform((trx) => artifacts.destroyArtifact(trx, this.model, id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await inPlatform((trx) => artifacts.destroyGrant(trx, grantId));
    }
  };
}
