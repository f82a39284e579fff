// PowerShell's XML→JSON export (atomic-evtx) writes the positional <Data> items of a classic
// provider as ONE string joined with ", ", dropping empty items (telemetry.md §3):
//   "https://…/T1218.007_JScript.msi, 3108, (NULL), (NULL), (NULL), (NULL)"
// for the 7 items url, 3108, (NULL)×4, "" of an MsiInstaller 1040.
//
// A value that itself contains ", " (a package path, a product or manufacturer name) makes a plain
// split wrong, so MsiInstaller events are split against their known templates (telemetry.md §1.4,
// https://learn.microsoft.com/en-us/windows/win32/msi/event-logging), matched from the right where
// the fixed items are; the always-empty Data7 is restored, so the items equal the EVTX's. Other
// providers, and MsiInstaller text that does not fit its template, are split on ", " (lossy, as
// the export is).

const NULL4 = ', \\(NULL\\), \\(NULL\\), \\(NULL\\), \\(NULL\\)';

const MSI_TEMPLATES: Array<{ ids: number[]; pattern: RegExp }> = [
  // package path or URL, client pid, (NULL)×4
  { ids: [1040, 1042], pattern: new RegExp(`^(.*), (\\d+)${NULL4}$`, 's') },
  // product name, version, language, status, manufacturer, (NULL)
  { ids: [1033, 1034], pattern: /^(.*), ([^,]*), (\d+), (-?\d+), (.*), \(NULL\)$/s },
  // message, (NULL)×5
  { ids: [11707, 11708, 11724, 11725], pattern: new RegExp(`^(.*), \\(NULL\\)${NULL4}$`, 's') },
];

/** The positional items of a collapsed `"Data"` string. */
export function splitCollapsedData(provider: string, eventId: number, text: string): string[] {
  if (provider.toLowerCase() === 'msiinstaller') {
    const t = MSI_TEMPLATES.find((x) => x.ids.includes(eventId));
    const m = t?.pattern.exec(text);
    if (m) {
      const fixed = m.slice(1) as string[];
      const items = eventId >= 11000 ? [fixed[0]!, '(NULL)', '(NULL)', '(NULL)', '(NULL)', '(NULL)']
        : eventId === 1040 || eventId === 1042 ? [fixed[0]!, fixed[1]!, '(NULL)', '(NULL)', '(NULL)', '(NULL)']
          : [...fixed, '(NULL)'];
      items.push('');
      return items;
    }
  }
  return text === '' ? [] : text.split(', ');
}
