// `hangar queue ls|pause|resume`: the stages waiting for or held by runners, and the switch that stops
// runners from getting new ones (admin; shared by every server of a cluster).

import { Command } from 'commander';
import type { Stage } from '../../core/types.js';
import { clientAction } from './action.js';
import { exitWithUsageCode } from './exit-codes.js';
import { columns, type PrintOptions, printList, withOutput } from './output.js';

const STAGE_COLUMNS = columns('ID', 'Status', 'Machine', 'OS', 'Arch', 'Variant', 'Kernel');

export function queueCommand(): Command {
  const queue = new Command('queue').description('queue operations (admin)');
  clientAction<PrintOptions>(
    withOutput(queue.command('ls').description('list the pending and running stages'), 'ID, Status, Machine, OS, Arch, Variant, Kernel, Name, BuildID'),
    async (drone, _args, options) => {
      const stages = await drone.list<Stage>('/api/queue');
      if (stages.length === 0 && !options.json) console.error('there are no pending or running builds');
      else printList(stages, options, STAGE_COLUMNS);
    },
  );
  clientAction(queue.command('pause').description('stop giving stages to runners'), async (drone) => {
    await drone.delete('/api/queue');
    console.log('queue paused');
  });
  clientAction(queue.command('resume').description('give stages to runners again'), async (drone) => {
    await drone.post<unknown>('/api/queue');
    console.log('queue resumed');
  });
  return exitWithUsageCode(queue);
}
