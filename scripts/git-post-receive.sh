#!/bin/sh
# A git post-receive hook that sends Hangar a GitHub-style push webhook for every branch or tag pushed to
# this repository, signed with the repository's secret (X-Hub-Signature-256). Install it with
#
#   npx hangar repo hook octocat/hello /srv/git/hello.git
#
# which copies this file to hooks/post-receive and sets hangar.url, hangar.secret and hangar.repo in the
# repository's git config (the URL and secret come from GET /api/repos/{owner}/{name}/hook).
# Needs curl and openssl. git runs it with one line per updated ref on stdin: <old sha> <new sha> <ref>.
url=$(git config hangar.url)
secret=$(git config hangar.secret)
repo=$(git config hangar.repo)
if [ -z "$url" ] || [ -z "$secret" ] || [ -z "$repo" ]; then
  echo "hangar: run 'hangar repo hook <owner/name> <this repository>' to build on push" >&2
  exit 0
fi

# JSON string content: backslashes, quotes, tabs and newlines escaped.
json_escape() {
  printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/	/\\t/g' | awk 'NR > 1 { printf "\\n" } { printf "%s", $0 }'
}

body=$(mktemp)
trap 'rm -f "$body"' EXIT
while read -r old new ref; do
  case "$ref" in refs/heads/* | refs/tags/*) ;; *) continue ;; esac
  deleted=false
  [ "$new" = 0000000000000000000000000000000000000000 ] && deleted=true
  message="" name="" email=""
  if [ "$deleted" = false ]; then
    message=$(git log -1 --format=%B "$new")
    name=$(git log -1 --format=%an "$new")
    email=$(git log -1 --format=%ae "$new")
  fi
  login=${email%%@*}
  printf '{"ref":"%s","before":"%s","after":"%s","deleted":%s,"repository":{"full_name":"%s"},"head_commit":{"id":"%s","message":"%s","author":{"name":"%s","email":"%s","username":"%s"}},"sender":{"login":"%s"}}' \
    "$ref" "$old" "$new" "$deleted" "$repo" "$new" "$(json_escape "$message")" "$(json_escape "$name")" "$(json_escape "$email")" "$(json_escape "$login")" "$(json_escape "$login")" >"$body"
  signature=$(openssl dgst -sha256 -hmac "$secret" -r "$body" | cut -d' ' -f1)
  # One delivery id per ref update: a retried delivery builds once.
  delivery=$(printf '%s %s %s %s' "$repo" "$old" "$new" "$ref" | git hash-object --stdin)
  if curl -fsS -X POST "$url" -H 'Content-Type: application/json' -H 'X-GitHub-Event: push' \
    -H "X-GitHub-Delivery: $delivery" -H "X-Hub-Signature-256: sha256=$signature" --data-binary @"$body" >/dev/null; then
    echo "hangar: build of ${ref#refs/*/} ($new) requested"
  else
    echo "hangar: could not request a build of ${ref#refs/*/}" >&2
  fi
done
