#!/usr/bin/env bash
# What a port-forwarded pod port answers on the local control plane (kwok-simulation.yaml's
# ClusterPortForward): kwok runs this once per connection with the forwarded stream as
# stdin/stdout. Reads one HTTP request head and answers 200 with a small JSON body naming
# the request, then closes the connection. No request body is read; nothing is logged.
set -u
export LC_ALL=C
IFS=' ' read -r method target _version || exit 0
while IFS= read -r line; do
  line=${line%$'\r'}
  [[ -z "$line" ]] && break
done
# Only characters that need no JSON escaping reach the body.
method=${method//[^A-Z]/}
target=${target//[^A-Za-z0-9\/._~?&=%:+-]/}
body="{\"status\":\"ok\",\"server\":\"simulated model server\",\"method\":\"$method\",\"path\":\"$target\"}"
printf 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s\n' "$((${#body} + 1))" "$body"
