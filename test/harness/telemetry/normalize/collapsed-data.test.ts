import { describe, expect, it } from 'vitest';
import { splitCollapsedData } from '../../../../harness/telemetry/normalize/collapsed-data.ts';

describe('splitCollapsedData: PowerShell joined positional <Data> with ", " and dropped empty items (telemetry.md §3)', () => {
  it('MsiInstaller 1040: the real atomic-evtx string gives the EVTX’s 7 items back (Data7 empty)', () => {
    expect(splitCollapsedData('MsiInstaller', 1040, 'https://github.com/redcanaryco/atomic-red-team/raw/master/atomics/T1218.007/bin/T1218.007_JScript.msi, 3108, (NULL), (NULL), (NULL), (NULL)'))
      .toEqual(['https://github.com/redcanaryco/atomic-red-team/raw/master/atomics/T1218.007/bin/T1218.007_JScript.msi', '3108', '(NULL)', '(NULL)', '(NULL)', '(NULL)', '']);
  });

  it('a package path with ", " in it stays whole (matched from the right, where the fixed items are)', () => {
    expect(splitCollapsedData('MsiInstaller', 1042, 'C:\\a, b.msi, 12, (NULL), (NULL), (NULL), (NULL)').slice(0, 2)).toEqual(['C:\\a, b.msi', '12']);
  });

  it('1033: commas in product name and manufacturer', () => {
    expect(splitCollapsedData('MsiInstaller', 1033, 'Lab, Test, 1.0.0, 1033, 1603, Contoso, Ltd., (NULL)'))
      .toEqual(['Lab, Test', '1.0.0', '1033', '1603', 'Contoso, Ltd.', '(NULL)', '']);
  });

  it('11707/11724: the message keeps its commas', () => {
    expect(splitCollapsedData('MsiInstaller', 11724, 'Product: A, B -- Removal completed successfully., (NULL), (NULL), (NULL), (NULL), (NULL)')[0])
      .toBe('Product: A, B -- Removal completed successfully.');
  });

  it('other providers, and MsiInstaller text that fits no template, are split on ", " (lossy, as the export is)', () => {
    expect(splitCollapsedData('Microsoft-Windows-Security-SPP', 1040, '2024-10-27T14:35:17Z, RulesEngine')).toEqual(['2024-10-27T14:35:17Z', 'RulesEngine']);
    expect(splitCollapsedData('MsiInstaller', 1035, 'a, b')).toEqual(['a', 'b']);
    expect(splitCollapsedData('MsiInstaller', 1040, '')).toEqual([]);
  });
});
