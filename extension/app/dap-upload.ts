/**
 * The service worker's DAP report builder for the outbox: loads the Prio3/HPKE chunk on demand
 * (`import()`, so the worker's start does not load it) and signs with the member key inside the
 * vault — the key never leaves it; only the EIP-712 signature goes into the sealed shares.
 */
import type { DapBuilder } from '../outbox/outbox.ts';
import { domainOf } from './app-deps.ts';
import type { Ctx } from './context.ts';
import { unionFetch } from './union-api.ts';

export function dapBuilder(ctx: Ctx): DapBuilder {
  return async (record, dap) => {
    const { buildDapUpload } = await import('../dap/build-upload.ts');
    return buildDapUpload({
      task: dap.task,
      measurement: dap.measurement,
      time: record.epochStart,
      signedBy: { member: ctx.state.address, signer: ctx.vault },
      domain: domainOf(ctx.deps.settings),
      fetch: unionFetch(ctx),
    });
  };
}
