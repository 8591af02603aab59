// Which Host headers the dashboard answers to: the DNS rebinding defence, as a pure function.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowedHostnames, hostnameOf, isAllowedHost, isLoopbackHost } from './host-check.ts';

describe('hostnameOf', () => {
  it.each([
    ['127.0.0.1:3000', '127.0.0.1'],
    ['[::1]:3000', '::1'],
    ['[::1]', '::1'],
    ['LocalHost:80', 'localhost'],
    ['dashboard.lan', 'dashboard.lan'],
  ])('reads %s as %s', (header, name) => {
    expect(hostnameOf(header)).toBe(name);
  });

  it.each([undefined, '', '::1', 'a b', 'host:port', '[::1', 'evil.example:3000:1', 'x:123456', 'localhost:99999', '[::1]:65536'])('refuses %j', (header) => {
    expect(hostnameOf(header)).toBeNull();
  });
});

describe('isAllowedHost', () => {
  const loopbackOnly = allowedHostnames('127.0.0.1', [], () => ['192.0.2.7']);

  it('answers to loopback names and addresses on any port', () => {
    for (const h of ['127.0.0.1:3000', 'localhost:3000', '[::1]:3000', '127.0.0.2:1', 'localhost']) {
      expect(isAllowedHost(h, loopbackOnly)).toBe(true);
    }
  });

  it('refuses near misses: a host that extends a loopback name, or a port beyond 65535', () => {
    for (const h of ['localhost:99999', '127.0.0.1:65536', 'localhostx:3000', 'localhost.evil:3000', '127.0.0.1.evil.example:3000', 'x127.0.0.1:3000']) {
      expect(isAllowedHost(h, loopbackOnly), h).toBe(false);
    }
    expect(isAllowedHost('localhost:65535', loopbackOnly)).toBe(true);
    // An --allow-host name does not let in names that merely start or end with it.
    const dash = allowedHostnames('127.0.0.1', ['dash.lan']);
    for (const h of ['dash.lan.evil:3000', 'xdash.lan:3000', 'dash.la:3000']) expect(isAllowedHost(h, dash), h).toBe(false);
  });

  it('refuses every other name: a rebinding page keeps its own name in Host', () => {
    for (const h of ['evil.example', 'evil.example:3000', '192.0.2.7:3000', 'localhost.evil.example', 'localhost.:3000', undefined]) {
      expect(isAllowedHost(h, loopbackOnly)).toBe(false);
    }
  });

  it('adds the --host value, --allow-host names, and for a wildcard host every interface', () => {
    expect(isAllowedHost('192.0.2.9:3000', allowedHostnames('192.0.2.9', []))).toBe(true);
    expect(isAllowedHost('Dash.LAN:3000', allowedHostnames('127.0.0.1', ['dash.lan']))).toBe(true);
    const wild = allowedHostnames('0.0.0.0', [], () => ['192.0.2.7', 'fe80::1', 'myhost']);
    for (const h of ['192.0.2.7:3000', '[fe80::1]:3000', 'myhost:3000', '0.0.0.0:3000']) expect(isAllowedHost(h, wild)).toBe(true);
    expect(isAllowedHost('evil.example:3000', wild)).toBe(false);
  });

  it('never lets through a name that is neither loopback nor allowed (property)', () => {
    const allowed = allowedHostnames('127.0.0.1', ['dash.lan']);
    fc.assert(
      fc.property(fc.domain(), fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }), (name, port) => {
        const header = port === undefined ? name : `${name}:${port}`;
        const expected = allowed.has(name.toLowerCase()) || isLoopbackHost(name);
        expect(isAllowedHost(header, allowed)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('isLoopbackHost', () => {
  it('knows loopback from the rest', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', 'localhost', '::ffff:127.0.0.1']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.2', '10.0.0.1', 'example.com', '::ffff:10.0.0.1']) expect(isLoopbackHost(h)).toBe(false);
  });
});
