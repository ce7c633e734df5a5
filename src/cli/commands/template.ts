// `hangar template add|update|info|ls|rm`: a namespace's pipeline templates, as the drone CLI manages them.
// Namespace, name and data come from --namespace/--name/--data (drone's flags) or, in that order, as arguments.

import { Command } from 'commander';
import { clientAction, dataArgument, required } from './action.js';
import { exitWithUsageCode } from './exit-codes.js';
import { columns, type PrintOptions, printItem, printList, withOutput } from './output.js';

interface Template {
  name: string;
  namespace?: string;
  data: string;
}

const TEMPLATE_TEMPLATE = `{{ .Name }}
Data:  {{ .Data }}
`;

const TEMPLATE_FIELDS = 'Name, Namespace, Data';

const TEMPLATE_COLUMNS = columns('Namespace', 'Name');

type TemplateOptions = { namespace?: string; name?: string; data?: string };

const namespaceUrl = (namespace: string | undefined) => `/api/templates/${encodeURIComponent(required(namespace, 'namespace (--namespace)'))}`;
const templateUrl = (namespace: string | undefined, name: string | undefined) =>
  `${namespaceUrl(namespace)}/${encodeURIComponent(required(name, 'template name (--name)'))}`;

function withTemplateFlags(command: Command, data = false): Command {
  command.option('--namespace <namespace>', 'organization namespace').option('--name <name>', 'template name');
  return data ? command.option('--data <data>', 'template content (@file reads a file)') : command;
}

export function templateCommand(): Command {
  const template = new Command('template').description('manage templates');
  for (const verb of ['add', 'update'] as const) {
    clientAction<TemplateOptions>(
      withTemplateFlags(template.command(`${verb} [namespace] [name] [data]`).description(`${verb} a template`), true),
      async (drone, [namespace, name, data], options) => {
        const selected = options.namespace ?? namespace;
        const body = templateBody(options.name ?? name, options.data ?? data);
        if (verb === 'add') await drone.post<Template>(namespaceUrl(selected), body);
        else await drone.patch<Template>(templateUrl(selected, body.name), body);
        console.log(`template ${body.name} ${verb === 'add' ? 'added to' : 'updated in'} ${selected}`);
      },
    );
  }
  clientAction<PrintOptions & TemplateOptions>(
    withOutput(withTemplateFlags(template.command('info [namespace] [name]').description('show a template')), TEMPLATE_FIELDS),
    async (drone, [namespace, name], options) => {
      printItem(await drone.get<Template>(templateUrl(options.namespace ?? namespace, options.name ?? name)), options, TEMPLATE_TEMPLATE);
    },
  );
  clientAction<PrintOptions & TemplateOptions>(
    withOutput(template.command('ls [namespace]').description('list templates (of one namespace, or all)'), TEMPLATE_FIELDS).option('--namespace <namespace>', 'namespace'),
    async (drone, [namespace], options) => {
      const selected = options.namespace ?? namespace;
      printList(await drone.list<Template>(selected ? namespaceUrl(selected) : '/api/templates'), options, TEMPLATE_COLUMNS);
    },
  );
  clientAction<TemplateOptions>(withTemplateFlags(template.command('rm [namespace] [name]').description('remove a template')), async (drone, [namespace, name], options) => {
    const selected = options.name ?? name;
    await drone.delete(templateUrl(options.namespace ?? namespace, selected));
    console.log(`template ${selected} removed from ${options.namespace ?? namespace}`);
  });
  return exitWithUsageCode(template);
}

function templateBody(name: string | undefined, data: string | undefined): Template {
  return { name: required(name, 'template name (--name)'), data: required(dataArgument(data), 'template data (--data @file)') };
}
