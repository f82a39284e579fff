// Eval functions, one group per family of the Splunk docs ([COND], [INFO], [TEXT], [MVF], [EVAL]).
import { describe, expect, it } from 'vitest';
import { NOW, evalOn, ruleError } from '../helpers.ts';

describe('comparison and conditional functions ([COND])', () => {
  it('if(cond, a, b): TRUE → a, otherwise b', async () => {
    expect(await evalOn({ x: '1' }, 'a=if(x=1,"one","other"), b=if(x=2,"one","other")')).toMatchObject({ a: 'one', b: 'other' });
  });

  it('case(): the first TRUE pair wins; 1=1 as a default', async () => {
    const r = await evalOn({ x: '5' }, 'r=case(x<3,"low", x<10,"mid", 1=1,"high")');
    expect(r.r).toBe('mid');
  });

  it('case() with an odd number of arguments is rejected ("The arguments to the \'case\' function are invalid")', () => {
    expect(ruleError('* | eval r=case(x=1,"a",x=2)').message).toContain("The arguments to the 'case' function are invalid");
  });

  it('coalesce(): first non-NULL, NULL when all are NULL', async () => {
    const r = await evalOn({ b: 'B' }, 'x=coalesce(a, b, "c"), y=coalesce(a, z)');
    expect(r.x).toBe('B');
    expect(r).not.toHaveProperty('y');
  });

  it('nullif(a, b): NULL when equal, else a', async () => {
    const r = await evalOn({}, 'x=nullif("a","a"), y=nullif("a","b")');
    expect(r).not.toHaveProperty('x');
    expect(r.y).toBe('a');
  });

  it('validate(): the value of the first FALSE condition', async () => {
    expect((await evalOn({ p: '99999' }, 'r=validate(isnum(p), "not a number", p<65536, "too big")')).r).toBe('too big');
  });

  it('match(): unanchored PCRE; NULL subject gives NULL (→ if() else branch)', async () => {
    const r = await evalOn({ s: 'abc123' }, 'a=if(match(s,"\\d+"),1,0), b=if(match(s,"^\\d+$"),1,0), c=if(match(nosuch,"x"),1,0)');
    expect(r).toMatchObject({ a: '1', b: '0', c: '0' });
  });

  it('like(): % and _ wildcards over the whole string', async () => {
    const r = await evalOn({}, 'a=if(like("abc","a_c"),1,0), b=if(like("abc","a%"),1,0), c=if(like("abc","b%"),1,0)');
    expect(r).toMatchObject({ a: '1', b: '1', c: '0' });
  });

  it('cidrmatch(): IPv4 and IPv6 subnets', async () => {
    const r = await evalOn({}, 'a=if(cidrmatch("10.0.0.0/8","10.1.2.3"),1,0), b=if(cidrmatch("10.0.0.0/8","52.110.3.4"),1,0), c=if(cidrmatch("fe80::/10","fe80::1"),1,0), d=if(cidrmatch("::1/128","::1"),1,0), e=if(cidrmatch("192.168.0.0/16","not-an-ip"),1,0)');
    expect(r).toMatchObject({ a: '1', b: '0', c: '1', d: '1', e: '0' });
  });

  it('in(field, v1, ...): exact membership, no wildcards', async () => {
    const r = await evalOn({ s: 'error' }, 'a=if(in(s,"error","failure"),1,0), b=if(in(s,"err*"),1,0)');
    expect(r).toMatchObject({ a: '1', b: '0' });
  });

  it('searchmatch(): TRUE if the event matches the search string', async () => {
    const r = await evalOn({ _raw: 'user bob failed login', user: 'bob' }, 'a=if(searchmatch("failed user=bob"),1,0), b=if(searchmatch("succeeded"),1,0)');
    expect(r).toMatchObject({ a: '1', b: '0' });
  });

  it('true(), false(), null()', async () => {
    const r = await evalOn({}, 'a=if(true(),1,0), b=if(false(),1,0), c=null()');
    expect(r).toMatchObject({ a: '1', b: '0' });
    expect(r).not.toHaveProperty('c');
  });
});

describe('informational functions ([INFO])', () => {
  it('isnull/isnotnull', async () => {
    expect(await evalOn({ a: 'x' }, 'p=if(isnull(a),1,0), q=if(isnotnull(a),1,0), r=if(isnull(b),1,0)')).toMatchObject({ p: '0', q: '1', r: '1' });
  });

  it('isnum/isint/isstr: a field holding "12" is a number, the literal "12" is a string', async () => {
    const r = await evalOn({ f: '12', g: '1.5' }, 'a=if(isnum(f),1,0), b=if(isnum("12"),1,0), c=if(isint(g),1,0), d=if(isint(f),1,0), e=if(isstr("12"),1,0), h=if(isstr(f),1,0)');
    expect(r).toMatchObject({ a: '1', b: '0', c: '0', d: '1', e: '1', h: '0' });
  });

  it('typeof(): Number, String, Bool, Invalid, Multivalue', async () => {
    const r = await evalOn({ f: '12', s: 'x', m: ['a', 'b'] }, 'a=typeof(f), b=typeof(s), c=typeof(m), d=typeof(1<2), e=typeof(nosuch)');
    expect(r).toMatchObject({ a: 'Number', b: 'String', c: 'Multivalue', d: 'Bool', e: 'Invalid' });
  });
});

describe('text functions ([TEXT])', () => {
  it('lower/upper, also on multivalue fields', async () => {
    const r = await evalOn({ m: ['A', 'b'] }, 'a=lower("AbC"), b=upper("AbC"), c=lower(m)');
    expect(r).toMatchObject({ a: 'abc', b: 'ABC', c: ['a', 'b'] });
  });

  it('lower(NULL) is NULL: the field is not created (UNSURE, spl.md §1)', async () => {
    expect(await evalOn({}, 'a=lower(nosuch)')).not.toHaveProperty('a');
  });

  it('len(): character length', async () => {
    expect((await evalOn({}, 'a=len("héllo")')).a).toBe('5');
  });

  it('substr(): 1-based, negative start counts from the end', async () => {
    const r = await evalOn({}, 'a=substr("splunk",1,3), b=substr("splunk",-3), c=substr("splunk",3)');
    expect(r).toMatchObject({ a: 'spl', b: 'unk', c: 'lunk' });
  });

  it('replace(): every match, with \\1 backreferences in the replacement', async () => {
    const r = await evalOn({}, 'a=replace("1/2/2024","^(\\d+)/(\\d+)/","\\2/\\1/"), b=replace("aaa","a","b")');
    expect(r).toMatchObject({ a: '2/1/2024', b: 'bbb' });
  });

  it('split(): a multivalue result', async () => {
    expect((await evalOn({ m: 'a@b.c' }, 'r=split(m,"@")')).r).toEqual(['a', 'b.c']);
  });

  it('trim/ltrim/rtrim: spaces and tabs by default, or the given characters', async () => {
    const r = await evalOn({}, 'a=trim("  x  "), b=ltrim("  x  "), c=rtrim("  x  "), d=trim("zzxzz","z")');
    expect(r).toMatchObject({ a: 'x', b: 'x  ', c: '  x', d: 'x' });
  });

  it('urldecode()', async () => {
    expect((await evalOn({}, 'a=urldecode("http%3A%2F%2Fx%2Fa%20b")')).a).toBe('http://x/a b');
  });

  it('tostring(): numbers, booleans, "hex", "commas", "duration"', async () => {
    const r = await evalOn({}, 'a=tostring(1==1), b=tostring(255,"hex"), c=tostring(1234567.891,"commas"), d=tostring(3725,"duration"), e=tostring(12)');
    expect(r).toMatchObject({ a: 'True', b: '0xFF', c: '1,234,567.89', d: '01:02:05', e: '12' });
  });

  it('tonumber(): decimal, base 16, NULL when not a number', async () => {
    const r = await evalOn({}, 'a=tonumber("0x1F",16), b=tonumber("42"), c=tonumber("abc")');
    expect(r).toMatchObject({ a: '31', b: '42' });
    expect(r).not.toHaveProperty('c');
  });

  it('md5/sha1/sha256', async () => {
    const r = await evalOn({}, 'a=md5("abc"), b=sha256("abc")');
    expect(r.a).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(r.b).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('multivalue functions ([MVF])', () => {
  const m = { m: ['a', 'b', 'c'] };
  it('mvcount(): number of values; 1 for a single value; NULL when missing', async () => {
    const r = await evalOn({ ...m, s: 'x' }, 'a=mvcount(m), b=mvcount(s), c=mvcount(nosuch)');
    expect(r).toMatchObject({ a: '3', b: '1' });
    expect(r).not.toHaveProperty('c');
  });

  it('mvindex(): 0-based, end inclusive, negative from the end', async () => {
    const r = await evalOn(m, 'a=mvindex(m,0), b=mvindex(m,-1), c=mvindex(m,0,1), d=mvindex(m,5)');
    expect(r).toMatchObject({ a: 'a', b: 'c', c: ['a', 'b'] });
    expect(r).not.toHaveProperty('d');
  });

  it('mvfind(): index of the first value matching the regex, else NULL', async () => {
    const r = await evalOn(m, 'a=mvfind(m,"^b"), b=mvfind(m,"z")');
    expect(r.a).toBe('1');
    expect(r).not.toHaveProperty('b');
  });

  it('mvjoin(), mvappend(), mvdedup(), mvsort(), mvzip(), mvrange()', async () => {
    const r = await evalOn(m, 'a=mvjoin(m,";"), b=mvappend(m,"d"), c=mvdedup(mvappend("x","x","y")), d=mvsort(mvappend("b","a")), e=mvzip(m,m,"="), f=mvrange(1,4)');
    expect(r).toMatchObject({ a: 'a;b;c', b: ['a', 'b', 'c', 'd'], c: ['x', 'y'], d: ['a', 'b'], e: ['a=a', 'b=b', 'c=c'], f: ['1', '2', '3'] });
  });
});

describe('math functions ([EVAL])', () => {
  it('round (half away from zero), abs, floor, ceil, sqrt, pow, log, min, max', async () => {
    const r = await evalOn({}, 'a=round(2.5), b=round(3.14159,2), c=abs(-3), d=floor(2.7), e=ceil(2.1), f=sqrt(16), g=pow(2,10), h=log(100), i=min(3,1,2), j=max(3,"a",2)');
    expect(r).toMatchObject({ a: '3', b: '3.14', c: '3', d: '2', e: '3', f: '4', g: '1024', h: '2', i: '1', j: 'a' });
  });
});

describe('date and time functions ([INFO])', () => {
  it('now() is the search time', async () => {
    expect((await evalOn({}, 'n=now()')).n).toBe(String(NOW));
  });

  it('strftime(): epoch → text (UTC)', async () => {
    expect((await evalOn({}, 'a=strftime(0,"%Y-%m-%d %H:%M:%S"), b=strftime(1.5,"%S.%3N")'))).toMatchObject({ a: '1970-01-01 00:00:00', b: '01.500' });
  });

  it('strptime(): text → epoch; NULL when the text does not fit', async () => {
    const r = await evalOn({}, 'a=strptime("2024-04-18 12:00:00","%Y-%m-%d %H:%M:%S"), b=strptime("junk","%Y")');
    expect(r.a).toBe('1713441600');
    expect(r).not.toHaveProperty('b');
  });

  it('relative_time(t, "-1d@d"): offset then snap to the day', async () => {
    expect((await evalOn({}, 'a=relative_time(1713441600,"-1d@d"), b=relative_time(1713441600,"@h+30m")'))).toMatchObject({ a: '1713312000', b: '1713443400' });
  });

  it('typeof(_time) is Number', async () => {
    expect((await evalOn({ _time: '2024-04-18T12:00:00Z' }, 't=typeof(_time)')).t).toBe('Number');
  });
});
