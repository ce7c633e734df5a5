// The pipelines the docker tests run: busybox images built locally (scripts/podman-start.sh), no clone.

/** A service a step fetches by name, two steps sharing the workspace, an ignored failure, an on-failure
 * step (skipped: the failure was ignored), and an exit code 78 that ends the pipeline successfully. */
export const SERVICE_PIPELINE = `kind: pipeline
type: docker
name: default
clone:
  disable: true
services:
- name: web
  image: busybox:1.36
  commands:
  - mkdir -p /srv && echo "hello from the service" > /srv/index.html
  - httpd -f -p 8080 -h /srv
steps:
- name: write
  image: busybox:1.36
  commands:
  - echo "shared through the workspace" > note.txt
  - echo "wrote note.txt in $DRONE_WORKSPACE"
  - echo "step $DRONE_STEP_NAME ($DRONE_STEP_NUMBER) of build $DRONE_BUILD_NUMBER on $DRONE_BRANCH"
- name: read
  image: busybox:1.36
  commands:
  - cat note.txt
  - for i in $(seq 1 100); do wget -qO- http://web:8080/index.html && exit 0; sleep 0.1; done; exit 1
- name: flaky
  image: busybox:1.36
  failure: ignore
  commands:
  - echo "failing, and that is fine" >&2
  - exit 3
- name: notify
  image: busybox:1.36
  when:
    status: [failure]
  commands:
  - echo "the build failed"
- name: stop-early
  image: busybox:1.36
  commands:
  - echo "nothing more to do"
  - exit 78
- name: after
  image: busybox:1.36
  commands:
  - echo "never printed"
`;

/** A step that fails, and a step that runs only then. */
export const FAILING_PIPELINE = `kind: pipeline
type: docker
name: default
clone:
  disable: true
steps:
- name: broken
  image: busybox:1.36
  commands:
  - echo "about to fail"
  - exit 2
- name: on-failure
  image: busybox:1.36
  when:
    status: [failure]
  commands:
  - echo "cleaning up after the failure"
`;

export const SLEEPING_PIPELINE = `kind: pipeline
type: docker
name: default
clone:
  disable: true
steps:
- name: sleep
  image: busybox:1.36
  commands:
  - echo "going to sleep"
  - sleep 600
`;

/** The statuses and exit codes Drone's runner reports for SERVICE_PIPELINE. */
export const SERVICE_PIPELINE_STEPS = {
  web: { status: 'success', exit_code: 0 },
  write: { status: 'success', exit_code: 0 },
  read: { status: 'success', exit_code: 0 },
  flaky: { status: 'failure', exit_code: 3 },
  notify: { status: 'skipped', exit_code: 0 },
  'stop-early': { status: 'success', exit_code: 78 },
  after: { status: 'skipped', exit_code: 0 },
};

/** The clone step (the runner's clone script in DRONE_RUNNER_CLONE_IMAGE), then a step reading the checkout. */
export const CLONING_PIPELINE = `kind: pipeline
type: docker
name: default
steps:
- name: show
  image: busybox:1.36
  commands:
  - cat greeting.txt
`;

/** A secret in a step's environment, and an image that is not there with `pull: never`. */
export const SECRET_PIPELINE = `kind: pipeline
type: docker
name: default
clone:
  disable: true
steps:
- name: secret
  image: busybox:1.36
  environment:
    PASSWORD:
      from_secret: password
  commands:
  - echo "the password is $PASSWORD"
`;

export const MISSING_IMAGE_PIPELINE = `kind: pipeline
type: docker
name: default
clone:
  disable: true
steps:
- name: missing
  image: hangar-test/not-there:1
  pull: never
  commands:
  - echo "never runs"
`;

/** A temp volume two steps mount. */
export const VOLUME_PIPELINE = `kind: pipeline
type: docker
name: default
clone:
  disable: true
volumes:
- name: cache
  temp: {}
steps:
- name: fill
  image: busybox:1.36
  volumes:
  - name: cache
    path: /cache
  commands:
  - echo "kept in the volume" > /cache/item
- name: use
  image: busybox:1.36
  volumes:
  - name: cache
    path: /cache
  commands:
  - cat /cache/item
`;
