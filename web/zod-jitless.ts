// Imported first by main.tsx, before any module builds a zod schema: zod decides when it builds one
// whether to compile its parser with `new Function`, and the page's CSP (script-src 'self') forbids
// that. Even zod's probe for it would be reported as a CSP violation.
import { z } from 'zod';

z.config({ jitless: true });
