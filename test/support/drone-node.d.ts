// drone-node 2.2.0 ships no types: every method answers the server's JSON (or '' for an empty body).
declare module 'drone-node' {
  type Answer = any;
  export class Client {
    constructor(config: { url: string; token: string });
    [method: string]: (...args: unknown[]) => Promise<Answer>;
  }
  const drone: { Client: typeof Client };
  export default drone;
}
