// The shell scripts Drone generates from a step's `commands`: each command is echoed (`+ cmd`, Go-quoted,
// `$` escaped so the trace shows the command as written) and then run, under `set -e`.

import { goQuote } from '../internal/go-format.js';

function traceLine(command: string): string {
  return `\necho + ${goQuote(command).replace(/\$/g, '\\$')}\n${command}\n`;
}

/** The exec runner's script (runner-go shell/bash), run as `/bin/sh -e <file>`. */
export function execPosixScript(commands: string[]): string {
  return '\nset -e\n' + commands.map(traceLine).join('');
}

const DOCKER_OPTIONS = `
if [ ! -z "\${DRONE_NETRC_FILE}" ]; then
\techo $DRONE_NETRC_FILE > $HOME/.netrc
\tchmod 600 $HOME/.netrc
fi

unset DRONE_SCRIPT
unset DRONE_NETRC_MACHINE
unset DRONE_NETRC_USERNAME
unset DRONE_NETRC_PASSWORD
unset DRONE_NETRC_FILE

set -e
`;

const DOCKER_TMATE = `
remote_debug() {
\tif [ "$?" -ne "0" ]; then
\t\t/usr/drone/bin/tmate -F
\tfi
}

if [ "\${DRONE_BUILD_DEBUG}" = "true" ]; then
\tif [ ! -z "\${DRONE_TMATE_HOST}" ]; then
\t\techo "set -g tmate-server-host $DRONE_TMATE_HOST" >> $HOME/.tmate.conf
\t\techo "set -g tmate-server-port $DRONE_TMATE_PORT" >> $HOME/.tmate.conf
\t\techo "set -g tmate-server-rsa-fingerprint $DRONE_TMATE_FINGERPRINT_RSA" >> $HOME/.tmate.conf
\t\techo "set -g tmate-server-ed25519-fingerprint $DRONE_TMATE_FINGERPRINT_ED25519" >> $HOME/.tmate.conf

\t\tif [ ! -z "\${DRONE_TMATE_AUTHORIZED_KEYS}" ]; then
\t\t\techo "$DRONE_TMATE_AUTHORIZED_KEYS" > $HOME/.tmate.authorized_keys
\t\t\techo "set -g tmate-authorized-keys \\"$HOME/.tmate.authorized_keys\\"" >> $HOME/.tmate.conf
\t\tfi
\tfi
\ttrap remote_debug EXIT
fi
`;

/** The docker runner's DRONE_SCRIPT (netrc file, tmate hook, then the traced commands). */
export function dockerPosixScript(commands: string[]): string {
  return '\n' + DOCKER_OPTIONS + DOCKER_TMATE + '\n' + commands.map(traceLine).join('');
}

const POWERSHELL_OPTIONS = `
if ($Env:DRONE_NETRC_MACHINE) {
@"
machine $Env:DRONE_NETRC_MACHINE
login $Env:DRONE_NETRC_USERNAME
password $Env:DRONE_NETRC_PASSWORD
"@ > (Join-Path $Env:USERPROFILE '_netrc');
}
[Environment]::SetEnvironmentVariable("DRONE_NETRC_USERNAME", $null);
[Environment]::SetEnvironmentVariable("DRONE_NETRC_PASSWORD", $null);
[Environment]::SetEnvironmentVariable("DRONE_NETRC_USERNAME", $null);
[Environment]::SetEnvironmentVariable("DRONE_NETRC_PASSWORD", $null);
[Environment]::SetEnvironmentVariable("DRONE_SCRIPT", $null);

$erroractionpreference = "stop"
`;

/** The docker runner's DRONE_SCRIPT for windows containers. */
export function dockerPowershellScript(commands: string[]): string {
  const lines = commands.map((command) => {
    const escaped = goQuote('+ ' + command).replace(/\$/g, '`$');
    return `\necho ${escaped}\n${command}\nif ($LastExitCode -gt 0) { exit $LastExitCode }\n`;
  });
  return '\n' + POWERSHELL_OPTIONS + '\n' + lines.join('');
}
