// `${VAR}` substitution of a raw configuration file, as Drone's runners do it before parsing (runner
// algorithm step 7): variables come from the build's environment map, and a value containing a newline is
// inserted Go-quoted so it cannot break the YAML structure.

import { goQuote } from '../internal/go-format.js';
import { substitute, SubstitutionError } from './eval.js';

export { substitute, SubstitutionError };

export function substituteConfig(config: string, vars: Record<string, string>): string {
  return substitute(config, (name) => {
    const value = Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : '';
    return value.includes('\n') ? goQuote(value) : value;
  });
}
