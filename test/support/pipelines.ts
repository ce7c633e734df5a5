// Pipelines the fault tests share.

/** One step that writes its process id to `<dir>/sleep-<build number>.pid` and sleeps ten minutes. */
export const sleepPipeline = (dir: string): string => `kind: pipeline
type: exec
name: default
clone:
  disable: true
steps:
- name: sleep
  commands:
  - echo $$$$ > ${dir}/sleep-$\{DRONE_BUILD_NUMBER}.pid
  - exec sleep 600
`;
