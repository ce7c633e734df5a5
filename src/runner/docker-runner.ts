// Starting `hangar runner docker`: the docker engine on DOCKER_HOST, the docker pipeline driver with
// drone-runner-docker's settings, and the shared poller and stage runner.

import fs from 'node:fs';
import pino, { type Logger } from 'pino';
import type { DockerRunnerConfig, DockerRunnerSettings } from '../config/runner.js';
import type { DockerRunnerOptions } from '../pipeline/compile/docker.js';
import { parseDockerConfig } from '../pipeline/compile/registry.js';
import { dockerClient } from './engines/docker/client.js';
import { DockerDriver } from './engines/docker/driver.js';
import { DockerEngine } from './engines/docker/engine.js';
import { type StartedRunner, startRunner } from './start.js';

export function startDockerRunner(config: DockerRunnerConfig, log: Logger = pino({ level: 'info' })): StartedRunner {
  const engine = dockerEngine(config.docker);
  const driver = new DockerDriver(engine, { name: config.name, environ: config.environ, runner: dockerRunnerOptions(config.docker) }, log);
  return startRunner(config, driver, log);
}

export function dockerEngine(settings: Pick<DockerRunnerSettings, 'engine' | 'network' | 'sandboxImage'>): DockerEngine {
  return new DockerEngine(dockerClient(settings.engine), { network: settings.network, sandboxImage: settings.sandboxImage });
}

/** The compiler's view of the runner's settings. */
export function dockerRunnerOptions(settings: DockerRunnerSettings): DockerRunnerOptions {
  return {
    volumes: settings.volumes,
    networks: settings.networks,
    networkOptions: settings.networkOptions,
    privilegedImages: settings.privilegedImages,
    cloneImage: settings.cloneImage,
    netrcCloneOnly: settings.netrcCloneOnly,
    secrets: settings.secrets,
    registries: settings.dockerConfig ? (parseDockerConfig(fs.readFileSync(settings.dockerConfig, 'utf8')) ?? []) : [],
    resources: settings.resources,
    allowPluginVolumes: process.env.DRONE_FLAG_ALLOW_DOCKER_PLUGIN_VOLUMES === 'true',
  };
}
