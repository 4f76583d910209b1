import { describe, expect, it } from 'vitest';
import type { Recorder } from '../src/diagnostics/recorder';
import { handlePageRequest } from './handlePageRequest';

const sender = {
  id: 'ext',
  origin: 'https://example.org',
  frameId: 0,
  documentId: 'doc',
  tab: { id: 3 },
} as chrome.runtime.MessageSender;

function loggingRecorder(log: string[]): Recorder {
  return {
    async begin(record) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      log.push(`begin ${record.key} ${record.answeredBy} ${record.browserReason} ${record.origin}`);
    },
    async finish() {},
    async report(key, outcome) {
      log.push(`report ${key} ${outcome.status}`);
      return true;
    },
  };
}

const noServices = async () => {
  throw new Error('reports must not open the stores');
};

describe('handlePageRequest: diagnostics reports from the MAIN world', () => {
  it('a pass-through request\u2019s first report creates the record before its outcome, sent at once after it, is applied', async () => {
    const log: string[] = [];
    const recorder = loggingRecorder(log);
    const passThrough = { operation: 'get', options: { challenge: 'AAAA' }, mediation: 'conditional' };
    const [first, second] = await Promise.all([
      handlePageRequest(
        { kind: 'report', requestId: 'r1', passThrough, outcome: { status: 'pending' } },
        sender,
        noServices,
        recorder,
      ),
      handlePageRequest(
        { kind: 'report', requestId: 'r1', outcome: { status: 'error', name: 'AbortError', message: 'aborted' } },
        sender,
        noServices,
        recorder,
      ),
    ]);
    expect([first, second]).toEqual([undefined, undefined]);
    expect(log).toEqual(['begin 3/0/doc/r1 browser pass-through https://example.org', 'report 3/0/doc/r1 error']);
  });
});
