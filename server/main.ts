// `npm start`: parse flags, start tcpscope, print where it listens, shut down cleanly on a signal.
import { startTcpscope } from './app.ts';
import { FlagError, parseFlags, USAGE } from './cli/flags.ts';
import { accessNote, dashboardUrl, echoExposureWarning } from './security/security-options.ts';
import { startIdleCollector } from './memory/idle-collector.ts';

async function main(): Promise<void> {
  let flags;
  try {
    flags = parseFlags(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    process.stderr.write(`tcpscope: ${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (flags.help) {
    process.stdout.write(USAGE);
    return;
  }
  let scope;
  try {
    scope = await startTcpscope({
      httpPort: flags.httpPort,
      tcpPort: flags.tcpPort,
      host: flags.host,
      tcpHost: flags.tcpHost,
      config: { bufferSize: flags.bufferSize, replyMode: flags.replyMode },
      security: flags.security,
      capture: flags.capture,
      watch: flags.watch,
    });
  } catch (err) {
    process.stderr.write(`tcpscope: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const tcpHost = flags.tcpHost.includes(':') ? `[${flags.tcpHost}]` : flags.tcpHost;
  process.stdout.write(
    `tcpscope dashboard: ${dashboardUrl(scope.httpUrl, scope.security)}\n` +
      `tcpscope echo server: ${tcpHost}:${scope.tcpPort}${flags.tcpHost === '127.0.0.1' ? ' and [::1]:' + scope.tcpPort : ''}` +
      ` (read buffer ${flags.bufferSize} bytes, reply ${flags.replyMode})\n` +
      accessNote(scope.security),
  );
  process.stderr.write(echoExposureWarning(flags.tcpHost));
  // The wire view needs tcpdump; without it everything else works, and the reason is told once here.
  void scope.capture.whenListening().then((listening) => {
    if (!listening && flags.capture) process.stderr.write(`tcpscope: wire capture is off: ${scope.capture.state().reason}\n`);
  });
  // After a flood, the memory it used goes back once the server is quiet (idle-collector.ts says why).
  const recorder = scope.recorder;
  startIdleCollector({ activity: () => recorder.nextSeq });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`tcpscope: ${signal}, shutting down\n`);
    const force = setTimeout(() => process.exit(1), 4500);
    force.unref();
    scope.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

await main();
