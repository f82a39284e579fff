// Macros: macros.conf and YAML files, textual expansion with arguments, nesting, quoting, and the
// undefined-macro error ([MACRO], [MACROARG], spl.md §5).
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../harness/core/errors.ts';
import { loadMacros } from '../../../../detections/engines/spl/index.ts';
import { compile, ruleError, run } from './helpers.ts';

const CONF = `# lab macros
[win]
definition = (index=wineventlog sourcetype=XmlWinEventLog)

[proc(2)]
args = field, value
definition = $field$=$value$

[nested]
definition = \`win\` \`proc(EventCode, 4688)\`

[multi]
definition = a=1 \\
  b=2
`;

describe('loadMacros: macros.conf', () => {
  it('reads [name] and [name(N)] stanzas with definition and args (contentctl macros.j2 shape)', () => {
    const m = loadMacros(CONF, 'm.conf');
    expect([...m.keys()]).toEqual(['win', 'proc(2)', 'nested', 'multi']);
    expect(m.get('proc(2)')).toMatchObject({ name: 'proc', args: ['field', 'value'], definition: '$field$=$value$', source: { file: 'm.conf', line: 5 } });
    expect(m.get('multi')!.definition).toBe('a=1 \n  b=2');
  });

  it('rejects a stanza whose args do not match its arity, with file:line', () => {
    try {
      loadMacros('[m(2)]\nargs = a\ndefinition = $a$', 'bad.conf');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).position).toMatchObject({ file: 'bad.conf', line: 1 });
    }
  });

  it('rejects a stanza without a definition', () => {
    expect(() => loadMacros('[m]\nargs =\n', 'bad.conf')).toThrow(/has no definition/);
  });
});

describe('loadMacros: YAML', () => {
  it('reads name: definition', () => {
    const m = loadMacros('win: (index=wineventlog)\nproc(1):\n  args: [f]\n  definition: $f$=1\n', 'm.yml');
    expect(m.get('win')?.definition).toBe('(index=wineventlog)');
    expect(m.get('proc(1)')).toMatchObject({ args: ['f'], definition: '$f$=1', source: { line: 2 } });
  });

  it('reads a security_content macro file (name, definition, arguments)', () => {
    const m = loadMacros('name: security_content_ctime\ndefinition: convert timeformat="%Y" ctime($field$)\narguments:\n- field\n', 'ctime.yml');
    expect(m.get('security_content_ctime(1)')?.args).toEqual(['field']);
  });
});

describe('expansion', () => {
  it('a macro is inserted as text before parsing', async () => {
    const ev = [{ index: 'wineventlog', sourcetype: 'XmlWinEventLog', EventCode: '4688' }, { index: 'main' }];
    expect(await run('`win`', ev, { macros: CONF })).toHaveLength(1);
  });

  it('arguments are substituted for $arg$; macros nest', async () => {
    const ev = [{ index: 'wineventlog', sourcetype: 'XmlWinEventLog', EventCode: '4688' }, { index: 'wineventlog', sourcetype: 'XmlWinEventLog', EventCode: '1' }];
    expect(await run('`nested`', ev, { macros: CONF })).toEqual([ev[0]]);
  });

  it('macros inside quoted strings are not expanded', async () => {
    expect(await run('* | eval s="`win`"', [{}], { macros: CONF })).toEqual([{ s: '`win`' }]);
  });

  it('an undefined macro is an error naming it, at the call', () => {
    const e = ruleError('index=x\n  `get_endpoint_data` foo');
    expect(e.code).toBe('E_SPL_UNDEFINED_MACRO');
    expect(e.message).toContain("macro 'get_endpoint_data' that cannot be found");
    expect(e.position).toMatchObject({ file: 'rule.spl', line: 2, column: 3 });
  });

  it('a call with the wrong number of arguments names name(N)', () => {
    expect(ruleError('`proc(a)`', { macros: CONF }).message).toContain("'proc(1)'");
  });

  it('a macro that expands into itself is an error', () => {
    expect(ruleError('`a`', { macros: '[a]\ndefinition = `b`\n[b]\ndefinition = `a`\n' }).message).toMatch(/expands into itself/);
  });

  it('positions inside an expansion point at the macro call', () => {
    const e = ruleError('x=1\n| where `bad`', { macros: '[bad]\ndefinition = nosuchfn(1)=1\n' });
    expect(e.code).toBe('E_SPL_UNKNOWN_FUNCTION');
    expect(e.position).toMatchObject({ line: 2, column: 9 });
  });

  it('explain lists the macros used with their call positions', () => {
    const x = compile('`win` x=1', { macros: CONF }).explain();
    expect(x.details?.macros).toEqual([{ name: 'win', position: { file: 'rule.spl', line: 1, column: 1 } }]);
  });
});
