import { describe, expect, it } from 'vitest';
import { fileNameOf } from '../api.ts';
import { describeProposal } from './link-proposal.tsx';
import { sessionUrlProblem } from './session-source.ts';

const page = { href: 'http://127.0.0.1:3000/?conn=2', origin: 'http://127.0.0.1:3000' };

describe('session addresses', () => {
  it('takes any address on the page origin, relative or absolute', () => {
    for (const url of ['/api/session.json', 'saved/s.json', 'http://127.0.0.1:3000/x.json', '?x']) expect(sessionUrlProblem(url, page), url).toBeNull();
  });

  it('refuses another origin, naming both and what to do instead (another port and scheme count)', () => {
    for (const url of ['http://127.0.0.1:3001/s.json', 'https://127.0.0.1:3000/s.json', 'http://localhost:3000/s.json', '//evil.example/s.json', 'data:application/json,{}']) {
      const problem = sessionUrlProblem(url, page);
      expect(problem, url).toContain('this page may only fetch from its own (http://127.0.0.1:3000)');
      expect(problem, url).toContain('open it with Open… or drop it on the page');
    }
  });
});

describe('downloads', () => {
  it('save under the server-given name, never a path', () => {
    expect(fileNameOf('attachment; filename="tcpscope-conn-3.pcap"')).toBe('tcpscope-conn-3.pcap');
    expect(fileNameOf('attachment; filename=plain.csv')).toBe('plain.csv');
    expect(fileNameOf('attachment; filename="../../etc/passwd"')).toBe(null);
    expect(fileNameOf(null)).toBeNull();
  });
});

describe('link proposals', () => {
  it('say what they would change, in the words of the controls', () => {
    expect(describeProposal({ bufferSize: 1, framing: { mode: 'length-prefix', prefixBytes: 4, maxMessageBytes: 16777216 } })).toBe(
      'This link proposes read buffer 1 B and framing length-prefix 4 B (max 16777216 B) for the live server.',
    );
    expect(describeProposal({ bufferSize: 7 })).toBe('This link proposes read buffer 7 B for the live server.');
  });
});
