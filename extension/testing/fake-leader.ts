/**
 * A fake DAP leader on 127.0.0.1 for tests: takes `PUT /tasks/{task}/reports`, keeps every body
 * byte for byte, and answers with a scripted sequence (DAP problem details or a status), else 200.
 * `GET /hpke_config` serves `hpkeConfigList` when set. The real leader is exercised by the
 * aggregator tests and the e2e test.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LeaderAnswer {
  status: number;
  /** A DAP problem type (`reportRejected` …): sent as `application/problem+json`. */
  problem?: string;
}

export interface FakeLeader {
  url: string;
  answers: LeaderAnswer[];
  uploads: { path: string; contentType: string; body: Uint8Array }[];
  hpkeConfigList: Uint8Array | null;
  close(): Promise<void>;
}

async function readBytes(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

export async function startFakeLeader(): Promise<FakeLeader> {
  const leader: FakeLeader = {
    url: '',
    answers: [],
    uploads: [],
    hpkeConfigList: null,
    close: () => Promise.resolve(),
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBytes(req);
      const path = req.url ?? '';
      if (req.method === 'GET' && path.startsWith('/hpke_config') && leader.hpkeConfigList) {
        res.writeHead(200, { 'content-type': 'application/dap-hpke-config-list' });
        return res.end(leader.hpkeConfigList);
      }
      if (req.method !== 'PUT' || !/^\/tasks\/[^/]+\/reports$/.test(path)) {
        res.writeHead(404);
        return res.end();
      }
      leader.uploads.push({ path, contentType: req.headers['content-type'] ?? '', body });
      const answer = leader.answers.shift() ?? { status: 200 };
      if (answer.problem === undefined) {
        res.writeHead(answer.status);
        return res.end();
      }
      res.writeHead(answer.status, { 'content-type': 'application/problem+json' });
      res.end(
        JSON.stringify({
          type: `urn:ietf:params:ppm:dap:error:${answer.problem}`,
          title: answer.problem,
          detail: `scripted ${answer.problem}`,
        }),
      );
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  leader.url = `http://127.0.0.1:${port}/`;
  leader.close = () => new Promise((resolve) => server.close(() => resolve()));
  return leader;
}
