import type { Endpoint } from '../core/delivery.js';
import type { Outcome } from '../core/retry-policy.js';
import { classify } from '../core/retry-policy.js';
import type { Pack, Transport } from '../core/types.js';
import { FORM_CONTENT_TYPE, packToForm } from './form.js';
import { parseReply } from './reply.js';
import type { NodePool } from './node-pool.js';

/** The nodes that serve one group. */
export interface NodeRoute {
  pool: NodePool;
  /** Resolves once the first node list is known (Manager discovery); awaited before each send. */
  ready?: () => Promise<unknown>;
}

export interface DataProxyEndpointOptions {
  transport: Transport;
  timeoutMs: number;
  /** The nodes for a group: one static pool for all, or one discovered pool per group. */
  route: (groupId: string) => NodeRoute;
}

/**
 * Sends each pack as one `POST <node>/dataproxy/message` form, exactly as the DataProxy HTTP
 * source accepts it (spec 6). A node that fails at node level (no reply, 5xx, codes 1/2/114/…)
 * is parked, so the retry goes to another node.
 * @example createDataProxyEndpoint({ transport, timeoutMs: 10_000, route: () => ({ pool }) })
 */
export function createDataProxyEndpoint(options: DataProxyEndpointOptions): Endpoint {
  const sendOne = async (pack: Pack): Promise<Outcome> => {
    const { pool, ready } = options.route(pack.groupId);
    await ready?.();
    const node = pool.pick();
    if (!node) return { kind: 'network', timedOut: false, message: 'no DataProxy node known' };
    let outcome: Outcome;
    try {
      const response = await options.transport.send({
        url: `${node}/dataproxy/message`,
        headers: { 'content-type': FORM_CONTENT_TYPE },
        body: packToForm(pack),
        timeoutMs: options.timeoutMs,
      });
      outcome = parseReply(response);
    } catch (error) {
      const timedOut = (error as { timedOut?: unknown })?.timedOut === true;
      outcome = { kind: 'network', timedOut, message: `${node}: ${String((error as Error)?.message ?? error)}` };
    }
    if (classify(outcome).action === 'retry') pool.park(node);
    return outcome;
  };

  return {
    name: 'dataproxy',
    maxPacksPerCall: 1,
    deliver: (packs) => Promise.all(packs.map(sendOne)),
  };
}
