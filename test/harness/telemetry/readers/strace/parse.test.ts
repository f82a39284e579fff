// strace -f -ttt output → canonical events with the process tree (lab-recipes §4.1; telemetry.md
// §7). Fixtures: lines kept from the lab's own sandbox captures (test/fixtures/strace).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeStraceString, parseStrace, straceCalls } from '../../../../../harness/telemetry/readers/strace/parse.ts';
import { straceReader } from '../../../../../harness/telemetry/readers/strace/index.ts';
import { REPO_ROOT } from '../../../../support/corpus.ts';

const DIR = path.join(REPO_ROOT, 'test/fixtures/strace');
const text = (name: string) => readFileSync(path.join(DIR, name), 'utf8');

describe('strace: test 2 (pip → python setup.py install → curl)', () => {
  const events = parseStrace(text('pip-hook-curl.strace'), { file: 'pip.strace', host: 'atomic-lab', cwd: '/', user: 'root' });
  const procs = events.filter((e) => e.kind === 'process_creation');
  const byName = (re: RegExp) => procs.filter((e) => re.test(e.process!.commandLine ?? ''));

  it('joins `<unfinished ...>` with `<... resumed>` per pid, keeping both raw lines', () => {
    const calls = straceCalls(text('pip-hook-curl.strace'));
    const joined = calls.find((c) => c.lines.length === 2 && c.name === 'execve');
    expect(joined).toBeDefined();
    expect(joined!.ret).toBe('0');
  });

  it('vfork/clone return values make the caller the parent; the child execve printed before the parent\'s resumed line still links', () => {
    const curl = procs.find((e) => e.process!.image === '/usr/bin/curl')!;
    const python = procs.find((e) => e.process!.pid === curl.parent!.pid)!;
    expect(python.process!.commandLine).toMatch(/python3 -u -c .*setup\.py.* install --record/s);
    const pip = procs.find((e) => e.process!.pid === python.parent!.pid)!;
    expect(pip.process!.commandLine).toMatch(/\/bin\/pip install --no-index --no-build-isolation --no-cache-dir /);
    expect(curl.parent!.image).toBe(python.process!.image);
  });

  it('execve that failed (ENOENT while searching PATH) is not a process creation', () => {
    const enoent = text('pip-hook-curl.strace').split('\n').filter((l) => /execve\(.*ENOENT/.test(l)).length;
    expect(procs.every((e) => (e.record as { lines: string[] }).lines.some((l) => /= 0$/.test(l)))).toBe(true);
    expect(procs.length).toBeLessThan(procs.length + enoent + 1);
  });

  it('connect to AF_INET returning EINPROGRESS is a network connection (non-blocking connect); AF_UNIX is not', () => {
    const nets = events.filter((e) => e.kind === 'network_connection');
    expect(nets.map((e) => [e.process!.image, e.network!.destinationIp, e.network!.destinationPort])).toEqual([['/usr/bin/curl', '127.0.0.1', '8765']]);
  });

  it('openat with O_CREAT that returned a descriptor is a file event', () => {
    const files = events.filter((e) => e.kind === 'file_event');
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect((f.record as { lines: string[] }).lines.join('')).toMatch(/O_CREAT.*= \d+$/);
  });

  it('times are the -ttt epoch with microseconds; events are synthetic, linux, strace', () => {
    expect(procs[0]!.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    expect(procs[0]!.origin).toMatchObject({ format: 'strace', sensor: 'strace', synthetic: true, file: 'pip.strace' });
  });
});

describe('strace: benign dpkg postinst, with exec resolution', () => {
  // what the sandbox's file system says: /bin/sh → /usr/bin/dash, the postinst starts with #!/bin/sh
  const resolveExec = (p: string) => (p.endsWith('.postinst')
    ? { image: '/usr/bin/dash', argvPrefix: ['/bin/sh'] }
    : { image: p === '/usr/bin/sh' || p === '/bin/sh' ? '/usr/bin/dash' : p, argvPrefix: [] });
  const events = parseStrace(text('dpkg-postinst.strace'), { file: 'dpkg.strace', cwd: '/', resolveExec });

  it('a #! script runs as its interpreter: Image is the interpreter, CommandLine the interpreter, the script path, then argv[1..] (execve(2))', () => {
    const post = events.find((e) => e.process?.commandLine?.includes('.postinst configure'))!;
    expect(post.process!.image).toBe('/usr/bin/dash');
    expect(post.process!.commandLine).toBe('/bin/sh /var/lib/dpkg/info/atomic-lab-vendor-agent.postinst configure ');
    expect(post.parent!.name).toBe('dpkg');
  });
});

describe('decoding and sniffing', () => {
  it('decodes C escapes and octal bytes as UTF-8', () => {
    expect(decodeStraceString('a\\"b\\\\c\\n\\303\\251\\x41')).toBe('a"b\\c\né' + 'A');
  });
  it('the reader sniffs strace output', () => {
    expect(straceReader.sniff(Buffer.from(text('pip-hook-curl.strace').slice(0, 2000)))).toBe(true);
    expect(straceReader.sniff(Buffer.from('type=SYSCALL msg=audit(1.2:3): x'))).toBe(false);
  });
});
