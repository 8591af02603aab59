import { describe, expect, it } from 'vitest';
import { FlagError, parseFlags } from './flags.ts';

describe('parseFlags', () => {
  it('gives the defaults with no flags', () => {
    expect(parseFlags([])).toEqual({
      httpPort: 3000,
      tcpPort: 5055,
      host: '127.0.0.1',
      tcpHost: '127.0.0.1',
      bufferSize: 1024,
      replyMode: 'ack',
      capture: true,
      watch: [],
      security: { token: null, allowHosts: [], limits: {} },
      help: false,
    });
  });

  it('reads every flag', () => {
    const f = parseFlags(['--http-port', '0', '--tcp-port', '7007', '--host', '::1', '--buffer-size', '7', '--reply', 'echo']);
    // --host moves the dashboard only: the echo port stays on loopback unless --tcp-host says otherwise.
    expect(f).toMatchObject({ httpPort: 0, tcpPort: 7007, host: '::1', tcpHost: '127.0.0.1', bufferSize: 7, replyMode: 'echo' });
  });

  it('turns the wire capture off with --no-capture', () => {
    expect(parseFlags(['--no-capture']).capture).toBe(false);
  });

  it.each([
    [['--buffer-size', '0'], '--buffer-size "0": must be an integer from 1 to 65536'],
    [['--buffer-size', '65537'], '--buffer-size "65537": must be an integer from 1 to 65536'],
    [['--buffer-size', 'big'], '--buffer-size "big": must be an integer from 1 to 65536'],
    [['--http-port', '70000'], '--http-port "70000": must be a port number from 0 to 65535'],
    [['--tcp-port', '-1'], '--tcp-port'],
    [['--reply', 'loud'], '--reply "loud": must be one of ack, echo, none'],
    [['--host', 'example.com'], '--host "example.com": must be an IP address'],
    [['--colour', 'red'], "Unknown option '--colour'"],
    [['stray'], 'stray'],
  ])('refuses %j naming the flag', (argv, message) => {
    expect(() => parseFlags(argv)).toThrow(FlagError);
    expect(() => parseFlags(argv)).toThrow(message);
  });
});

describe('--watch', () => {
  it('is repeatable, at most 8, never the echo port', () => {
    expect(parseFlags(['--watch', '8080', '--watch', '9090']).watch).toEqual([8080, 9090]);
    expect(() => parseFlags(['--watch', '0'])).toThrow('--watch "0": must be a port number from 1 to 65535');
    expect(() => parseFlags(['--watch', '5055'])).toThrow(/own echo server/);
    expect(() => parseFlags(Array.from({ length: 9 }, (_, i) => ['--watch', String(8000 + i)]).flat())).toThrow(/at most 8/);
  });
});
