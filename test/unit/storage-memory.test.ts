import { describe, expect, it, vi } from 'vitest';
import { StorageQuotaError, isStorageQuotaError } from '../../src/core/errors/storage-quota-error.js';
import { createMemoryStorage } from '../../src/adapters/storage/memory.js';
import { storageContract } from '../helpers/storage-contract.js';

storageContract('memory', () => createMemoryStorage(), { describe, it, expect });

// Node < 17, Safari < 15.4: the adapter must still copy without structuredClone.
storageContract(
  'memory without structuredClone',
  () => {
    vi.stubGlobal('structuredClone', undefined);
    try {
      return createMemoryStorage();
    } finally {
      vi.unstubAllGlobals();
    }
  },
  { describe, it, expect },
);

describe('memory maxBytes', () => {
  it('rejects a write past the budget with StorageQuotaError, and keeps the old value', async () => {
    const storage = createMemoryStorage({ maxBytes: 1000 });
    await storage.set('a', 'x'.repeat(300));
    const error = await storage.set('b', 'y'.repeat(300)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StorageQuotaError);
    expect(isStorageQuotaError(error)).toBe(true);
    expect((error as StorageQuotaError).code).toBe('STORAGE_QUOTA');
    expect(await storage.get('b')).toBeUndefined();
    expect(await storage.get('a')).toBe('x'.repeat(300));
  });

  it('frees the budget on remove and counts an overwrite once', async () => {
    const storage = createMemoryStorage({ maxBytes: 1000 });
    await storage.set('a', 'x'.repeat(400));
    await storage.set('a', 'x'.repeat(400));
    await storage.remove('a');
    await storage.set('b', 'y'.repeat(450));
    expect(await storage.keys('')).toEqual(['b']);
  });
});
