# Sourced by bench/run, bench/ab and bench/profile: what they share.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The plain-call upstream's answer: a fixed chat.completion with usage.
ANSWER='{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"bench","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the benchmark upstream."},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":8,"total_tokens":20}}'

# write_post_lua FILE: wrk's script for the ~300-byte chat POST every plain-call load sends.
write_post_lua() {
  cat > "$1" <<'LUA'
wrk.method = "POST"
wrk.body = '{"model":"bench","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Write one sentence about proxies, please, in plain English and without any markup at all."}],"temperature":0.2,"max_tokens":64,"user":"bench-user-0001"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bench-client-key"
LUA
}

# start_answer_nginx DIR PORT: nginx answering $ANSWER to everything on PORT; config and pid in DIR.
# Stop it with: nginx -c DIR/nginx.conf -p DIR -s stop
start_answer_nginx() {
  mkdir -p "$1"
  cat > "$1/nginx.conf" <<NGINX
worker_processes auto; pid $1/nginx.pid; error_log $1/error.log warn;
events { worker_connections 10000; }
http { access_log off; keepalive_requests 1000000;
  client_body_temp_path $1; proxy_temp_path $1; fastcgi_temp_path $1; uwsgi_temp_path $1; scgi_temp_path $1;
  server { listen 127.0.0.1:$2 backlog=8192; location / { default_type application/json; return 200 '$ANSWER'; } } }
NGINX
  nginx -c "$1/nginx.conf" -p "$1"
}
