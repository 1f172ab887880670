# Sourced by the scripts and benchmarks that need a registry of their own: starts the CNCF
# distribution registry (docker-registry) on a free loopback port, and stops it again.

local_registry_pid=

start_local_registry() { # start_local_registry DATA_DIR LOG_FILE: serves DATA_DIR; sets registry_host (127.0.0.1:PORT)
  local data=$1 log=$2 port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  registry_host=127.0.0.1:$port
  mkdir -p "$data"
  cat > "$data.yml" <<YML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage:
  filesystem: {rootdirectory: $data}
  delete: {enabled: true}
  maintenance: {uploadpurging: {enabled: false}}
http: {addr: $registry_host, secret: local-only}
YML
  docker-registry serve "$data.yml" > "$log" 2>&1 &
  local_registry_pid=$!
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    kill -0 "$local_registry_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "docker-registry did not start; its log is $log" >&2
  return 1
}

stop_local_registry() { # stops the registry start_local_registry started, if it runs
  if [ -n "$local_registry_pid" ]; then
    kill "$local_registry_pid" 2>/dev/null || true
    wait "$local_registry_pid" 2>/dev/null || true
    local_registry_pid=
  fi
}
