// The docker engine (drone-runner-docker's engine.go, research/drone-runner.md §6.11), on any Docker
// Engine API (Docker, or podman's compatible service). Setup creates the stage's volumes and its network;
// each step is pulled as its policy says, created, attached (stdout and stderr, as they come), started,
// and read until its output ends, then inspected for its exit code (Drone tails the logs and waits; on
// podman both poll every 250 ms, which doubled the cost of a short step); a cancel kills its container at
// once (exit 137). Destroy kills and removes every container,
// volume and network of the stage, ignoring what is already gone.
//
// The stage's network is Drone's per-stage bridge (each container joins it with its step's name as alias),
// or — `shared` — one network namespace held by a small sandbox container that every step container joins:
// services answer on 127.0.0.1, and a hosts file the runner writes (mounted as every container's
// /etc/hosts: the engine refuses extra hosts in a joined namespace) maps every step name to it. No traffic
// crosses a bridge; the namespace has no other interface. The engine must see the runner's files (a local
// engine), as for host volumes.

import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { Writable } from 'node:stream';
import type Docker from 'dockerode';
import type { DockerSpec, DockerStep } from '../../../pipeline/docker-spec.js';
import type { StepResult } from '../../engine.js';
import { ignoreGone, statusOf } from './client.js';
import { containerOptions, type StageNetwork } from './convert.js';

export interface DockerEngineOptions {
  /** `bridge` (Drone's, the default) or `shared` (see above). */
  network?: 'bridge' | 'shared';
  /** The image of the shared namespace's sandbox: it needs `sleep`. */
  sandboxImage?: string;
  /** Where the shared namespaces' hosts files are written (default: the temp directory). */
  hostsDir?: string;
}

/** One message of the engine's pull stream. */
interface PullProgress {
  id?: string;
  status?: string;
  progressDetail?: { current?: number; total?: number };
}

export class DockerEngine {
  constructor(
    readonly docker: Docker,
    private readonly options: DockerEngineOptions = {},
  ) {}

  async setup(spec: DockerSpec, signal?: AbortSignal): Promise<void> {
    for (const volume of spec.volumes) {
      if (!volume.temp || volume.temp.medium === 'memory') continue;
      await this.docker.createVolume({ Name: volume.temp.id, Driver: 'local', Labels: volume.temp.labels ?? {} });
    }
    if (this.options.network === 'shared') await this.startSandbox(spec);
    else await this.docker.createNetwork({ Name: spec.network.id, Driver: 'bridge', Labels: spec.network.labels, Options: spec.network.options ?? {} });
    for (const step of spec.internal ?? []) {
      const result = await this.run(spec, step, () => undefined, AbortSignal.any([AbortSignal.timeout(60_000), ...(signal ? [signal] : [])]));
      if (result.exitCode !== 0) throw new Error(`internal step ${step.image} exited with ${result.exitCode}`);
    }
  }

  async run(spec: DockerSpec, step: DockerStep, output: (text: string) => void, signal: AbortSignal): Promise<StepResult> {
    if (signal.aborted) return { exitCode: 137, killed: true };
    if (step.pull === 'always' || (step.pull === 'default' && step.image.endsWith(':latest'))) await this.pull(step, output);
    const container = await this.create(containerOptions(spec, step, this.stageNetwork(spec)), step, output);
    if (this.options.network !== 'shared' && !step.network) {
      for (const name of step.networks ?? []) await this.docker.getNetwork(name).connect({ Container: container.id, EndpointConfig: { Aliases: [name] } });
    }
    let killed = false;
    const kill = () => {
      killed = true;
      container.kill({ signal: 'SIGKILL' }).catch(() => undefined);
    };
    signal.addEventListener('abort', kill, { once: true });
    try {
      if (signal.aborted) return { exitCode: 137, killed: true };
      // Attached before the start, so no output is missed; the stream ends when the container exits.
      const stream = (await container.attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
      const tail = this.demux(stream, output);
      await container.start();
      // A cancel during the start found nothing running to kill yet.
      if (killed) kill();
      await tail;
      const state = await exitedState(container);
      return { exitCode: killed ? 137 : state.ExitCode, killed, ...(state.OOMKilled ? { oomKilled: true } : {}) };
    } finally {
      signal.removeEventListener('abort', kill);
    }
  }

  async destroy(spec: DockerSpec): Promise<void> {
    const containers = [...spec.steps, ...(spec.internal ?? [])].map((step) => step.id);
    await Promise.all(containers.map((id) => this.removeContainer(id).catch(() => undefined)));
    // The sandbox last: the engine refuses to remove a namespace other containers still use.
    if (this.options.network === 'shared') await this.removeSandbox(spec.network.id).catch(() => undefined);
    const volumes = spec.volumes.flatMap((v) => (v.temp && v.temp.medium !== 'memory' ? [v.temp.id] : []));
    await Promise.all(volumes.map((id) => ignoreGone(this.docker.getVolume(id).remove()).catch(() => undefined)));
    if (this.options.network !== 'shared') await ignoreGone(this.docker.getNetwork(spec.network.id).remove()).catch(() => undefined);
  }

  /** A shared namespace's sandbox container (named by the stage's network id) and its hosts file. */
  async removeSandbox(networkId: string): Promise<void> {
    await this.removeContainer(networkId);
    await rm(this.hostsFile(networkId), { force: true });
  }

  /**
   * SIGKILL first: a forced remove waits for the stop timeout when PID 1 ignores SIGTERM. The kill fails
   * for a container that is not running (podman answers 500, Docker 409): nothing to do then.
   */
  async removeContainer(id: string): Promise<void> {
    const container = this.docker.getContainer(id);
    await container.kill({ signal: 'SIGKILL' }).catch(() => undefined);
    await ignoreGone(container.remove({ force: true, v: true }));
  }

  private stageNetwork(spec: DockerSpec): StageNetwork {
    return this.options.network === 'shared'
      ? { kind: 'shared', container: spec.network.id, hostsFile: this.hostsFile(spec.network.id) }
      : { kind: 'bridge', id: spec.network.id };
  }

  private hostsFile(networkId: string): string {
    return path.join(this.options.hostsDir ?? os.tmpdir(), `${networkId}.hosts`);
  }

  /** Creates the container; an image not found is pulled once, unless the policy is `never`. */
  private async create(options: Docker.ContainerCreateOptions, step: Pick<DockerStep, 'image' | 'pull' | 'auth'>, output?: (text: string) => void): Promise<Docker.Container> {
    try {
      return await this.docker.createContainer(options);
    } catch (err) {
      if (statusOf(err) !== 404 || step.pull === 'never') throw err;
      await this.pull(step, output);
      return this.docker.createContainer(options);
    }
  }

  /** Pulls the image; its progress messages (not the progress bars) go to the step's log, as Drone's do. */
  private async pull(step: Pick<DockerStep, 'image' | 'auth'>, output?: (text: string) => void): Promise<void> {
    const authconfig = step.auth ? { username: step.auth.username, password: step.auth.password, serveraddress: step.auth.address } : undefined;
    const stream = (await this.docker.pull(step.image, authconfig ? { authconfig } : {})) as NodeJS.ReadableStream;
    const onProgress = (event: PullProgress) => {
      if (output && event.status && !event.progressDetail?.current) output(`${event.id ? `${event.id}: ` : ''}${event.status}\n`);
    };
    await new Promise<void>((resolve, reject) => this.docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()), onProgress));
  }

  /** The container's stdout and stderr, demultiplexed, until the stream ends. */
  private async demux(stream: NodeJS.ReadableStream, output: (text: string) => void): Promise<void> {
    const decoder = new StringDecoder('utf8');
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        const text = decoder.write(chunk);
        if (text) output(text);
        done();
      },
    });
    this.docker.modem.demuxStream(stream, sink, sink);
    await new Promise<void>((resolve) => {
      stream.once('end', resolve);
      stream.once('close', resolve);
      stream.once('error', () => resolve());
    });
    const rest = decoder.end();
    if (rest) output(rest);
  }

  /** The shared namespace: a sandbox container with only loopback, and the hosts file naming every step. */
  private async startSandbox(spec: DockerSpec): Promise<void> {
    const names = spec.steps.map((step) => step.name).filter((name) => /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(name));
    await writeFile(this.hostsFile(spec.network.id), `127.0.0.1\tlocalhost ${names.join(' ')}\n::1\tlocalhost\n`, { mode: 0o644 });
    const image = this.options.sandboxImage ?? 'docker.io/library/busybox:latest';
    const sandbox = await this.create(
      { name: spec.network.id, Image: image, Cmd: ['sleep', '2147483647'], Labels: spec.network.labels, HostConfig: { NetworkMode: 'none' } },
      { image, pull: 'if-not-exists' },
    );
    await sandbox.start();
  }
}

/**
 * The state of a container whose output stream ended. The engine records the exit within milliseconds of
 * the stream's end, so it is asked a few times before `wait` (which podman answers only on its next 250 ms
 * poll).
 */
async function exitedState(container: Docker.Container): Promise<Docker.ContainerInspectInfo['State']> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const state = (await container.inspect()).State;
    if (!state.Running) return state;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await container.wait();
  return (await container.inspect()).State;
}
