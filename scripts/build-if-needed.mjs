// `npm start`, `npm run build` and `npm pack` run this: the server (to dist/node) and the page (to
// dist/web), each rebuilt only when one of its sources is newer than its build.
import { buildServerIfNeeded } from './build-server-if-needed.mjs';
import { buildWebIfNeeded } from './build-web-if-needed.mjs';

const server = await buildServerIfNeeded();
const web = await buildWebIfNeeded();
if (!server && !web) console.log('tcpscope: dist/node and dist/web are up to date');
