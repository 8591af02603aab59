// A tcpscope process that watches one port with one mechanism and says "attached" on stdout: the test
// kills it with SIGKILL and checks that the watched server does not notice.
import { startTcpscope } from '../../server/app.ts';
import type { WatchMechanism } from '../../shared/watch.ts';

const port = Number(process.argv[2]);
const scope = await startTcpscope({ httpPort: 0, tcpPort: 0, staticDir: '/nonexistent', capture: false, watchMechanisms: [process.argv[3] as WatchMechanism] });
scope.watches.add(port);
await scope.watches.whenAttached(port);
process.stdout.write('attached\n');
