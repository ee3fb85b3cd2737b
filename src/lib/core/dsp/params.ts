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

/** Each parameter's slot in a kernel's values array, by id. */
export function paramSlots(info: PluginInfo): Record<string, number> {
  return Object.fromEntries(info.params.map((p, i) => [p.id, i]));
}

/**
 * resolveParams into a kernel's own array, in the order of `info.params`: a number stored in a
 * typed array is not boxed, so moving a parameter allocates nothing.
 */
export function resolveInto(info: PluginInfo, given: Record<string, number>, out: Float64Array): void {
  const params = info.params;
  for (let k = 0; k < params.length; k++) {
    const p = params[k];
    const v = given[p.id];
    out[k] = typeof v === 'number' && v - v === 0 ? (v < p.min ? p.min : v > p.max ? p.max : v) : p.default;
  }
}

/**
 * A parameter value as album.json gives it: a number, or for a choice its name (as listed by
 * `lathe plugins --json`) or its index. Returns the number, or throws a message naming the choices.
 */
export function paramFromDocument(plugin: PluginInfo | undefined, id: string, value: number | string): number {
  const param = plugin?.params.find((p) => p.id === id);
  if (typeof value === 'number') {
    if (param?.choices && !(Number.isInteger(value) && value >= param.min && value <= param.max)) {
      throw new Error(`${value} is not a choice of ${param.id}; give one of ${choiceList(param)} or its index ${param.min} to ${param.max}`);
    }
    return value;
  }
  if (!plugin) throw new Error(`"${value}" is a name, and only Lathe's own plugins have named choices here; give a number`);
  if (!param) throw new Error(`${plugin.id} has no parameter ${id}`);
  if (!param.choices) throw new Error(`${plugin.id} ${id} is a number (${param.unit || 'no unit'}, ${param.min} to ${param.max}), not a choice`);
  const at = param.choices.findIndex((c) => c.toLowerCase() === value.toLowerCase());
  if (at < 0) throw new Error(`"${value}" is not a choice of ${plugin.id} ${id}; the choices are ${choiceList(param)}`);
  return param.min + at;
}

/** The form album.json is written in: a choice by its name, anything else as the number. */
export function paramToDocument(plugin: PluginInfo | undefined, id: string, value: number): number | string {
  const param = plugin?.params.find((p) => p.id === id);
  if (!param?.choices) return value;
  return param.choices[Math.round(value) - param.min] ?? value;
}

function choiceList(p: ParamInfo): string {
  return (p.choices ?? []).join(', ');
}
