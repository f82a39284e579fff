import { describe, expect, it } from 'vitest';
import { dieWithParent } from '../../../../harness/targets/qemu/guard.ts';
import { qemuArgs } from '../../../../harness/targets/qemu/vm.ts';

const image = { dir: '/c/img', baseImage: '/c/img/base.img', kernel: '/c/img/vmlinuz', initrd: '/c/img/initrd.img', manifest: { key: 'k', recipe: 'r', built: '', kernelVersion: '6.1', buildSeconds: 0, steps: {} } };
const opts = { image, accel: 'tcg' as const, runDir: '/run/x', inputTar: '/run/x/in.tar', memoryMb: 1024, cpus: 2, network: 'none' as const, bootTimeoutMs: 1000, jobTimeoutMs: 1000 };

describe('QEMU invocation (init mode, lab-recipes §6.4)', () => {
  it('boots the image kernel into /opt/atomic-lab/init, panics into a QEMU exit, disks found by serial, input read-only', () => {
    const a = qemuArgs(opts, '/run/x/root.qcow2', '/run/x/out.img');
    const at = (flag: string) => a[a.indexOf(flag) + 1];
    expect(a[0]).toBe('qemu-system-x86_64');
    expect(at('-accel')).toBe('tcg');
    expect(at('-append')).toBe('root=/dev/vda rw console=ttyS0 quiet panic=1 init=/opt/atomic-lab/init');
    expect(a).toContain('-no-reboot');
    expect(at('-kernel')).toBe('/c/img/vmlinuz');
    expect(a).toContain('file=/run/x/in.tar,if=none,id=in,format=raw,readonly=on');
    expect(a).toContain('virtio-blk-pci,drive=in,serial=atomic-in');
    expect(a).toContain('virtio-blk-pci,drive=out,serial=atomic-out');
    expect(a).toContain('file=/run/x/root.qcow2,if=none,id=root,format=qcow2');
    expect(at('-nic')).toBe('none');
    expect(qemuArgs({ ...opts, network: 'user', accel: 'kvm' }, 'r', 'o')).toEqual(expect.arrayContaining(['-nic', 'user,model=virtio-net-pci', '-accel', 'kvm']));
  });

  it('QEMU dies with the harness: util-linux setpriv sets the parent-death signal to KILL', async () => {
    expect(await dieWithParent(['qemu-system-x86_64', '-version'])).toEqual(['setpriv', '--pdeathsig', 'KILL', '--', 'qemu-system-x86_64', '-version']);
  });
});
