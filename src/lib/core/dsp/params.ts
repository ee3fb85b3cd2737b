/** How a plugin's parameters are described: for hosts, generic editors and `lathe plugins --json`. */
export interface ParamInfo {
  id: string;
  label: string;
  unit: string;
  min: number;
  max: number;
  default: number;
  /** For choices: the label of each integer value from min. */
  choices?: string[];
}

export interface PluginInfo {
  id: string;
  name: string;
  params: ParamInfo[];
}

/** Fills in defaults and clamps every value into its range. */
export function resolveParams(info: PluginInfo, given: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of info.params) {
    const v = given[p.id];
    out[p.id] = typeof v === 'number' && Number.isFinite(v) ? Math.min(p.max, Math.max(p.min, v)) : p.default;
  }
  return out;
}
