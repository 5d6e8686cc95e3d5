import { describe, expect, it } from 'vitest';

import {
  backupFileName,
  backupPasswordProblem,
  cleanSiteInput,
  formatEpoch,
  MIN_BACKUP_PASSWORD_LENGTH,
  prettyJson,
  shortAddress,
} from './format.ts';

const address = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';

describe('backup password rules', () => {
  it('refuses a password shorter than the minimum, counting characters not bytes', () => {
    expect(backupPasswordProblem('a'.repeat(MIN_BACKUP_PASSWORD_LENGTH - 1), 'x')).toBe(
      'backupPasswordTooShort',
    );
    expect(backupPasswordProblem('é'.repeat(MIN_BACKUP_PASSWORD_LENGTH), 'é'.repeat(10))).toBe(
      null,
    );
  });

  it('refuses a password made only of spaces', () => {
    const spaces = ' '.repeat(MIN_BACKUP_PASSWORD_LENGTH + 2);
    expect(backupPasswordProblem(spaces, spaces)).toBe('backupPasswordTooShort');
  });

  it('refuses two different passwords and accepts two equal long ones', () => {
    expect(backupPasswordProblem('long enough pw', 'long enough pW')).toBe(
      'backupPasswordMismatch',
    );
    expect(backupPasswordProblem('long enough pw', 'long enough pw')).toBeNull();
  });
});

describe('address display', () => {
  it('shortens an address to its first and last hex digits', () => {
    expect(shortAddress(address)).toBe('0xf39F…2266');
  });

  it('leaves anything that is not an address unchanged', () => {
    expect(shortAddress('not an address')).toBe('not an address');
  });
});

describe('backup file name', () => {
  it('names the file after the address prefix and the UTC day', () => {
    expect(backupFileName(address, Date.UTC(2025, 5, 1, 23, 59))).toBe(
      'crowdsell-backup-0xf39fd6-2025-06-01.json',
    );
  });
});

describe('raw body display', () => {
  it('pretty-prints JSON and leaves other text alone', () => {
    expect(prettyJson('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyJson('plain')).toBe('plain');
  });
});

describe('epoch display', () => {
  it('shows a one-day epoch as its UTC day', () => {
    expect(formatEpoch(1_700_006_400, 86_400, 'en-GB')).toBe('15 Nov 2023');
  });

  it('shows a longer epoch as a range', () => {
    expect(formatEpoch(1_700_006_400, 2 * 86_400, 'en-GB')).toBe('15 Nov 2023 – 16 Nov 2023');
  });
});

describe('site input', () => {
  it('trims what was typed and refuses empty input or spaces inside', () => {
    expect(cleanSiteInput('  example.com ')).toBe('example.com');
    expect(cleanSiteInput('   ')).toBeNull();
    expect(cleanSiteInput('exa mple.com')).toBeNull();
  });
});
