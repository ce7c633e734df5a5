// The API's JSON shapes: the server's own wire types (type-only: nothing of the server reaches the bundle).

export type { Build, Cron, Line, Repo, Secret, Stage, Step, User } from '../../../src/core/types.js';
export type { Status } from '../../../src/core/status.js';

export interface Token {
  token: string;
}
