/**
 * Every version of the IndexedDB schema, oldest first. A version is never edited once shipped:
 * a change is a new entry with its upgrade, so any older database opens and migrates.
 */
import type { Transaction } from 'dexie';

export interface SchemaVersion {
  version: number;
  stores: Record<string, string | null>;
  upgrade?: (tx: Transaction) => Promise<unknown>;
}

export const SCHEMA_VERSIONS: SchemaVersion[] = [
  {
    version: 1,
    stores: {
      projects: 'id, name, createdAt',
      tracks: 'id, projectId',
      clips: 'id, projectId, trackId',
      assets: 'id, sha256, status, *projectIds',
      chunks: '[assetId+index], assetId',
      peaks: 'assetId'
    }
  },
  {
    // v2: the project list sorts by last change, so projects carry an indexed updatedAt.
    version: 2,
    stores: { projects: 'id, name, createdAt, updatedAt' },
    upgrade: (tx) =>
      tx
        .table('projects')
        .toCollection()
        .modify((p: { createdAt: number; updatedAt?: number }) => {
          p.updatedAt ??= p.createdAt;
        })
  },
  {
    // v3: measurements kept with what they measured (an asset, or a track's sound by its key).
    version: 3,
    stores: { analyses: 'key, assetId' }
  },
  {
    // v4: third-party plugins the person confirmed, pinned by the SHA-256 of their module.
    version: 4,
    stores: { plugins: 'url, addedAt' }
  },
  {
    // v5: the master as delivered, measured whole (its chains carry state across tracks), kept
    // under a hash of everything it depends on.
    version: 5,
    stores: { masters: 'key, projectId' }
  },
  {
    // v6: images a project keeps (the cover for the masters' tags), by id.
    version: 6,
    stores: { images: 'id, projectId' }
  }
];

export const CURRENT_SCHEMA_VERSION = SCHEMA_VERSIONS[SCHEMA_VERSIONS.length - 1].version;
