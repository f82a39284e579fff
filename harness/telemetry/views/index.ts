// Views by name: getView('splunk' | 'falcon' | 'sigma', profile?) → View.
import { createFalconView } from './falcon.ts';
import { createSigmaView } from './sigma.ts';
import { createSplunkView } from './splunk.ts';
import { DEFAULT_PROFILE, type View, type ViewName } from './types.ts';

const FACTORIES: Record<ViewName, (profile: string) => View> = {
  splunk: createSplunkView,
  falcon: createFalconView,
  sigma: createSigmaView,
};

/** Which view a profile name belongs to (profiles are unique across views). */
export function viewOfProfile(profile: string): ViewName | undefined {
  if (profile.startsWith('splunk')) return 'splunk';
  if (profile.startsWith('falcon')) return 'falcon';
  if (profile.startsWith('sigma')) return 'sigma';
  return undefined;
}

export function getView(view: ViewName, profile?: string): View {
  return FACTORIES[view](profile ?? DEFAULT_PROFILE[view]);
}

export { DEFAULT_PROFILE };
export type { View, ViewName };
