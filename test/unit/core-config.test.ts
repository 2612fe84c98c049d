import { describe, expect, it } from 'vitest';
import { parseSenderConfig, SENDER_OPTIONS } from '../../src/core/config.js';
import { ConfigError } from '../../src/core/errors/config-error.js';

describe('sender config', () => {
  it('has every default', () => {
    const config = parseSenderConfig({ dataproxyUrls: ['http://x'] });
    for (const [name, spec] of Object.entries(SENDER_OPTIONS)) {
      if (name !== 'dataproxyUrls') expect(config[name as keyof typeof config]).toEqual(spec.default);
    }
  });

  it('reads a C++ config file: init-param, snake_case keys, units converted, TCP-only keys ignored', () => {
    const config = parseSenderConfig(JSON.stringify({ 'init-param': {
      inlong_group_ids: 'g1, g2', manager_url: 'http://m/getIpList', manager_update_interval: 3, manager_url_timeout: 2,
      pack_size: '4096', pack_timeout: 500, need_auth: 'true', auth_id: 'id', auth_key: 'key', retry_times: 0,
      msg_type: 7, tcp_idle_time: 600000, log_level: 3,
    } }));
    expect(config).toMatchObject({ groupIds: ['g1', 'g2'], managerUrl: 'http://m/getIpList', managerUpdateIntervalMs: 180_000, managerTimeoutMs: 2000, packSize: 4096, packTimeoutMs: 500, needAuth: true, authId: 'id', authKey: 'key', retryTimes: 0 });
  });

  it.each([
    [{ pack_sise: 1 }, 'pack_sise', /is not an option/],
    [{ pack_size: 'big' }, 'pack_size', /must be a number/],
    [{ pack_size: 10 }, 'pack_size', /at least 64/],
    [{ enable_zip: 'yes' }, 'enable_zip', /true or false/],
    [{ inlong_group_ids: 5 }, 'inlong_group_ids', /comma-separated/],
    [{ manager_update_interval: 0 }, 'manager_update_interval', /at least/],
    [{ need_auth: true }, 'auth_id', /required/],
    ['[1,2]', '(root)', /object/],
    ['{oops', '(json)', /valid JSON/],
  ])('rejects %j naming %s', (input, option, message) => {
    try {
      parseSenderConfig(input);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).option).toBe(option);
      expect((error as Error).message).toMatch(message);
    }
  });
});
