package dev.proxylitellm.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Every configuration key the proxy reads, with its default and meaning. This enum is the one
 * documented list of keys: {@code .env.example} and the README's table follow it, and
 * {@link ConfigLoader} resolves nothing that is not named here.
 */
public enum ConfigKey
{
    /** Upstream base URL, already ending in {@code /v1}; no default so credentials never go to a host nobody chose. */
    LITELLM_BASE_URL(null, false, "Upstream base URL, e.g. https://litellm.example.org/v1 (required)"),
    /** Value of the {@code app_id} query parameter added to every upstream call. */
    DS_APP_ID(null, false, "app_id query parameter added to every call (required)"),
    /** Sent verbatim as the upstream {@code Authorization} header. */
    DS_KEY(null, true, "Sent verbatim as the Authorization header (required, secret)"),
    /** Sent as {@code Bearer <key>} in the header named by {@link #LITELLM_KEY_HEADER}. */
    LITELLM_API_KEY(null, true, "Sent as 'Bearer <key>' in LITELLM_KEY_HEADER (required, secret)"),
    /** Name of the header that carries {@link #LITELLM_API_KEY}. */
    LITELLM_KEY_HEADER("X-LiteLLM-Key", false, "Header that carries LITELLM_API_KEY"),
    /** Root log level: TRACE, DEBUG, INFO, WARNING/WARN, ERROR, CRITICAL. */
    LOG_LEVEL("INFO", false, "TRACE, DEBUG, INFO, WARNING (or WARN), ERROR, CRITICAL"),
    /** Log file written besides the console; empty turns the file off. */
    LOG_FILE("proxy_litellm.log", false, "Log file besides the console; empty for console only"),
    /** Log line format on the console and in the file. */
    LOG_FORMAT("text", false, "text: human-readable lines; json: one JSON object per line, flat typed fields (logstash encoder)"),
    /** Upper bound for opening a TCP (and TLS) connection to upstream. */
    UPSTREAM_CONNECT_TIMEOUT_MS("10000", false, "Connect timeout to upstream, ms"),
    /** Longest silence tolerated from upstream; a reasoning model may think for minutes. */
    UPSTREAM_IDLE_TIMEOUT_MS("300000", false, "Longest upstream silence before 504, ms"),
    /** Connections to upstream; each streamed response holds one for its whole length, so by default the open-file limit is the bound. */
    UPSTREAM_MAX_CONNECTIONS("auto", false, "Max connections to upstream (one per concurrent stream); auto: half the process's open-file limit, at least 4096"),
    /** A {@code .env} file to read instead of {@code ./.env}. */
    DOTENV_FILE(null, false, "A .env file to read instead of ./.env"),
    /** Forward proxy for upstream calls; wins over the *_PROXY variables; {@code none} turns proxying off. */
    UPSTREAM_PROXY(null, false, "Forward proxy for upstream calls, http://[user:password@]host:port; 'none' for direct"),
    /** The usual forward proxy for https targets; used when UPSTREAM_PROXY is unset. */
    HTTPS_PROXY(null, false, "Forward proxy for an https upstream (also https_proxy)", "https_proxy"),
    /** The usual forward proxy for http targets; used when UPSTREAM_PROXY is unset. */
    HTTP_PROXY(null, false, "Forward proxy for an http upstream (also http_proxy)", "http_proxy"),
    /** Hosts reached directly despite HTTPS_PROXY/HTTP_PROXY. */
    NO_PROXY(null, false, "Hosts, domains (.corp), IPs or CIDRs reached without the proxy; * for all (also no_proxy)", "no_proxy"),
    /** Extra trust anchors for an https upstream signed by an internal CA. */
    UPSTREAM_CA_FILE(null, false, "PEM bundle of CA certificates trusted for the upstream, besides the JVM's"),
    /** Whether to speak HTTP/2 to an https upstream that offers it through ALPN. */
    UPSTREAM_HTTP2("auto", false, "auto: HTTP/2 when an https upstream offers it (ALPN), else HTTP/1.1; off: HTTP/1.1 only"),
    /** Keys clients must present; none set means no inbound access control. */
    PROXY_API_KEYS(null, true, "Comma-separated keys clients must send as 'Authorization: Bearer <key>' or X-Api-Key (secret)"),
    /** A file of sha256:<hex> digests of client keys, one per line, each with an optional client name. */
    PROXY_API_KEYS_FILE(null, false, "File of client key digests, one 'sha256:<hex> [name]' per line, # comments"),
    /** The header that tells upstream which client app made a call. */
    CLIENT_ID_HEADER("x-litellm-customer-id", false, "Header telling upstream the calling client's name (LiteLLM's end-user id); none: not sent"),
    /** Per-client limits: requests and tokens per minute, concurrent calls. */
    RATE_LIMITS(null, false, "Per-client limits, e.g. '*:rpm=600,tpm=200000;billing-bot:rpm=60,concurrent=5'; refusals get 429"),
    /** The same rules as RATE_LIMITS, in a file (one per line or ;-separated). */
    RATE_LIMITS_FILE(null, false, "File of RATE_LIMITS rules, one per line or ;-separated, # comments"),
    /** Where the RATE_LIMITS buckets live, shared by every instance; none: in each instance's memory. */
    RATE_LIMIT_REDIS_URL(null, true, "redis://[user:password@]host:port[/db] (or rediss://) holding the RATE_LIMITS counters for every instance"),
    /** The longest a call waits for Redis before the limiter counts as unavailable. */
    RATE_LIMIT_REDIS_TIMEOUT_MS("50", false, "Longest wait for Redis on a call, ms; then RATE_LIMIT_FAIL_OPEN decides"),
    /** What happens while Redis is unavailable. */
    RATE_LIMIT_FAIL_OPEN("true", false, "true: while Redis is unavailable calls go through unlimited; false: they get 503"),
    /** Client networks allowed to call the proxy. */
    ALLOWED_CLIENT_CIDRS(null, false, "Comma-separated IPv4/IPv6 CIDRs (or addresses) allowed to call; others get 403"),
    /** Largest request body accepted. */
    MAX_REQUEST_BYTES("536870912", false, "Largest request body, bytes; larger ones get 413 (default 512 MiB)"),
    /** Largest header section accepted, whatever the container would let through. */
    MAX_HEADER_BYTES("65536", false, "Largest request header section (names and values), bytes; larger ones get 431"),
    /** Longest request target (path and query) accepted, whatever the container would let through. */
    MAX_REQUEST_TARGET_BYTES("8192", false, "Longest request target (path and query), bytes; longer ones get 414"),
    /** Whether upstream learns each client's address; some organisations must not pass it on. */
    FORWARD_CLIENT_ADDRESS("true", false, "true: upstream gets Forwarded: for=<client address> and clients' X-Forwarded-* headers; false: neither"),
    /** Most requests proxied at once; 0 for no limit. */
    MAX_CONCURRENT_REQUESTS("0", false, "Most requests proxied at once, 0 for no limit; beyond it 429 with Retry-After"),
    /** Silence after which a stream gets an SSE comment, so load balancers and the proxy see a live connection. */
    SSE_KEEPALIVE_MS("15000", false, "Upstream silence in an SSE stream after which ': keep-alive' is sent (at event boundaries); 0 = off"),
    /** Silence after which a realtime WebSocket session is closed. */
    REALTIME_IDLE_TIMEOUT_MS("300000", false, "Silence on a /v1/realtime WebSocket session (either side) after which it is closed, ms"),
    /** Largest realtime message relayed. */
    REALTIME_MAX_MESSAGE_BYTES("16777216", false, "Largest /v1/realtime WebSocket message relayed either way, bytes; larger ones close the session with 1009"),
    /** Whether the proxy keeps Prometheus metrics and serves them at /metrics. */
    METRICS_ENABLED("true", false, "true: Prometheus metrics at <ctx>/metrics and token usage counted; false: neither"),
    /** Bearer token for /metrics; without it, /metrics takes the client keys, or is open when there are none. */
    METRICS_TOKEN(null, true, "Token a scraper sends as 'Authorization: Bearer <token>' for /metrics (secret); default: the client keys, or open");

    private final String defaultValue;
    private final boolean secret;
    private final String description;
    private final List<String> names;

    ConfigKey(String defaultValue, boolean secret, String description, String... aliases)
    {
        this.defaultValue = defaultValue;
        this.secret = secret;
        this.description = description;
        List<String> all = new ArrayList<>();
        all.add(name());
        all.addAll(List.of(aliases));
        this.names = List.copyOf(all);
    }

    /** The key's name, then any alias it is also read under (such as lower-case https_proxy). */
    public List<String> names()
    {
        return names;
    }

    public String defaultValue()
    {
        return defaultValue;
    }

    public boolean isSecret()
    {
        return secret;
    }

    public String description()
    {
        return description;
    }
}
