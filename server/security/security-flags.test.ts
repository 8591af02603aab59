// The access and limit flags, through the same parser as `npm start`.
import { describe, expect, it } from 'vitest';
import { FlagError, parseFlags, USAGE } from '../cli/flags.ts';
import { DEFAULT_LIMITS } from './limits.ts';
import { accessNote, dashboardUrl, echoExposureWarning, resolveSecurity } from './security-options.ts';

describe('security flags', () => {
  it('default to no token, no extra hosts, the documented limits, and an echo port on loopback', () => {
    const flags = parseFlags(['--host', '0.0.0.0']);
    expect(flags.security).toEqual({ token: null, allowHosts: [], limits: {} });
    expect(flags.tcpHost).toBe('127.0.0.1');
    expect(resolveSecurity('127.0.0.1', flags.security).limits).toEqual(DEFAULT_LIMITS);
  });

  it('read every limit, --token and repeated --allow-host', () => {
    const flags = parseFlags([
      '--token', 'abcdefghijklmnop', '--allow-host', 'dash.lan', '--allow-host', '192.0.2.1',
      '--max-connections', '5', '--max-subscribers', '6', '--max-ws-message', '1024', '--max-body', '2048',
      '--max-bursts', '7', '--burst-rate', '8',
    ]);
    expect(flags.security).toEqual({
      token: 'abcdefghijklmnop',
      allowHosts: ['dash.lan', '192.0.2.1'],
      limits: { maxConnections: 5, maxSubscribers: 6, maxWsMessageBytes: 1024, maxBodyBytes: 2048, maxBursts: 7, burstRatePerMinute: 8 },
    });
  });

  it.each([
    [['--token', 'short'], '--token "short": must be 16 to 256 characters'],
    [['--token', 'has space in it ok?'], '--token "has space in it ok?": must be 16 to 256 characters'],
    [['--allow-host', 'a b'], '--allow-host "a b": must be a host name'],
    [['--max-connections', '0'], '--max-connections "0": must be an integer from 1 to 1000000'],
    [['--max-body', '1e6'], '--max-body "1e6": must be an integer from 1024 to 67108864'],
    [['--burst-rate=-1'], '--burst-rate "-1": must be an integer from 1 to 1000000'],
    [['--max-ws-message', ' 5'], '--max-ws-message " 5": must be an integer from 128 to 16777216'],
  ])('refuses %j naming the flag', (argv, message) => {
    expect(() => parseFlags(argv)).toThrow(FlagError);
    expect(() => parseFlags(argv)).toThrow(message);
  });

  it('documents every flag in the usage text', () => {
    for (const f of ['--token', '--allow-host', '--max-connections', '--max-subscribers', '--max-ws-message', '--max-body', '--max-bursts', '--burst-rate']) {
      expect(USAGE).toContain(f);
    }
  });
});

describe('resolveSecurity', () => {
  it('needs no token on loopback, makes one up beyond it, and keeps a given one', () => {
    expect(resolveSecurity('127.0.0.1')).toMatchObject({ token: null, tokenGenerated: false });
    expect(resolveSecurity('::1')).toMatchObject({ token: null, tokenGenerated: false });
    const made = resolveSecurity('0.0.0.0');
    expect(made.tokenGenerated).toBe(true);
    expect(made.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(resolveSecurity('192.0.2.1', { token: 'abcdefghijklmnop' })).toMatchObject({ token: 'abcdefghijklmnop', tokenGenerated: false });
    expect(resolveSecurity('127.0.0.1', { token: 'abcdefghijklmnop' })).toMatchObject({ token: 'abcdefghijklmnop', tokenGenerated: false });
  });

  it('prints a made-up token once, inside a ready-to-open URL, and warns about an exposed echo port', () => {
    const s = { token: 'T0k3nT0k3nT0k3nT0k3n', tokenGenerated: true };
    expect(dashboardUrl('http://192.0.2.1:3000', s)).toBe('http://192.0.2.1:3000/?token=T0k3nT0k3nT0k3nT0k3n');
    expect(dashboardUrl('http://127.0.0.1:3000', { token: 'given-token-given', tokenGenerated: false })).toBe('http://127.0.0.1:3000/');
    expect(new URL(dashboardUrl('http://0.0.0.0:3000', s)).hostname).not.toBe('0.0.0.0');
    expect(accessNote({ token: null, tokenGenerated: false })).toBe('');
    expect(accessNote(s)).toContain('access token');
    expect(echoExposureWarning('127.0.0.1')).toBe('');
    expect(echoExposureWarning('0.0.0.0')).toContain('warning');
  });
});
