// Each lint on a minimal rule: it fires on the defect spl.md describes, at its line:column, and
// stays quiet on the corrected form.
import { describe, expect, it } from 'vitest';
import { compile } from '../helpers.ts';

const codes = (q: string, macros?: string) =>
  compile(q, macros === undefined ? {} : { macros }).explain().lints.map((l) => `${l.position!.line}:${l.position!.column} ${l.code}`);

describe('lints', () => {
  it('SPL_COALESCE_EMPTY_STRING: a literal before the last coalesce argument hides the rest (§0.1)', () => {
    expect(codes('* | eval p=coalesce(A, "", B)')).toEqual(['1:24 SPL_COALESCE_EMPTY_STRING']);
    expect(codes('* | eval p=coalesce(A, B, "")')).toEqual([]);
  });

  it('SPL_OR_BEFORE_AND: "X OR Y Z" means (X OR Y) AND Z in the search command (§0.2)', () => {
    expect(codes('(a) OR (b) c')).toEqual(['1:5 SPL_OR_BEFORE_AND']);
    expect(codes('((a) OR (b)) c')).toEqual([]);
    const x = compile('x `m` y', { macros: '[m]\ndefinition = a OR b\n' }).explain().lints[0]!;
    expect(x.message).toContain('macro `m`');
  });

  it('SPL_AND_BEFORE_OR (info): unparenthesised AND inside OR in where', () => {
    expect(codes('* | where a=1 AND b=2 OR c=3')).toEqual(['1:23 SPL_AND_BEFORE_OR']);
    expect(codes('* | where (a=1 AND b=2) OR c=3')).toEqual(['1:25 SPL_AND_BEFORE_OR'].slice(0, 0));
  });

  it('SPL_LEGACY_SOURCETYPE: per-channel sourcetypes are defunct since add-on 5.0 (§0.3)', () => {
    expect(codes('sourcetype="WinEventLog:Security"')).toEqual(['1:1 SPL_LEGACY_SOURCETYPE']);
    expect(codes('sourcetype=XmlWinEventLog source="XmlWinEventLog:Security"')).toEqual([]);
    expect(codes('sourcetype="XmlWinEventLog:*"')).toEqual([]);
  });

  it('SPL_UNANCHORED_IP_REGEX: substring private-range regex (§0.7)', () => {
    expect(codes('* | where match(dest_ip, "^(10\\.|192\\.168\\.)")')).toEqual([]);
    expect(codes('* | where match(dest_ip, "(10\\.|192\\.168\\.)")')).toEqual(['1:26 SPL_UNANCHORED_IP_REGEX']);
  });

  it('SPL_FIELD_NOT_PRODUCED and SPL_FIELD_CASE: NewProcessCommandLine, lower-case message (§7, [FNAMES])', () => {
    expect(codes('* | where isnotnull(NewProcessCommandLine)')).toEqual(['1:21 SPL_FIELD_NOT_PRODUCED']);
    expect(codes('* | where match(message, "x")')).toEqual(['1:17 SPL_FIELD_NOT_PRODUCED']);
    expect(codes('* | where commandline="x"')).toEqual(['1:11 SPL_FIELD_CASE']);
    expect(codes('* | eval message="x" | where match(message, "x")')).toEqual([]);
  });

  it('SPL_IMPOSSIBLE_VALUE: Type=Process (§11)', () => {
    expect(codes('Type=Process')).toEqual(['1:1 SPL_IMPOSSIBLE_VALUE']);
  });

  it('SPL_TERM_CLASSIC_ONLY and SPL_EVENTID_PHRASE_QUALIFIERS (§0.4, S19)', () => {
    expect(codes('TERM(EventCode=1040) OR "<EventID>1040<" OR "<EventID>4688<"')).toEqual(['1:1 SPL_TERM_CLASSIC_ONLY', '1:25 SPL_EVENTID_PHRASE_QUALIFIERS']);
    expect(codes('TERM(/i)')).toEqual([]);
  });

  it('SPL_MATCH_ID_SUBSTRING: match(signature_id, "4688") also takes 14688 (§11.3)', () => {
    expect(codes('* | where match(signature_id, "4688")')).toEqual(['1:31 SPL_MATCH_ID_SUBSTRING']);
    expect(codes('* | where match(signature_id, "^4688$")')).toEqual([]);
  });

  it('SPL_BIN_WITHOUT_FIELD and SPL_SORT_DEFAULT_LIMIT (§6)', () => {
    expect(codes('* | bin span=1s | sort - _time')).toEqual(['1:5 SPL_BIN_WITHOUT_FIELD', '1:19 SPL_SORT_DEFAULT_LIMIT']);
    expect(codes('* | bin _time span=1s | sort 0 - _time')).toEqual([]);
  });

  it('SPL_LOWERCASE_BOOLEAN: "or" in the search command is a term ([BOOL])', () => {
    expect(codes('a or b')).toEqual(['1:3 SPL_LOWERCASE_BOOLEAN']);
  });

  it('SPL_EVAL_WILDCARD: * is literal in eval/where comparisons ([WILD])', () => {
    expect(codes('* | where Image="*\\\\msiexec.exe"')).toEqual(['1:16 SPL_EVAL_WILDCARD']);
  });

  it('SPL_MATCH_LOWER_UPPERCASE: an upper-case pattern after lower() never matches', () => {
    expect(codes('* | where match(lower(Image), "MsiExec")')).toEqual(['1:31 SPL_MATCH_LOWER_UPPERCASE']);
    expect(codes('* | where match(lower(Image), "msiexec\\S*\\.exe")')).toEqual([]);
  });

  it('SPL_NOT_NULL (info): NOT over a missing field passes (§1, UNSURE)', () => {
    expect(codes('* | where NOT match(DestinationIp, "^10\\.")')).toEqual(['1:11 SPL_NOT_NULL']);
  });

  it('SPL_FIELD_DROPPED: a field used after table dropped it', () => {
    expect(codes('* | table a | where b=1')).toEqual(['1:21 SPL_FIELD_DROPPED']);
    expect(codes('* | table a, b* | where b2=1')).toEqual([]);
  });

  it('lints carry severity and a message for people', () => {
    const l = compile('* | sort x').explain().lints[0]!;
    expect(l).toMatchObject({ code: 'SPL_SORT_DEFAULT_LIMIT', severity: 'warning', position: { file: 'rule.spl', line: 1, column: 5 } });
    expect(l.message).toContain('10,000');
  });
});
