import { describe, expect, it } from 'vitest';

import { classifyDapAnswer, dapProblem } from './dap-answer.ts';

const problem = (type: string) =>
  JSON.stringify({ type: `urn:ietf:params:ppm:dap:error:${type}`, detail: 'why' });

describe('the leader’s answer to an upload', () => {
  it('is stored on 2xx', () => {
    expect(classifyDapAnswer(200, '')).toEqual({ kind: 'stored' });
  });

  it('is final for a rejected or malformed report: the same bytes would be refused again', () => {
    expect(classifyDapAnswer(400, problem('reportRejected'))).toEqual({ kind: 'rejected' });
    expect(classifyDapAnswer(400, problem('invalidMessage'))).toEqual({ kind: 'rejected' });
    expect(classifyDapAnswer(403, 'nope')).toEqual({ kind: 'rejected' });
  });

  it('is retried, with a sentence, for an outdated key, a report too early or an unknown task', () => {
    const outdated = classifyDapAnswer(400, problem('outdatedConfig'));
    expect(outdated).toMatchObject({ kind: 'retry', code: 'DAP_OUTDATED_CONFIG' });
    expect(outdated.kind === 'retry' && outdated.message.endsWith('(why)')).toBe(true);
    expect(classifyDapAnswer(400, problem('reportTooEarly'))).toMatchObject({
      code: 'DAP_REPORT_TOO_EARLY',
    });
    expect(classifyDapAnswer(404, problem('unrecognizedTask'))).toMatchObject({
      code: 'DAP_UNKNOWN_TASK',
    });
  });

  it('is retried on 408, 429 and 5xx', () => {
    for (const status of [408, 429, 500, 503]) {
      expect(classifyDapAnswer(status, '')).toMatchObject({
        kind: 'retry',
        code: `HTTP_${status}`,
      });
    }
  });

  it('reads only DAP problem types', () => {
    expect(dapProblem(problem('reportRejected'))).toEqual({
      type: 'reportRejected',
      detail: 'why',
    });
    expect(dapProblem('{"type":"about:blank"}')).toBeNull();
    expect(dapProblem('not json')).toBeNull();
  });
});
