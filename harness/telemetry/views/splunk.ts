// The Splunk view: `_raw` as the Universal Forwarder writes XmlWinEventLog (one line, single
// quotes), metadata per profile, and the add-ons' search-time and CIM fields from splunk.yml.
import { renderEventXml } from '../readers/winxml/index.ts';
import type { CanonicalEvent } from '../model.ts';
import { compileExpr, type Expr, type FieldMap } from './expr.ts';
import { loadViewMapping, profileOf } from './mappings.ts';
import { auditdFields } from './auditd-fields.ts';
import { winEventOf } from './synthesize.ts';
import { epochSeconds } from './time.ts';
import type { View, ViewEvent } from './types.ts';
import { flattenWinEvent } from './win-fields.ts';

interface Meta {
  index: string;
  sourcetype: string;
  source: string;
}

interface SplunkMapping {
  profiles: Record<string, { description: string; windows: Meta; 'sysmon-linux': Meta; 'linux-audit'?: Meta }>;
  system: Record<string, string>;
  'linux-audit': Record<string, string>;
  classes: { name: string; when: Record<string, string | string[]>; fields: Record<string, string> }[];
}

interface CompiledClass {
  when: [string, string[]][];
  fields: [string, Expr][];
}

/** Names produced from <System>; everything else in the flat map is EventData. */
const SYSTEM_KEYS = new Set([
  'EventID', 'Channel', 'Computer', 'Provider_Name', 'Provider_Guid', 'Provider_EventSourceName', 'EventID_Qualifiers',
  'Version', 'Level', 'Task', 'Opcode', 'Keywords', 'TimeCreated_SystemTime', 'EventRecordID', 'Correlation_ActivityID',
  'Correlation_RelatedActivityID', 'Execution_ProcessID', 'Execution_ThreadID', 'Security_UserID',
]);

function compileMapping(m: SplunkMapping): { system: [string, Expr][]; classes: CompiledClass[] } {
  return {
    system: Object.entries(m.system).map(([k, v]) => [k, compileExpr(v)]),
    classes: m.classes.map((c) => ({
      when: Object.entries(c.when).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).map(String)]),
      fields: Object.entries(c.fields).map(([k, v]) => [k, compileExpr(v)]),
    })),
  };
}

/** `0x00000b2c` → `0xb2c`; anything else unchanged. */
function unpadHex(value: string): string {
  return /^0x0[0-9a-f]+$/i.test(value) ? value.replace(/^0x0+(?=[0-9a-f])/i, '0x') : value;
}

export function createSplunkView(profile: string): View {
  const mapping = loadViewMapping<SplunkMapping>('splunk');
  const p = profileOf('splunk', mapping, profile);
  const compiled = compileMapping(mapping);
  // metadata values are literal text with optional {Field} placeholders
  const text = (s: string): Expr => (s.includes('{') ? compileExpr(s) : () => s);
  const templates = (meta: Meta) => ({ index: text(meta.index), sourcetype: text(meta.sourcetype), source: text(meta.source) });
  const windows = templates(p.windows);
  const linux = templates(p['sysmon-linux']);
  const linuxAudit = p['linux-audit'] && templates(p['linux-audit']);
  const auditCim = Object.entries(mapping['linux-audit']).map(([k, v]) => [k, compileExpr(v)] as const);

  /** linux:audit: the raw records as _raw, their fields, and the add-on's CIM fields. */
  const renderAudit = (event: CanonicalEvent, lines: readonly string[], meta: NonNullable<typeof linuxAudit>): ViewEvent => {
    const fields = auditdFields(lines);
    // what the lab decoded (EXECVE command line, parent image, socket, path) feeds the CIM fields only
    const ctx: FieldMap = {
      ...fields,
      CommandLine: event.process?.commandLine,
      ParentImage: event.parent?.image,
      DestinationIp: event.network?.destinationIp,
      DestinationPort: event.network?.destinationPort,
      TargetFilename: event.file?.path,
    };
    const out: ViewEvent = {
      _raw: lines.join('\n'),
      _time: epochSeconds(event.time),
      host: (typeof fields.node === 'string' ? fields.node : undefined) ?? event.host,
      index: meta.index(ctx),
      source: meta.source(ctx),
      sourcetype: meta.sourcetype(ctx),
      ...fields,
    };
    for (const [k, expr] of auditCim) {
      const v = expr(ctx);
      if (v !== undefined) out[k] = v;
    }
    for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
    return out;
  };

  return {
    view: 'splunk',
    profile,
    render(event: CanonicalEvent): ViewEvent | null {
      if (event.record.type === 'flat') return event.record.fields;
      if (event.record.type === 'auditd' && linuxAudit) return renderAudit(event, event.record.lines, linuxAudit);
      const found = winEventOf(event);
      if (!found) return null;
      // Windows renders SystemTime with 7 fraction digits (libevtx, which the EVTX reader follows,
      // pads to 9): the forwarder's _raw has Windows' form (telemetry.md §1.1, §2).
      const win = { ...found, systemTime: found.systemTime.replace(/(\.\d{7})\d{2}Z$/, '$1Z') };
      // libevtx zero-pads hex integers (0x00000b2c); Windows, and so the forwarder, does not
      // (0xb2c): telemetry.md §1.3, §1.4. Only EVTX-read values carry libevtx's padding.
      if (event.origin.format === 'evtx') {
        win.keywords = win.keywords && unpadHex(win.keywords);
        win.data = win.data.map((d) => ({ ...d, value: unpadHex(d.value) }));
      }
      const base: FieldMap = flattenWinEvent(win);
      const meta = win.namespaced ? windows : linux;
      const out: ViewEvent = {
        _raw: event.record.type === 'win' && event.record.text && /^<Event[ >]/.test(event.record.text) && !event.record.text.includes('\n')
          ? event.record.text
          : renderEventXml(win, 'splunk'),
        _time: epochSeconds(event.time),
        host: win.computer,
        index: meta.index(base),
        source: meta.source(base),
        sourcetype: meta.sourcetype(base),
      };
      for (const [k, v] of Object.entries(base)) if (!SYSTEM_KEYS.has(k) && v !== undefined) out[k] = v;
      for (const [k, expr] of compiled.system) {
        const v = expr(base);
        if (v !== undefined) out[k] = v;
      }
      for (const cls of compiled.classes) {
        if (!cls.when.every(([k, allowed]) => allowed.includes(String(base[k])))) continue;
        for (const [k, expr] of cls.fields) {
          const v = expr(base);
          if (v !== undefined) out[k] = v;
        }
      }
      if (out._time === undefined) delete out._time;
      return out;
    },
  };
}
