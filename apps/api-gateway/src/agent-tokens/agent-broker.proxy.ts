import type { INestApplication } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { errorBody } from '@millrace/server-kit';

/**
 * The broker's Agent API routes (API.md). Only these are forwarded: the gateway's own
 * `/api/agent_workers/create_agent_token|list_tokens|blacklist_token` are not.
 */
const BROKER_ROUTES = [
  /^\/api\/agent_workers\/(update_ping|pull_job|end_poll|record_init_job)(\?|$)/,
  /^\/api\/agent_workers\/ping_job_status\/[^/?]+(\?|$)/,
  /^\/api\/w\/[^/]+\/agent_workers\/(push_logs|send_result|release_job)\/[^/?]+(\?|$)/,
];

export function isBrokerRoute(url: string): boolean {
  return BROKER_ROUTES.some((r) => r.test(url));
}

/**
 * Forwards the Agent API to the broker so agents need one base URL. Mounted before any body
 * parser: the request streams through untouched, headers kept (Authorization, X-Worker-Suffix,
 * X-Job-Token), and long polls are not cut short by a proxy timeout.
 */
export function mountAgentBrokerProxy(app: INestApplication, brokerUrl: string): void {
  const proxy = createProxyMiddleware<IncomingMessage, ServerResponse>({
    target: brokerUrl,
    changeOrigin: false,
    xfwd: true,
    pathFilter: (path, req) => isBrokerRoute(req.url ?? path),
    proxyTimeout: 120_000,
    on: {
      error: (_err, _req, res) => {
        // `res` is a socket for upgrade requests, which the Agent API does not use.
        if (!('writeHead' in res) || res.headersSent) return;
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify(errorBody(502, 'the agent broker is unreachable')));
      },
    },
  });
  app.use(proxy);
}
