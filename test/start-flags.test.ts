// `npm start`, the installed `tcpscope` command and the bench run the server with the same Node flags:
// a figure measured one way holds for the others.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const read = (f: string) => readFileSync(path.join(ROOT, f), 'utf8');

describe('the Node flags tcpscope runs with', () => {
  it('are the same in npm start, the command\'s shebang, the bench and the idle-RSS script, glibc\'s malloc settings too', () => {
    const shebang = /^#!\/usr\/bin\/env -S GLIBC_TUNABLES=(\S+) node((?: --[\w-]+=\S+)*)\n/.exec(read('bin/tcpscope.js'));
    expect(shebang).not.toBeNull();
    const tunables = shebang![1]!;
    const flags = shebang![2]!.trim().split(' ');
    expect(flags).toContain('--max-semi-space-size=2');
    expect(tunables).toContain('glibc.malloc.trim_threshold=');
    const start = (JSON.parse(read('package.json')) as { scripts: { start: string } }).scripts.start;
    expect(start).toBe(`GLIBC_TUNABLES=${tunables} node ${flags.join(' ')} bin/tcpscope.js`);
    for (const f of ['bench/servers.ts', 'scripts/idle-rss.mjs']) {
      for (const flag of flags) expect(read(f), f).toContain(`'${flag}'`);
      expect(read(f), f).toContain(`'${tunables}'`);
    }
  });
});
