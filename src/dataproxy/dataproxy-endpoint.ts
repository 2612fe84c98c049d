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
 * One attempt: `POST <node>/dataproxy/message` with the pack's form, on the next node of its
 * group, as the DataProxy HTTP source accepts it (spec 6). Never rejects: no node and no reply
 * are network outcomes. `node` says which node answered, for parking.
 * @example const { outcome, node } = await postPack(transport, route, pack, 10_000);
 */
export async function postPack(
  transport: Transport,
  route: (groupId: string) => NodeRoute,
  pack: Pick<Pack, 'groupId' | 'streamId' | 'dt' | 'records' | 'wire'>,
  timeoutMs: number,
): Promise<{ outcome: Outcome; node?: string }> {
  const { pool, ready } = route(pack.groupId);
  await ready?.();
  const node = pool.pick();
  if (!node) return { outcome: { kind: 'network', timedOut: false, message: 'no DataProxy node known' } };
  try {
    const response = await transport.send({ url: `${node}/dataproxy/message`, headers: { 'content-type': FORM_CONTENT_TYPE }, body: packToForm(pack), timeoutMs });
    return { outcome: parseReply(response), node };
  } catch (error) {
    const timedOut = (error as { timedOut?: unknown })?.timedOut === true;
    return { outcome: { kind: 'network', timedOut, message: `${node}: ${error instanceof Error ? error.message : String(error)}` }, node };
  }
}

/**
 * Sends each pack as one DataProxy form. A node that fails at node level (no reply, 5xx, codes
 * 1/2/114/…) is parked, so the retry goes to another node.
 * @example createDataProxyEndpoint({ transport, timeoutMs: 10_000, route: () => ({ pool }) })
 */
export function createDataProxyEndpoint(options: DataProxyEndpointOptions): Endpoint {
  const sendOne = async (pack: Pack): Promise<Outcome> => {
    const { outcome, node } = await postPack(options.transport, options.route, pack, options.timeoutMs);
    if (node && classify(outcome).action === 'retry') options.route(pack.groupId).pool.park(node);
    return outcome;
  };

  return {
    name: 'dataproxy',
    maxPacksPerCall: 1,
    deliver: (packs) => Promise.all(packs.map(sendOne)),
  };
}
