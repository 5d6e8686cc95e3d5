/** Task ids travel in URLs as unpadded base64url of their 32 bytes (DAP-09 §4.2). */
import { Buffer } from 'node:buffer';

export function taskIdToString(taskId: Uint8Array): string {
  return Buffer.from(taskId).toString('base64url');
}
