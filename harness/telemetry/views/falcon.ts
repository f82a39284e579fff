// The Falcon view: ProcessRollup2 and NetworkConnectIP4 as the sensor reports them (falcon-fdr)
// or as Falcon-native LogScale presents them (falcon). Mapping data: detections/mappings/views/falcon.yml.
import { createHash } from 'node:crypto';
import type { CanonicalEvent, Platform, ProcessInfo } from '../model.ts';
import { baseName } from './expr.ts';
import { loadViewMapping, profileOf } from './mappings.ts';
import { processGuid } from './synthesize.ts';
import { epochMillis, epochSeconds } from './time.ts';
import type { View, ViewEvent } from './types.ts';

interface FalconProfile {
  description: string;
  tagType: boolean;
  enrich: boolean;
  tags: Record<string, string>;
}

interface FalconMapping {
  profiles: Record<string, FalconProfile>;
  names: Record<string, Partial<Record<Platform, string>>>;
  platforms: Partial<Record<Platform, string>>;
  devicePaths: Record<string, string>;
  enrichment: Record<string, string[]>;
  unsupported: string[];
}

/** A Falcon-style decimal process id (TargetProcessId), stable for one process of one host. */
export function falconProcessId(host: string, p: ProcessInfo, linux: boolean): string | undefined {
  if (p.guid === undefined && p.pid === undefined) return undefined;
  const key = p.guid ?? processGuid(host, p.pid, p.image, linux);
  const hex = createHash('sha1').update(`${host}\0${key}`).digest('hex').slice(0, 11);
  return BigInt(`0x${hex}`).toString(10);
}

function hex32(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

export function createFalconView(profile: string): View {
  const mapping = loadViewMapping<FalconMapping>('falcon');
  const p = profileOf('falcon', mapping, profile);

  const devicePath = (image: string | undefined, platform: Platform): string | undefined => {
    if (image === undefined || platform !== 'windows') return image;
    const drive = image.slice(0, 2).toUpperCase();
    const dev = mapping.devicePaths[drive];
    return dev ? dev + image.slice(2) : image;
  };

  const finish = (type: string, fields: ViewEvent, enrichment: Record<string, string | undefined>): ViewEvent => {
    const out: ViewEvent = {};
    if (p.tagType) out['#event_simpleName'] = type;
    else out.event_simpleName = type;
    Object.assign(out, p.tags);
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
    if (p.enrich) {
      for (const k of mapping.enrichment[type] ?? []) {
        const v = enrichment[k];
        if (v !== undefined) out[k] = v;
      }
    }
    return out;
  };

  return {
    view: 'falcon',
    profile,
    render(event: CanonicalEvent): ViewEvent | null {
      const rec = event.record;
      if (rec.type === 'flat') return rec.fields;
      if (rec.type === 'falcon') {
        const { event_simpleName: type, ...rest } = rec.fields;
        return finish(type ?? 'Unknown', rest, {});
      }
      if (mapping.unsupported.includes(event.kind)) return null;
      const linux = event.platform === 'linux';
      const host = event.host ?? 'localhost';
      const common = {
        aid: hex32(`aid\0${host}`),
        cid: hex32('atomic-lab'),
        event_platform: mapping.platforms[event.platform] ?? event.platform,
        timestamp: epochMillis(event.time),
      };
      const proc = event.process ?? {};
      if (event.kind === 'process_creation') {
        const image = devicePath(proc.image, event.platform);
        const fields: ViewEvent = {
          ...common,
          name: mapping.names.ProcessRollup2?.[event.platform],
          TargetProcessId: falconProcessId(host, proc, linux),
          ParentProcessId: event.parent ? falconProcessId(host, event.parent, linux) : undefined,
          RawProcessId: proc.pid,
          ImageFileName: image,
          CommandLine: proc.commandLine,
          ParentBaseFileName: event.parent?.image ? baseName(event.parent.image) : event.parent?.name,
          ProcessStartTime: epochSeconds(event.time)?.slice(0, -3),
          ...(linux ? {} : { UserSid: proc.user?.startsWith('S-1-') ? proc.user : undefined }),
          SHA256HashData: /SHA256=([0-9A-Fa-f]{64})/.exec(proc.hashes ?? '')?.[1]?.toLowerCase(),
        };
        return finish('ProcessRollup2', fields, {
          ComputerName: event.host,
          UserName: proc.user,
          FileName: proc.image ? baseName(proc.image) : undefined,
          FilePath: image?.slice(0, image.length - baseName(image).length),
        });
      }
      if (event.kind === 'network_connection') {
        const n = event.network ?? {};
        const fields: ViewEvent = {
          ...common,
          name: mapping.names.NetworkConnectIP4?.[event.platform],
          ContextProcessId: falconProcessId(host, proc, linux),
          ContextTimeStamp: epochSeconds(event.time)?.slice(0, -3),
          LocalAddressIP4: n.sourceIp,
          LocalPort: n.sourcePort,
          RemoteAddressIP4: n.destinationIp,
          RemotePort: n.destinationPort,
          Protocol: n.protocol === undefined ? undefined : n.protocol.toLowerCase() === 'udp' ? '17' : '6',
          ConnectionDirection: n.initiated === false ? '1' : '0',
          ConnectionFlags: '0',
          InContext: '0',
          // Windows sensors add the connecting process's base name (cql.md §8.2); Linux/Mac do not.
          ...(event.platform === 'windows' && proc.image ? { ContextBaseFileName: baseName(proc.image) } : {}),
        };
        return finish('NetworkConnectIP4', fields, { ComputerName: event.host });
      }
      return null;
    },
  };
}
