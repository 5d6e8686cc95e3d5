/**
 * The union's own validator (docs/monoplasma.md, "The union checks itself"): runs `validate` in
 * replay mode over the union's own published data and stores the verdict (GET
 * /v1/validator/status). The checkpoint of the last clean run stays in memory between runs; the
 * stored copy (same transaction as the status) is read only when the memory does not hold the
 * stored position — at start, after a run that did not pass, or when another instance moved it.
 * The published state is read through the function that builds `GET /v1/state/:block`, without a
 * JSON round trip. A failing or crashing run is logged, never thrown.
 */
import type { Db } from '../db/db.ts';
import { monoplasmaRepo, type ValidatorStatusRow } from '../repo/monoplasma-repo.ts';
import { validatorCheckpointRepo } from '../repo/validator-checkpoint-repo.ts';
import { publishedState } from '../services/published-state.ts';
import type { ChainClient } from './chain-client.ts';
import type { PackedState } from './root-state.ts';
import type { ValidatorCheckpoint } from './validator-checkpoint.ts';
import { validate } from './validator.ts';

/**
 * Roots the own check rebuilds in a run without a checkpoint (a day of hourly commits): older
 * ones were checked by earlier runs, and that replay still covers the whole log.
 */
const OWN_CHECK_ROOTS = 24;

export interface OwnValidatorOptions {
  dataUnion: string;
  startBlock: number;
  now: () => number;
  log: (message: string, error?: unknown) => void;
  /** Reads the union's own published logs (default: fetch over HTTP). */
  fetchJson?: (url: string) => Promise<unknown>;
}

export class OwnValidator {
  /** The last clean run's checkpoint; a run takes it (and moves it on). */
  private held: ValidatorCheckpoint | null = null;

  constructor(
    private readonly db: Db,
    private readonly chain: ChainClient,
    private readonly options: OwnValidatorOptions,
  ) {}

  /** Validates the roots committed since the checkpoint; stores and returns the status. */
  async run(): Promise<ValidatorStatusRow | null> {
    try {
      const held = this.held;
      this.held = null;
      const stored = await validatorCheckpointRepo.storedBlock(this.db);
      const resume =
        held !== null && held.blockNumber === stored
          ? held
          : await validatorCheckpointRepo.load(this.db);
      const report = await validate({
        rpcUrl: '',
        provider: this.chain.provider,
        dataUnion: this.options.dataUnion,
        fromBlock: this.options.startBlock,
        replay: true,
        lastRoots: OWN_CHECK_ROOTS,
        readState: (block) => this.readState(block),
        ...(resume ? { resume } : {}),
        ...(this.options.fetchJson ? { fetchJson: this.options.fetchJson } : {}),
      });
      // Nothing committed yet, or nothing new since the checkpoint: the stored status stands.
      if (!report.last) {
        this.held = report.checkpoint ?? null;
        return resume ? monoplasmaRepo.validatorStatus(this.db) : null;
      }
      const status: ValidatorStatusRow = {
        blockNumber: report.last.blockNumber,
        root: report.last.root,
        ok: report.ok,
        problem: report.problem ?? null,
        checkedAt: new Date(this.options.now()),
        commitsChecked: report.checked.length,
      };
      const { checkpoint } = report;
      // What the stored rows hold, when the run moved on from exactly that state.
      const base =
        resume && checkpoint?.accounting === resume.accounting ? resume.blockNumber : null;
      await this.db.transaction(async (tx) => {
        await monoplasmaRepo.saveValidatorStatus(tx, status);
        if (checkpoint && report.ok) {
          await validatorCheckpointRepo.save(tx, checkpoint, base, status.checkedAt);
        }
      });
      if (report.ok) this.held = checkpoint ?? null;
      else this.options.log(`own validator: MISMATCH: ${status.problem ?? 'unknown'}`);
      return status;
    } catch (error) {
      this.options.log('own validator run failed', error);
      return null;
    }
  }

  private async readState(block: number): Promise<PackedState> {
    const state = await publishedState(this.db, block);
    if (!state) throw new Error(`There is no snapshot for block ${block}.`);
    return state;
  }
}
