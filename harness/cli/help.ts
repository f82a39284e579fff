// Help text generated from the option tables, so it can never drift from what parses.
import { GLOBAL_OPTIONS, type CommandSpec, type OptionSpec } from './spec.ts';

function optionLine(o: OptionSpec): string {
  const names = `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.argument ? ` ${o.argument}` : ''}`;
  const extra = [
    o.choices ? `one of: ${o.choices.join(', ')}` : '',
    o.multiple ? 'repeatable' : '',
    o.default !== undefined && o.default !== false ? `default: ${String(o.default)}` : '',
  ].filter(Boolean);
  return `  ${names.padEnd(34)} ${o.description}${extra.length ? ` (${extra.join('; ')})` : ''}`;
}

export function commandHelp(spec: CommandSpec): string {
  const pos = (spec.positionals ?? [])
    .map((p) => {
      const n = p.variadic ? `${p.name} ...` : p.name;
      return p.required ? n : `[${n}]`;
    })
    .join(' ');
  const lines = [`Usage: atomic-lab ${spec.name}${pos ? ' ' + pos : ''} [options]`, '', spec.summary, ''];
  if (spec.positionals?.length) {
    lines.push('Arguments:');
    for (const p of spec.positionals) lines.push(`  ${p.name.padEnd(34)} ${p.description}`);
    lines.push('');
  }
  lines.push('Options:');
  for (const o of [...spec.options, ...GLOBAL_OPTIONS]) lines.push(optionLine(o));
  return lines.join('\n') + '\n';
}

export function mainHelp(commands: readonly CommandSpec[], version: string): string {
  const lines = [
    `atomic-lab ${version}: run Atomic Red Team tests for real and check that SPL, LogScale (CQL)`,
    'and Sigma detections fire with the expected DetectionType.',
    '',
    'Usage: atomic-lab <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(14)} ${c.summary}`),
    '',
    'Exit codes: 0 ok, 1 expectation not met, 2 bad usage or input, 3 lab error.',
    "Run 'atomic-lab <command> --help' for a command's options.",
  ];
  return lines.join('\n') + '\n';
}
