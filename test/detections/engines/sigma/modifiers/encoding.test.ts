import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { compileError, item, ruleText } from '../helpers.ts';

// Spec appendix "Encoding Modifiers".
describe('encoding modifiers', () => {
  it('"base64: the value is encoded with Base64"', () => {
    expect(item('F', "'aGVsbG8='").matches({ F: 'aGVsbG8=' })).toBe(true);
    expect(item('F|base64', "'hello'").matches({ F: 'aGVsbG8=' })).toBe(true);
    expect(item('F|base64|contains', "'hello'").matches({ F: 'xx aGVsbG8= yy' })).toBe(true);
  });
  it('"base64offset: the three variants for the offsets 0, 1 and 2" (spec example http:// → aHR0cDovL, h0dHA6Ly, odHRwOi8v)', () => {
    const r = item('F|base64offset|contains', "'http://'");
    for (const prefix of ['', 'x', 'xy']) {
      const encoded = Buffer.from(prefix + 'http://example').toString('base64');
      expect(r.matches({ F: `powershell -e ${encoded}` })).toBe(true);
    }
    expect(r.explain().indicators[0]!.values).toEqual(['*aHR0cDovL*', '*h0dHA6Ly*', '*odHRwOi8v*']);
  });
  it('"utf16le/wide: UTF-16 little endian" then base64offset, as PowerShell -EncodedCommand is', () => {
    const enc = Buffer.from('IEX (New-Object Net.WebClient)', 'utf16le').toString('base64');
    expect(item('F|wide|base64offset|contains', "'Net.WebClient'").matches({ F: enc })).toBe(true);
    expect(item('F|utf16le|base64offset|contains', "'Net.WebClient'").matches({ F: enc })).toBe(true);
  });
  it('"utf16be: UTF-16 big endian"; "utf16: with byte order mark"', () => {
    const be = Buffer.from('ping', 'utf16le').swap16();
    expect(item('F|utf16be|base64', "'ping'").matches({ F: be.toString('base64') })).toBe(true);
    const bom = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('ping', 'utf16le')]);
    expect(item('F|utf16|base64', "'ping'").matches({ F: bom.toString('base64') })).toBe(true);
  });
  it('pySigma: wildcards cannot be base64-encoded', () => {
    expect(compileError(ruleText("    sel:\n        F|base64: 'a*'\n    condition: sel")).message).toMatch(/wildcards cannot be encoded/);
  });
});
