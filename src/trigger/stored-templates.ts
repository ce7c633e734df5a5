// `kind: template` configurations load their template from the templates stored through the API, in the
// repository's namespace (Drone's template converter).

import type { TemplateStore } from '../core/store.js';
import type { TemplateLookup } from '../pipeline/index.js';

export function storedTemplates(templates: Pick<TemplateStore, 'find'>, namespace: string): TemplateLookup {
  return async (name) => {
    const template = await templates.find(namespace, name);
    return template && { name: template.name, data: template.data };
  };
}
