// The Sigma view: the native event's field names as Sigma names them (see sigma.yml). Lab events
// without a Windows-shaped record are rendered in their synthesised Sysmon shape.
import type { CanonicalEvent } from '../model.ts';
import { loadViewMapping, profileOf } from './mappings.ts';
import { auditdFields } from './auditd-fields.ts';
import { winEventOf } from './synthesize.ts';
import type { View, ViewEvent } from './types.ts';
import { flattenWinEvent } from './win-fields.ts';

interface SigmaMapping {
  profiles: Record<string, { description: string; linux: 'sysmon' | 'auditd' }>;
}

export function createSigmaView(profile: string): View {
  const p = profileOf('sigma', loadViewMapping<SigmaMapping>('sigma'), profile);
  return {
    view: 'sigma',
    profile,
    render(event: CanonicalEvent): ViewEvent | null {
      if (event.record.type === 'flat') return event.record.fields;
      // service auditd rules read the raw records' keys (sigma.md §3.5)
      if (event.record.type === 'auditd' && p.linux === 'auditd') return auditdFields(event.record.lines);
      const win = winEventOf(event);
      return win ? flattenWinEvent(win) : null;
    },
  };
}
