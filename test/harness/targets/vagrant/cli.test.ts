import { describe, expect, it } from 'vitest';
import { machineState, parseMachineReadable, snapshotNames } from '../../../../harness/targets/vagrant/cli.ts';
import { evaluationExpired, parseLicence } from '../../../../harness/targets/vagrant/index.ts';

describe('Vagrant CLI output (Vagrant 2.3.4 lib/vagrant/ui.rb MachineReadable)', () => {
  it('machine-readable lines: time,target,type,data with %!(VAGRANT_COMMA) and \\n escapes', () => {
    expect(parseMachineReadable('1700000000,win10,ui,detail,a%!(VAGRANT_COMMA) b\\nc\nnot a record\n')).toEqual([
      { time: 1700000000, target: 'win10', type: 'ui', data: ['detail', 'a, b\nc'] },
    ]);
  });
  it('`vagrant status --machine-readable`: the state line of the machine', () => {
    const out = '1700000000,win10,metadata,provider,virtualbox\n1700000000,win10,state,poweroff\n1700000000,linux,state,not_created\n';
    expect(machineState(out, 'win10')).toBe('poweroff');
    expect(machineState(out, 'linux')).toBe('not_created');
    expect(machineState(out, 'other')).toBeUndefined();
  });
  it('`vagrant snapshot list --machine-readable`: detail lines are names; "No snapshots have been taken yet!" means none (its advice is a detail line too)', () => {
    expect(snapshotNames('1,win10,ui,output,\n1,win10,ui,detail,clean\n1,win10,ui,detail,before-t3\n', 'win10')).toEqual(['clean', 'before-t3']);
    expect(snapshotNames('1,win10,ui,output,No snapshots have been taken yet!\n1,win10,ui,detail,You can take a snapshot using `vagrant snapshot save`.\n', 'win10')).toEqual([]);
    expect(snapshotNames('1,win10,ui,info,The VM is not created. Please run `vagrant up` first.\n', 'win10')).toEqual([]);
  });
});

describe('Windows licence probe (SoftwareLicensingProduct)', () => {
  it('an evaluation edition is expired once it leaves LicenseStatus 1 (licensed) or has no minutes left', () => {
    const eval_ = 'Windows(R) Operating System, TIMEBASED_EVAL channel';
    expect(parseLicence(`noise\r\nATOMIC-LICENCE status=1 grace=128160 description=${eval_}\r\n`)).toEqual({ status: 1, grace: 128160, description: eval_ });
    expect(evaluationExpired({ status: 1, grace: 128160, description: eval_ })).toBe(false);
    expect(evaluationExpired({ status: 5, grace: 0, description: eval_ })).toBe(true);
    expect(evaluationExpired({ status: 1, grace: 0, description: eval_ })).toBe(true);
    // a retail licence in notification state is not an evaluation expiry
    expect(evaluationExpired({ status: 5, grace: 0, description: 'Windows(R) Operating System, RETAIL channel' })).toBe(false);
    expect(parseLicence('WinRM said nothing useful')).toBeUndefined();
  });
});
