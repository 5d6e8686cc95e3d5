/**
 * A fake union on 127.0.0.1 for tests: serves a signed config, answers joins and member status,
 * receives reports with a scripted sequence of answers, and (when `earnings` is set) answers the
 * revenue-share routes. It keeps every request body.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { SignedConfig } from '../protocol/config.ts';
import { GENESIS_HASH } from '../protocol/membership-log.ts';

export interface ScriptedAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeUnion {
  url: string;
  config: SignedConfig | null;
  /** Answers for the next report posts, in order; when empty: 201 `{"status":"accepted"}`. */
  reportAnswers: ScriptedAnswer[];
  reports: string[];
  /** Every request received, in order: method, path and the body text (empty when none). */
  requests: { method: string; path: string; body: string }[];
  joins: unknown[];
  memberStatus: string;
  joinStatus: string;
  /** `GET /v1/members/:address/earnings` answers this (200); null: 404, no revenue sharing. */
  earnings: unknown;
  /** Answers for the next withdrawal posts; when empty: 202 pending with a fixed id. */
  withdrawalAnswers: ScriptedAnswer[];
  withdrawals: string[];
  /** `GET /v1/withdrawals/:id` answers, by id; unknown id: 404 `WITHDRAWAL_NOT_FOUND`. */
  withdrawalLookups: Map<string, ScriptedAnswer>;
  /** The public membership log (hash-chained entries) `GET /v1/membership-log` serves, one page. */
  membershipLog: readonly { seq: number; hash: string }[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Listens on 127.0.0.1 (`port` 0: any free port). */
export async function startFakeUnion(port = 0): Promise<FakeUnion> {
  const union: FakeUnion = {
    url: '',
    config: null,
    reportAnswers: [],
    reports: [],
    requests: [],
    joins: [],
    memberStatus: 'active',
    joinStatus: 'active',
    earnings: null,
    withdrawalAnswers: [],
    withdrawals: [],
    withdrawalLookups: new Map(),
    membershipLog: [],
    close: () => Promise.resolve(),
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      union.requests.push({ method: req.method ?? '', path: req.url ?? '', body });
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      };
      if (req.method === 'GET' && req.url === '/v1/config') {
        if (!union.config) return send(404, { error: { code: 'NO_CONFIG', message: 'None.' } });
        return send(200, union.config);
      }
      if (req.method === 'POST' && req.url === '/v1/join') {
        const join = JSON.parse(body) as { request: { member: string } };
        union.joins.push(join);
        union.memberStatus = union.joinStatus;
        return send(200, {
          member: { address: join.request.member.toLowerCase(), status: union.joinStatus },
          secretAccepted: union.joinStatus === 'active',
        });
      }
      if (req.method === 'POST' && req.url === '/v1/leave') {
        union.memberStatus = 'left';
        return send(200, { member: { status: 'left' } });
      }
      if (req.method === 'GET' && /^\/v1\/members\/[^/]+\/earnings$/.test(req.url ?? '')) {
        if (union.earnings === null) {
          return send(404, { error: { code: 'NOT_FOUND', message: 'No such endpoint.' } });
        }
        return send(200, union.earnings);
      }
      if (req.method === 'POST' && req.url === '/v1/withdrawals') {
        union.withdrawals.push(body);
        const answer = union.withdrawalAnswers.shift() ?? {
          status: 202,
          body: { id: 'w-1', txHash: `0x${'ab'.repeat(32)}`, status: 'pending' },
        };
        return send(answer.status, answer.body ?? {}, answer.headers);
      }
      if (req.method === 'GET' && req.url?.startsWith('/v1/withdrawals/')) {
        const id = decodeURIComponent(req.url.slice('/v1/withdrawals/'.length));
        const answer = union.withdrawalLookups.get(id);
        if (!answer) {
          return send(404, { error: { code: 'WITHDRAWAL_NOT_FOUND', message: 'No such id.' } });
        }
        return send(answer.status, answer.body ?? {}, answer.headers);
      }
      if (req.method === 'GET' && req.url?.startsWith('/v1/members/')) {
        if (union.joins.length === 0) {
          return send(404, { error: { code: 'MEMBER_NOT_FOUND', message: 'Not asked.' } });
        }
        return send(200, { status: union.memberStatus });
      }
      if (req.method === 'GET' && req.url?.startsWith('/v1/membership-log')) {
        const after = Number(new URL(req.url, 'http://union').searchParams.get('after') ?? 0);
        const last = union.membershipLog.at(-1);
        return send(200, {
          entries: union.membershipLog.filter((e) => e.seq > after),
          head: last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_HASH },
          next: null,
        });
      }
      if (req.method === 'POST' && req.url === '/v1/reports') {
        union.reports.push(body);
        const answer = union.reportAnswers.shift() ?? { status: 201, body: { status: 'accepted' } };
        return send(answer.status, answer.body ?? {}, answer.headers);
      }
      send(404, { error: { code: 'NOT_FOUND', message: 'No such endpoint.' } });
    })();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  union.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  union.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return union;
}
