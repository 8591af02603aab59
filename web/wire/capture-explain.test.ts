import { describe, expect, it } from 'vitest';
import { NO_CAPTURE_REASON, type CaptureState } from '../../shared/wire.ts';
import { explainCapture } from './capture-explain.ts';

const off = (reason: string): CaptureState => ({ active: false, reason, framesSeen: 0, framesMalformed: 0, framesUnmatched: 0, restarts: 0 });

describe('explainCapture', () => {
  it('says capture is on, with what it has seen', () => {
    expect(explainCapture({ ...off(''), active: true, reason: null, framesSeen: 12 })).toEqual({
      tone: 'ok',
      headline: 'Capturing: tcpdump sees every segment to and from the echo port',
      command: null,
      note: null,
    });
  });

  it('names the watched ports the capture covers too', () => {
    expect(explainCapture({ ...off(''), active: true, reason: null, ports: [5055, 8080] }).headline).toBe(
      'Capturing: tcpdump sees every segment to and from the echo port and the watched port :8080',
    );
    expect(explainCapture({ ...off(''), active: true, reason: null, ports: [5055, 8080, 9000] }).headline).toBe(
      'Capturing: tcpdump sees every segment to and from the echo port and the watched ports :8080, :9000',
    );
  });

  it('gives the command that grants the privilege, apart from the reason', () => {
    const e = explainCapture(
      off(
        'tcpdump lacks the privilege to capture (tcpdump: lo: Operation not permitted): run `setcap cap_net_raw,cap_net_admin=eip $(command -v tcpdump)` or start tcpscope as root',
      ),
    );
    expect(e.tone).toBe('off');
    expect(e.headline).toBe('Capture is off: tcpdump lacks the privilege to capture (tcpdump: lo: Operation not permitted)');
    expect(e.command).toBe('setcap cap_net_raw,cap_net_admin=eip $(command -v tcpdump)');
    expect(e.note).toContain('or start tcpscope as root');
  });

  it('names the install command, --no-capture, a give-up and a start in progress', () => {
    expect(explainCapture(off('tcpdump is not installed: run `apt-get install -y tcpdump`'))).toMatchObject({
      headline: 'Capture is off: tcpdump is not installed',
      command: 'apt-get install -y tcpdump',
    });
    expect(explainCapture(off(NO_CAPTURE_REASON))).toMatchObject({ tone: 'off', headline: expect.stringContaining('--no-capture'), command: 'npm start' });
    expect(explainCapture(off('tcpdump exited with code 1: boom; gave up after 10 restarts'))).toMatchObject({ command: null, headline: expect.stringContaining('gave up') });
    expect(explainCapture(off('waiting for tcpdump to start listening')).tone).toBe('waiting');
    expect(explainCapture(null).tone).toBe('unknown');
  });
});
