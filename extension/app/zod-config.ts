/**
 * Imported first by every extension entry that parses with zod (the service worker, and the popup
 * code that decodes sent reports). `jitless` makes zod validate by walking its schemas instead of
 * compiling a parser with `new Function`: MV3's extension CSP forbids eval, and even zod's guarded
 * probe for it would show up as a CSP violation. The `Function` code stays in the bundle (web-ext
 * lint still sees it), but with this set it never runs.
 */
import { z } from 'zod';

z.config({ jitless: true });
