// The canonical event model: what every reader produces and every view consumes.
//
// One canonical event per thing that happened (a process was created, a connection was made, a
// file was created, an installer transaction began/ended, or an unclassified record), with the
// parsed facts in typed sub-objects and the original record kept next to them, unchanged.

export type Platform = 'windows' | 'linux' | 'macos' | 'unknown';

export type EventKind = 'process_creation' | 'network_connection' | 'file_event' | 'installer' | 'raw';

/** The input format a record was read from. */
export type SourceFormat =
  | 'evtx'
  | 'event-xml'
  | 'sysmon-linux-syslog'
  | 'json-flat'
  | 'json-evtx-rs'
  | 'json-powershell'
  | 'json-otrf'
  | 'json-splunk-export'
  | 'json-falcon-fdr'
  | 'auditd'
  | 'wine-trace'
  | 'strace';

/** Who produced the telemetry. */
export type Sensor =
  | 'sysmon'
  | 'sysmon-linux'
  | 'security-auditing'
  | 'msiinstaller'
  | 'windows-other'
  | 'auditd'
  | 'falcon'
  | 'wine-trace'
  | 'strace'
  | 'unknown';

/** Where an event came from: enough to find the original bytes again and to say how it was obtained. */
export interface EventOrigin {
  format: SourceFormat;
  sensor: Sensor;
  file?: string;
  /** 1-based line of the first line of the record (text formats) */
  line?: number;
  /** byte offset of the record (binary formats) */
  offset?: number;
  /** EVTX EventRecordID or auditd serial */
  record?: number;
  /** true when the lab synthesised the event from a trace (Wine, strace, auditd → Sysmon shape) */
  synthetic: boolean;
}

// ---------------------------------------------------------------------------------------------
// Windows events as their XML says (shared by the XML, EVTX and JSON readers)

/** One `<Data>` item: named (`<Data Name="Image">`) or positional (MsiInstaller). */
export interface WinEventDataItem {
  name?: string;
  /** text content with entities decoded; `<Data/>` is "" */
  value: string;
}

export interface WinEvent {
  /** the envelope carried the events namespace (Windows) or not (Sysmon for Linux) */
  namespaced: boolean;
  provider: { name: string; guid?: string; eventSourceName?: string };
  eventId: number;
  /** `<EventID Qualifiers="0">` of classic providers */
  qualifiers?: string;
  version?: string;
  level?: string;
  task?: string;
  opcode?: string;
  keywords?: string;
  /** TimeCreated/@SystemTime as rendered (7, 9 or 6 fraction digits, or PowerShell's space form) */
  systemTime: string;
  eventRecordId?: string;
  correlation?: { activityId?: string; relatedActivityId?: string };
  execution?: { processId?: string; threadId?: string };
  channel: string;
  computer: string;
  /** Security/@UserID (Windows) or Security/@UserId (Sysmon for Linux) */
  userId?: string;
  /** EventData items in document order (UserData children are flattened in here, named) */
  data: WinEventDataItem[];
  /** when the items came from `<UserData>`: its root element (e.g. RmSessionEvent), so renderers can rebuild it */
  userData?: { name: string; xmlns?: string };
  /** `<Binary>` hex blob of classic providers */
  binary?: string;
}

// ---------------------------------------------------------------------------------------------
// Parsed facts

export interface ProcessInfo {
  /** decimal OS process id as text ("4940"); 4688's hex ids are converted */
  pid?: string;
  /** Sysmon ProcessGuid, Falcon TargetProcessId, ... */
  guid?: string;
  /** full image path with the platform's separators (C:\Windows\System32\cmd.exe, /usr/bin/curl) */
  image?: string;
  commandLine?: string;
  currentDirectory?: string;
  user?: string;
  integrityLevel?: string;
  hashes?: string;
  originalFileName?: string;
  /**
   * base file name when the source names the process only that way (Falcon `ParentBaseFileName`);
   * `image` stays unset then, since it is a full path
   */
  name?: string;
  /**
   * Security 4688 TokenElevationType, by Windows' TOKEN_ELEVATION_TYPE: `%%1936` default (type 1),
   * `%%1937` full (type 2, elevated), `%%1938` limited (type 3)
   */
  tokenElevationType?: 'default' | 'full' | 'limited';
}

export interface NetworkInfo {
  protocol?: string;
  /** true when the process initiated the connection (Sysmon Initiated='true') */
  initiated?: boolean;
  sourceIp?: string;
  sourcePort?: string;
  destinationIp?: string;
  destinationPort?: string;
  destinationHostname?: string;
}

export interface FileInfo {
  path: string;
  creationTime?: string;
}

/** MsiInstaller Application-log events: 1033, 1040, 1042, 11707, 11724, ... */
export interface InstallerInfo {
  eventId: number;
  /** 1040/1042: package path or URL (Data1) */
  package?: string;
  /** 1040/1042: client process id (Data2), the join to process telemetry */
  clientPid?: string;
  productName?: string;
  productVersion?: string;
  productLanguage?: string;
  manufacturer?: string;
  /** 1033: installation status (0 ok, 1603 fatal) */
  status?: string;
  productCode?: string;
  /** 11707/11724: the message text (Data1) */
  message?: string;
}

/** The original record, kept unchanged beside the parsed fields. */
export type NativeRecord =
  | { type: 'win'; event: WinEvent; text?: string }
  | { type: 'auditd'; lines: string[] }
  | { type: 'falcon'; fields: Record<string, string> }
  | { type: 'flat'; fields: Record<string, unknown> }
  | { type: 'trace'; lines: string[] };

export interface CanonicalEvent {
  kind: EventKind;
  /** ISO-8601 UTC time, with the precision the source had (e.g. 2024-10-26T15:13:49.9214948Z) */
  time: string;
  host?: string;
  platform: Platform;
  origin: EventOrigin;
  /** the acting process: the new process (process_creation), the connecting or writing process */
  process?: ProcessInfo;
  /** the creating process (process_creation) */
  parent?: ProcessInfo;
  network?: NetworkInfo;
  file?: FileInfo;
  installer?: InstallerInfo;
  /** the lab's run marker (a GUID) when it appears in a command line */
  marker?: string;
  record: NativeRecord;
}

/**
 * What a reader yields. Flat JSON objects are the product's own view as-is (CONTRACTS.md): they
 * are still wrapped as canonical events (kind 'raw', record.type 'flat') so every consumer sees
 * one type, and views pass their fields through untouched.
 */
export type ReadEvent = CanonicalEvent;
