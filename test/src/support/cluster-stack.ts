import { afterEach } from 'vitest';
import {
  createTopology,
  makeCertificates,
  startCluster,
  type RedisNode,
  type Topology,
} from './redis-topology.ts';
import { startStack, type Stack } from './stack.ts';

export interface ClusterStack {
  stack: Stack;
  /** The cluster's three masters. */
  nodes: RedisNode[];
}

/**
 * A 3-master Redis Cluster of a test's own, with a password (TLS only with `tls`), and a stack
 * pointed at it; both are stopped after each test. Call it at the top level of a test file: it
 * registers that `afterEach` (hooks a file registers after it run before it, so a process of the
 * file's own stops first).
 */
export function clusterStacks(password: string): {
  start(env?: Record<string, string>, options?: { tls?: boolean }): Promise<ClusterStack>;
} {
  let topology: Topology | undefined;
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.stop().catch(() => undefined);
    stack = undefined;
    await topology?.stop();
    topology = undefined;
  });
  return {
    async start(env = {}, options = {}) {
      topology = await createTopology();
      const certs = options.tls ? makeCertificates(topology.dir) : undefined;
      const nodes = await startCluster(topology, password, certs);
      stack = await startStack({
        REDIS_CLUSTER_NODES: nodes.map((node) => `127.0.0.1:${node.port}`).join(','),
        REDIS_PASSWORD: password,
        ...(certs ? { REDIS_TLS: 'true', REDIS_TLS_CA_FILE: certs.caFile } : {}),
        ...env,
      });
      return { stack, nodes };
    },
  };
}
