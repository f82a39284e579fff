// The view seam: how one product sees a canonical event. Profiles are named field mappings kept
// as YAML data under detections/mappings/views/.
import type { ViewEvent, ViewName } from '../../../detections/engines/types.ts';
import type { CanonicalEvent } from '../model.ts';

export type { ViewEvent, ViewName };

export interface View {
  view: ViewName;
  profile: string;
  /**
   * The event as the product would store it, or null when the product would not see this event at
   * all (e.g. a Falcon view of an MsiInstaller log record). Flat records (record.type 'flat') are
   * returned as-is, untouched, whatever the view.
   */
  render(event: CanonicalEvent): ViewEvent | null;
}

/** Default profile per view (CONTRACTS.md: splunk for SPL, falcon for CQL). */
export const DEFAULT_PROFILE: Record<ViewName, string> = {
  splunk: 'splunk',
  falcon: 'falcon',
  sigma: 'sigma',
};
