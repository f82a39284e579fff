// Minimal glob matching for --rules and expectation files: `**` any depth, `*` within one path
// segment, `?` one character; paths compare with forward slashes.

const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (re) return re;
  let src = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        src += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
        i += glob[i + 2] === '/' ? 2 : 1;
      } else src += '[^/]*';
    } else if (c === '?') src += '[^/]';
    else src += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  re = new RegExp(`^${src}$`);
  cache.set(glob, re);
  return re;
}

export function matchGlob(glob: string, file: string): boolean {
  return globToRegExp(glob.replace(/\\/g, '/').replace(/^\.\//, '')).test(file.replace(/\\/g, '/').replace(/^\.\//, ''));
}
