// A WinEvent as a flat field map with Sigma's naming rule (telemetry.md §1.1): EventData items by
// their Name, System elements by element name, System attributes as Element_Attribute.
// Positional items (classic providers) become the multivalue pseudo-field `Data`.
import type { WinEvent } from '../model.ts';
import type { FieldMap } from './expr.ts';

export function flattenWinEvent(e: WinEvent): FieldMap {
  const f: FieldMap = {
    EventID: String(e.eventId),
    Channel: e.channel,
    Computer: e.computer,
    Provider_Name: e.provider.name,
    Provider_Guid: e.provider.guid,
    Provider_EventSourceName: e.provider.eventSourceName,
    EventID_Qualifiers: e.qualifiers,
    Version: e.version,
    Level: e.level,
    Task: e.task,
    Opcode: e.opcode,
    Keywords: e.keywords,
    TimeCreated_SystemTime: e.systemTime,
    EventRecordID: e.eventRecordId,
    Correlation_ActivityID: e.correlation?.activityId,
    Correlation_RelatedActivityID: e.correlation?.relatedActivityId,
    Execution_ProcessID: e.execution?.processId,
    Execution_ThreadID: e.execution?.threadId,
    Security_UserID: e.userId,
  };
  const positional: string[] = [];
  for (const item of e.data) {
    if (item.name === undefined) {
      positional.push(item.value);
      continue;
    }
    const prev = f[item.name];
    if (prev === undefined) f[item.name] = item.value;
    else f[item.name] = [...(Array.isArray(prev) ? prev : [prev]), item.value];
  }
  if (positional.length) f.Data = positional;
  if (e.binary !== undefined) f.Binary = e.binary;
  for (const k of Object.keys(f)) if (f[k] === undefined) delete f[k];
  return f;
}
