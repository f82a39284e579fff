// readEvtx on EVTX files built by test/fixtures/evtx/builder.ts (real bytes, real CRCs).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../../harness/core/errors.ts';
import { crc32 } from '../../../../../harness/telemetry/readers/evtx/crc32.ts';
import {
  buildEvtx,
  eventTemplate,
  namedEventData,
  systemValues,
  v,
  type BxElement,
  type RecordSpec,
  type Template,
  type Value,
} from '../../../../fixtures/evtx/builder.ts';
import { readAll, tempFile } from './support.ts';

const SYSMON_GUID = '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}';
const FIELDS = ['RuleName', 'ProcessId', 'Image', 'CommandLine'];
const sysmon = eventTemplate('sysmon-1', namedEventData(FIELDS));

function sysmonRecord(id: number, commandLine = `cmd.exe /c echo ${id}`): RecordSpec {
  return {
    template: sysmon,
    id,
    values: [
      ...systemValues({
        provider: 'Microsoft-Windows-Sysmon',
        guid: SYSMON_GUID,
        eventId: 1,
        version: 5,
        task: 1,
        time: '2024-10-26T15:13:49.9214948Z',
        recordId: id,
        pid: 2912,
        tid: 3424,
        channel: 'Microsoft-Windows-Sysmon/Operational',
        computer: 'Server002',
        userId: 'S-1-5-18',
      }),
      v.str('-'),
      v.str('4940'),
      v.str('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'),
      v.str(commandLine),
    ],
  };
}

/** A template whose EventData is `body`, with System values of a plain Application event. */
function appRecord(id: string, body: BxElement, values: Value[], recordId = 1): RecordSpec {
  return {
    template: eventTemplate(id, body),
    id: recordId,
    values: [
      ...systemValues({ provider: 'Test', eventId: 7, time: '2024-01-02T03:04:05.1234567Z', recordId, channel: 'Application', computer: 'HOST' }),
      ...values,
    ],
  };
}

const errorOf = (e: unknown): InputError => {
  expect(e).toBeInstanceOf(InputError);
  return e as InputError;
};

/** Recomputes both CRCs of the chunk at `at` after a test changed its bytes. */
function fixChunkCrcs(file: Buffer, at: number): void {
  const c = file.subarray(at, at + 65536);
  c.writeUInt32LE(crc32(c.subarray(512, c.readUInt32LE(48))), 52);
  c.writeUInt32LE(crc32(c.subarray(128, 512), crc32(c.subarray(0, 120))), 124);
}

describe('readEvtx: structure (libevtx "Windows XML Event Log (EVTX) format")', () => {
  it('renders System fields the way evtxexport does: FILETIME with 9 digits, Keywords as 0x%016x, GUID upper case in braces, SID', async () => {
    const { records, warnings, error } = await readAll(tempFile(buildEvtx([sysmonRecord(17987)])));
    expect(error).toBeUndefined();
    expect(warnings).toEqual([]);
    expect(records).toHaveLength(1);
    expect(records[0]!.record).toBe(17987);
    expect(records[0]!.offset).toBe(4096 + 512); // first record follows the 512-byte chunk header
    expect(records[0]!.event).toEqual({
      namespaced: true,
      provider: { name: 'Microsoft-Windows-Sysmon', guid: SYSMON_GUID },
      eventId: 1,
      version: '5',
      level: '4',
      task: '1',
      opcode: '0',
      keywords: '0x8000000000000000',
      systemTime: '2024-10-26T15:13:49.921494800Z',
      eventRecordId: '17987',
      execution: { processId: '2912', threadId: '3424' },
      channel: 'Microsoft-Windows-Sysmon/Operational',
      computer: 'Server002',
      userId: 'S-1-5-18',
      data: [
        { name: 'RuleName', value: '-' },
        { name: 'ProcessId', value: '4940' },
        { name: 'Image', value: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe' },
        { name: 'CommandLine', value: 'cmd.exe /c echo 17987' },
      ],
    });
  });

  it('"the template definition data offset either points directly after this value or somewhere previously in the chunk": later records reuse it', async () => {
    const file = buildEvtx([sysmonRecord(1), sysmonRecord(2), sysmonRecord(3)]);
    const { records, error } = await readAll(tempFile(file));
    expect(error).toBeUndefined();
    expect(records.map((r) => r.event.data[3]!.value)).toEqual(['cmd.exe /c echo 1', 'cmd.exe /c echo 2', 'cmd.exe /c echo 3']);
    // the first record carries the template and the names, the others only values
    const size = (r: number): number => file.readUInt32LE(records[r]!.offset + 4);
    expect(size(1)).toBeLessThan(size(0) / 3);
    expect(size(2)).toBe(size(1));
  });

  it('"the chunk is 65536 bytes": templates and names are defined again in each chunk; records are read across chunks', async () => {
    const specs = [1, 2, 3, 4, 5].map((i) => sysmonRecord(i));
    const { records, error } = await readAll(tempFile(buildEvtx(specs, { recordsPerChunk: 2 })));
    expect(error).toBeUndefined();
    expect(records.map((r) => r.record)).toEqual([1, 2, 3, 4, 5]);
    expect(records[2]!.offset).toBe(4096 + 65536 + 512);
    expect(records[4]!.offset).toBe(4096 + 2 * 65536 + 512);
  });

  it('fills a chunk to its 64 KiB and continues in the next one', async () => {
    const long = 'x'.repeat(4000);
    const specs = Array.from({ length: 40 }, (_, i) => sysmonRecord(i + 1, long + i));
    const file = buildEvtx(specs);
    expect(file.length).toBeGreaterThan(4096 + 65536);
    const { records, error } = await readAll(tempFile(file));
    expect(error).toBeUndefined();
    expect(records).toHaveLength(40);
    expect(records[39]!.event.data[3]!.value).toBe(long + 39);
  });

  it('skips an all-zero (preallocated) chunk slot silently', async () => {
    const file = Buffer.concat([buildEvtx([sysmonRecord(1)]), Buffer.alloc(65536)]);
    const { records, warnings, error } = await readAll(tempFile(file));
    expect(error).toBeUndefined();
    expect(records).toHaveLength(1);
    expect(warnings).toEqual([]);
  });
});

describe('readEvtx: value types ("Value types" table; rendering as libfwevt_xml_document_substitute_template_value)', () => {
  const typed: Array<[string, Value, string]> = [
    ['Int8', v.i8(-5), '-5'],
    ['UInt8', v.u8(200), '200'],
    ['Int16', v.i16(-300), '-300'],
    ['UInt16', v.u16(65535), '65535'],
    ['Int32', v.i32(-70000), '-70000'],
    ['UInt32', v.u32(4000000000), '4000000000'],
    ['Int64', v.i64(-9007199254740993n), '-9007199254740993'],
    ['UInt64', v.u64(18446744073709551615n), '18446744073709551615'],
    ['Real32', v.f32(1.5), '1.500000e+000'],
    ['Real64', v.f64(-0.000123), '-1.230000e-004'],
    ['Bool', v.bool(true), 'true'],
    ['BoolFalse', v.bool(false), 'false'],
    ['Binary', v.binary('deadbeef00'), 'DEADBEEF00'],
    ['Guid', v.guid('{0888e5ef-9b98-4695-979d-e92ce4247224}'), '{0888E5EF-9B98-4695-979D-E92CE4247224}'],
    ['SizeT32', v.size32(4096), '4096'],
    ['SizeT64', v.size64(8589934592n), '8589934592'],
    ['FileTime', v.filetime('2024-10-26T15:13:49.9214948Z'), '2024-10-26T15:13:49.921494800Z'],
    ['SysTime', v.systemtime(2024, 10, 6, 26, 15, 13, 49, 921), '2024-10-26T15:13:49.921Z'],
    ['Sid', v.sid('S-1-5-21-3962163828-2803415714-1403596700-1006'), 'S-1-5-21-3962163828-2803415714-1403596700-1006'],
    ['HexInt32', v.hex32(0xb2c), '0x00000b2c'],
    ['HexInt64', v.hex64(0x1659379n), '0x0000000001659379'],
    ['AnsiString (Windows-1252)', v.ansi('caf\u00e9 \u0080'), 'caf\u00e9 \u20ac'],
    ['StringWithNul', v.strz('abc'), 'abc'],
  ];

  it.each(typed)('%s', async (name, value, expected) => {
    const { records, error } = await readAll(tempFile(buildEvtx([appRecord(`t-${name}`, namedEventData([name]), [value])])));
    expect(error).toBeUndefined();
    expect(records[0]!.event.data).toEqual([{ name, value: expected }]);
  });

  it('"if the value type is an array type the substitution is repeated for every element of the array": the <Data> element repeats', async () => {
    const body: BxElement = { el: 'EventData', children: [{ el: 'Data', children: [{ sub: 17, type: 0x81 }] }, { el: 'Binary', children: [{ sub: 18, type: 0x0e }] }] };
    const spec = appRecord('classic', body, [v.strArray(['http://officemysuppbox.com/staterepository', '2600', '(NULL)', '']), v.binary('7B7D')]);
    const { records } = await readAll(tempFile(buildEvtx([spec])));
    expect(records[0]!.event.data).toEqual([
      { value: 'http://officemysuppbox.com/staterepository' },
      { value: '2600' },
      { value: '(NULL)' },
      { value: '' },
    ]);
    expect(records[0]!.event.binary).toBe('7B7D');
  });

  it('"if the size of an array type is 0 then a single empty element should be created"; UInt16 arrays repeat too', async () => {
    const body: BxElement = {
      el: 'EventData',
      children: [
        { el: 'Data', attrs: [['Name', [{ text: 'Empty' }]]], children: [{ sub: 17, type: 0x81 }] },
        { el: 'Data', attrs: [['Name', [{ text: 'Ports' }]]], children: [{ sub: 18, type: 0x86 }] },
      ],
    };
    const { records } = await readAll(tempFile(buildEvtx([appRecord('arrays', body, [v.strArray([]), v.u16Array([80, 443])])])));
    expect(records[0]!.event.data).toEqual([
      { name: 'Empty', value: '' },
      { name: 'Ports', value: '80' },
      { name: 'Ports', value: '443' },
    ]);
  });

  it('"if the value type of the corresponding template value is NULL the element should be ignored and not created" (optional substitution)', async () => {
    const body: BxElement = {
      el: 'EventData',
      children: [
        { el: 'Data', attrs: [['Name', [{ text: 'Optional' }]]], children: [{ sub: 17, type: 0x01, optional: true }] },
        { el: 'Data', attrs: [['Name', [{ text: 'Normal' }]]], children: [{ sub: 18, type: 0x01 }] },
        { el: 'Data', attrs: [['Name', [{ text: 'EmptyString' }]]], children: [{ sub: 19, type: 0x01, optional: true }] },
      ],
    };
    const { records } = await readAll(tempFile(buildEvtx([appRecord('nulls', body, [v.null(), v.null(), v.str('')])])));
    const e = records[0]!.event;
    expect(e.data).toEqual([
      { name: 'Normal', value: '' },
      { name: 'EmptyString', value: '' },
    ]);
    // optional NULL attributes are left out: <Correlation/>, no Qualifiers, no Provider Guid
    expect(e.correlation).toBeUndefined();
    expect(e.qualifiers).toBeUndefined();
    expect(e.provider).toEqual({ name: 'Test' });
  });

  it('"Binary XML type (0x21)": an element value (no dependency identifier) and a template instance value, inside <UserData>', async () => {
    const rm: BxElement = {
      el: 'RmSessionEvent',
      attrs: [['xmlns', [{ text: 'http://www.microsoft.com/2005/08/Windows/Reliability/RestartManager/' }]]],
      children: [
        { el: 'RmSessionId', children: [{ text: '0' }] },
        { el: 'UTCStartTime', children: [{ sub: 18, type: 0x11 }] },
      ],
    };
    const inner: Template = { id: 'inner', root: { el: 'Extra', children: [{ el: 'Count', children: [{ sub: 0, type: 0x08 }] }] } };
    const body: BxElement = { el: 'UserData', children: [{ sub: 17, type: 0x21 }] };
    const spec = appRecord('userdata', body, [v.xml(rm), v.filetime('2024-10-26T14:48:44.1175738Z')]);
    const spec2 = appRecord('userdata2', { el: 'UserData', children: [{ sub: 17, type: 0x21 }] }, [v.instance(inner, [v.u32(42)])], 2);
    const { records, error } = await readAll(tempFile(buildEvtx([spec, spec2])));
    expect(error).toBeUndefined();
    expect(records[0]!.event.userData).toEqual({
      name: 'RmSessionEvent',
      xmlns: 'http://www.microsoft.com/2005/08/Windows/Reliability/RestartManager/',
    });
    expect(records[0]!.event.data).toEqual([
      { name: 'RmSessionId', value: '0' },
      { name: 'UTCStartTime', value: '2024-10-26T14:48:44.117573800Z' },
    ]);
    expect(records[1]!.event.data).toEqual([{ name: 'Count', value: '42' }]);
  });

  it('CDATA sections, character and entity references and PIs in templates ("Content" tokens)', async () => {
    const body: BxElement = {
      el: 'EventData',
      children: [
        { pi: ['xml-stylesheet', 'href="x"'] },
        { el: 'Data', attrs: [['Name', [{ text: 'a' }, { entity: 'amp' }, { text: 'b' }]]], children: [{ cdata: 'x < y' }, { charRef: 38 }, { entity: 'gt' }] },
      ],
    };
    const { records, error } = await readAll(tempFile(buildEvtx([appRecord('tokens', body, [])])));
    expect(error).toBeUndefined();
    expect(records[0]!.event.data).toEqual([{ name: 'a&b', value: 'x < y&>' }]);
  });
});

describe('readEvtx: damaged files (policy in harness/telemetry/readers/evtx/chunk.ts)', () => {
  const three = (): Buffer => buildEvtx([1, 2, 3].map((i) => sysmonRecord(i)));

  it('a file cut inside a record: the whole records before it, then E_INPUT_EVTX_TRUNCATED naming the record and its offset', async () => {
    const full = three();
    const all = await readAll(tempFile(full));
    const third = all.records[2]!.offset;
    const { records, error } = await readAll(tempFile(full.subarray(0, third + 40)));
    expect(records.map((r) => r.record)).toEqual([1, 2]);
    const e = errorOf(error);
    expect(e.code).toBe('E_INPUT_EVTX_TRUNCATED');
    expect(e.exitCode).toBe(2);
    expect(e.position).toMatchObject({ record: 3, offset: third });
    expect(e.describe()).toMatch(new RegExp(`\\.evtx \\(record 3, offset ${third} \\(0x${third.toString(16)}\\)\\): EVTX file is truncated: record 3`));
  });

  it('a file cut inside a record header still names the next record number', async () => {
    const full = three();
    const third = (await readAll(tempFile(full))).records[2]!.offset;
    const { records, error } = await readAll(tempFile(full.subarray(0, third + 10)));
    expect(records).toHaveLength(2);
    expect(errorOf(error).position).toMatchObject({ record: 3, offset: third });
  });

  it('a file cut inside a chunk header: E_INPUT_EVTX_TRUNCATED with the chunk offset', async () => {
    const full = buildEvtx([1, 2, 3].map((i) => sysmonRecord(i)), { recordsPerChunk: 2 });
    const { records, error } = await readAll(tempFile(full.subarray(0, 4096 + 65536 + 100)));
    expect(records).toHaveLength(2);
    const e = errorOf(error);
    expect(e.code).toBe('E_INPUT_EVTX_TRUNCATED');
    expect(e.position?.offset).toBe(4096 + 65536);
  });

  it('a chunk whose header checksum does not match is read anyway, with a warning naming its offset', async () => {
    const file = buildEvtx([1, 2, 3, 4].map((i) => sysmonRecord(i)), { recordsPerChunk: 2 });
    file.writeUInt32LE(file.readUInt32LE(4096 + 65536 + 124) ^ 1, 4096 + 65536 + 124);
    const { records, warnings, error } = await readAll(tempFile(file));
    expect(error).toBeUndefined();
    expect(records.map((r) => r.record)).toEqual([1, 2, 3, 4]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/chunk at offset 69632 \(0x00011000\): header checksum .* does not match the computed .*; reading it anyway/);
  });

  it('a chunk whose event records checksum does not match is read anyway, with a warning', async () => {
    const file = three();
    const pos = file.indexOf(Buffer.from('echo 2', 'utf16le'));
    file.write('X', pos, 'utf16le'); // damage one character of record 2's command line
    const { records, warnings, error } = await readAll(tempFile(file));
    expect(error).toBeUndefined();
    expect(records[1]!.event.data[3]!.value).toBe('cmd.exe /c Xcho 2');
    expect(warnings).toEqual([expect.stringMatching(/chunk at offset 4096 \(0x00001000\): event records checksum .* does not match/)]);
  });

  it('a corrupt record in a chunk whose checksums match: records before it, then E_INPUT_EVTX naming record and offset', async () => {
    const file = three();
    const second = (await readAll(tempFile(file))).records[1]!.offset;
    const size = file.readUInt32LE(second + 4);
    file.writeUInt32LE(size + 8, second + size - 4); // the copy of the size no longer matches
    fixChunkCrcs(file, 4096);
    const { records, warnings, error } = await readAll(tempFile(file));
    expect(records.map((r) => r.record)).toEqual([1]);
    expect(warnings).toEqual([]);
    const e = errorOf(error);
    expect(e.code).toBe('E_INPUT_EVTX');
    expect(e.position).toMatchObject({ record: 2, offset: second });
    expect(e.message).toMatch(/copy of its size/);
  });

  it('corrupt Binary XML in a chunk whose checksums match is an InputError too (unknown token)', async () => {
    const file = three();
    const second = (await readAll(tempFile(file))).records[1]!.offset;
    file[second + 24] = 0x1f; // where the fragment header token should be
    fixChunkCrcs(file, 4096);
    const { records, error } = await readAll(tempFile(file));
    expect(records).toHaveLength(1);
    expect(errorOf(error).message).toMatch(/record 2: unknown Binary XML token 0x1f/);
  });

  it('a corrupt record in a chunk that failed its checksum: warning, rest of that chunk skipped, next chunk read', async () => {
    const file = buildEvtx([1, 2, 3, 4].map((i) => sysmonRecord(i)), { recordsPerChunk: 2 });
    file[4096 + 512 + 0] = 0x00; // record 1 loses its signature; the records CRC no longer matches
    const { records, warnings, error } = await readAll(tempFile(file));
    expect(error).toBeUndefined();
    expect(records.map((r) => r.record)).toEqual([3, 4]);
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/no record signature .* skipping the rest of this chunk/);
  });

  it('a chunk slot with another signature is skipped with a warning; the chunks after it are read', async () => {
    const two = buildEvtx([1, 2].map((i) => sysmonRecord(i)), { recordsPerChunk: 1 });
    const file = Buffer.concat([two.subarray(0, 4096 + 65536), Buffer.alloc(65536, 0xab), two.subarray(4096 + 65536)]);
    const { records, warnings, error } = await readAll(tempFile(file));
    expect(error).toBeUndefined();
    expect(records.map((r) => r.record)).toEqual([1, 2]);
    expect(warnings).toEqual([expect.stringMatching(/chunk at offset 69632 \(0x00011000\) does not start with the ElfChnk signature; skipped/)]);
  });

  it('a file that ends inside a chunk after its last record loses nothing: every record, and a warning', async () => {
    const file = buildEvtx([sysmonRecord(1)]);
    const free = file.readUInt32LE(4096 + 48);
    const { records, warnings, error } = await readAll(tempFile(file.subarray(0, 4096 + free + 100)));
    expect(error).toBeUndefined();
    expect(records).toHaveLength(1);
    expect(warnings).toEqual([expect.stringMatching(/the file ends \d+ bytes into this chunk, after its last record; no record is cut off/)]);
  });

  it('"the free space offset sometimes points to the end of the chunk, where the chunk after the last event record was filled with 0-byte values"', async () => {
    const file = buildEvtx([sysmonRecord(1), sysmonRecord(2)]);
    file.writeUInt32LE(65536, 4096 + 48);
    fixChunkCrcs(file, 4096);
    const { records, warnings, error } = await readAll(tempFile(file));
    expect(error).toBeUndefined();
    expect(warnings).toEqual([]);
    expect(records.map((r) => r.record)).toEqual([1, 2]);
  });

  it('a file header checksum mismatch is a warning', async () => {
    const file = three();
    file.writeUInt8(file[60]! ^ 0xff, 60); // unknown (empty) bytes inside the CRC-covered first 120
    const { records, warnings } = await readAll(tempFile(file));
    expect(records).toHaveLength(3);
    expect(warnings).toEqual([expect.stringMatching(/file header checksum .* does not match/)]);
  });

  it('not an EVTX file, an empty file, a missing file: InputError with a clear reason', async () => {
    const notEvtx = errorOf((await readAll(tempFile('<Event/>'))).error);
    expect(notEvtx.code).toBe('E_INPUT_EVTX');
    expect(notEvtx.message).toMatch(/not an EVTX file/);
    const empty = errorOf((await readAll(tempFile(Buffer.alloc(0)))).error);
    expect(empty.code).toBe('E_INPUT_EMPTY');
    expect(empty.message).toBe('file is empty: no Windows events to read');
    const missing = errorOf((await readAll('/nonexistent/x.evtx')).error);
    expect(missing.code).toBe('E_INPUT_IO');
    expect(errorOf((await readAll(path.dirname(tempFile('x')))).error).message).toMatch(/not a regular file/);
  });
});
