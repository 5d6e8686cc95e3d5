/**
 * Decodes a sent report body for the "what was sent" view. Kept apart from `format.ts` because
 * the wire schema brings zod and ethers with it: only the lazily loaded Sent tab needs them.
 */
// First: zod must never try `new Function` under the MV3 CSP (see the module).
import '../../extension/app/zod-config.ts';

import { signedReportSchema, type SignedReport } from '../../extension/protocol/wire.ts';

/** A sent body decoded for display, or null when it is not a signed report (shown raw only). */
export function decodeSentBody(body: string): SignedReport | null {
  try {
    const parsed = signedReportSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
