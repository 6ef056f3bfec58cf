package dev.proxylitellm.config;

import dev.proxylitellm.limits.RateLimits;
import dev.proxylitellm.limits.RedisSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Resolves every {@link ConfigKey} from a list of {@link ConfigSource}s, highest precedence
 * first, and validates the result into a {@link ProxyConfig}. All problems are collected, so one
 * failed start names every key that needs attention.
 */
public final class ConfigLoader
{
    private static final Pattern HEADER_TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Map<String, String> LOG_LEVELS = Map.of(
        "TRACE", "TRACE",
        "DEBUG", "DEBUG",
        "INFO", "INFO",
        "WARNING", "WARN",
        "WARN", "WARN",
        "ERROR", "ERROR",
        "CRITICAL", "ERROR");
    /** Real keys are far longer; below this, redacting a key would blank ordinary text. */
    private static final int SHORT_SECRET = 8;

    private final List<ConfigSource> sources;
    private final List<String> warnings = new ArrayList<>();

    public ConfigLoader(List<ConfigSource> sources)
    {
        this.sources = List.copyOf(sources);
    }

    /**
     * The standard precedence: JVM system properties, environment variables, the {@code .env}
     * file ({@code DOTENV_FILE}, else {@code ./.env}), then the servlet context's parameters.
     */
    public static List<ConfigSource> standardSources(ConfigSource contextParameters)
    {
        List<ConfigSource> above = List.of(ConfigSource.systemProperties(), ConfigSource.environment());
        List<ConfigSource> all = new ArrayList<>(above);
        all.add(dotenv(new ConfigLoader(append(above, contextParameters))));
        all.add(contextParameters);
        return all;
    }

    /** The standard precedence where there are no servlet context parameters (the local runner). */
    public static List<ConfigSource> standardSources()
    {
        List<ConfigSource> all = new ArrayList<>(List.of(ConfigSource.systemProperties(), ConfigSource.environment()));
        all.add(dotenv(new ConfigLoader(all)));
        return all;
    }

    private static ConfigSource dotenv(ConfigLoader above)
    {
        return above.value(ConfigKey.DOTENV_FILE)
            .map(file -> DotenvSource.read(Path.of(file), true))
            .orElseGet(() -> DotenvSource.read(Path.of(".env"), false));
    }

    private static List<ConfigSource> append(List<ConfigSource> sources, ConfigSource last)
    {
        List<ConfigSource> all = new ArrayList<>(sources);
        all.add(last);
        return all;
    }

    /**
     * What {@link #load} found questionable but not fatal, one sentence each, never naming a
     * value: a base URL whose path does not end in {@code /v1}, settings that look like a
     * misspelt key.
     */
    public List<String> warnings()
    {
        return List.copyOf(warnings);
    }

    /** The value of {@code key} from the first source that has a non-blank one, else its default. */
    public Optional<String> value(ConfigKey key)
    {
        for (ConfigSource source : sources)
        {
            for (String name : key.names())
            {
                Optional<String> value = source.get(name).map(String::trim).filter(v -> !v.isEmpty());
                if (value.isPresent())
                    return value;
            }
        }
        return Optional.ofNullable(key.defaultValue());
    }

    /**
     * Every log line has each occurrence of a key blanked out: a key of a few characters (a test
     * value such as "k") would blank those letters in ordinary words too.
     */
    private void warnIfShort(ConfigKey key, String secret)
    {
        if (secret != null && !secret.isBlank() && secret.length() < SHORT_SECRET)
            warnings.add(key + " is only " + secret.length() + " characters long: log lines have every occurrence of it replaced by "
                + "[REDACTED], ordinary words included");
    }

    public ProxyConfig load()
    {
        warnings.clear();
        // Found first: a misspelt required key is the likeliest reason the load then fails.
        warnings.addAll(MisspeltKeys.find(sources));
        List<String> problems = new ArrayList<>();
        URI baseUrl = baseUrl(problems);
        String appId = required(ConfigKey.DS_APP_ID, problems);
        String dsKey = required(ConfigKey.DS_KEY, problems);
        String liteLlmApiKey = required(ConfigKey.LITELLM_API_KEY, problems);
        String keyHeader = value(ConfigKey.LITELLM_KEY_HEADER).orElseThrow();
        if (!HEADER_TOKEN.matcher(keyHeader).matches())
            problems.add(ConfigKey.LITELLM_KEY_HEADER + " is not a valid header name");
        String clientIdHeader = value(ConfigKey.CLIENT_ID_HEADER).orElseThrow();
        if (clientIdHeader.equalsIgnoreCase("none"))
            clientIdHeader = null;
        else if (!HEADER_TOKEN.matcher(clientIdHeader).matches())
            problems.add(ConfigKey.CLIENT_ID_HEADER + " is not a valid header name (or none)");
        RateLimits rateLimits = rateLimits(problems);
        String logLevel = LOG_LEVELS.get(value(ConfigKey.LOG_LEVEL).orElseThrow().toUpperCase(Locale.ROOT));
        if (logLevel == null)
            problems.add(ConfigKey.LOG_LEVEL + " must be one of DEBUG, INFO, WARNING, WARN, ERROR, CRITICAL, TRACE");
        String logFile = logFile();
        long connectTimeout = positive(ConfigKey.UPSTREAM_CONNECT_TIMEOUT_MS, problems);
        long idleTimeout = positive(ConfigKey.UPSTREAM_IDLE_TIMEOUT_MS, problems);
        long maxConnections = value(ConfigKey.UPSTREAM_MAX_CONNECTIONS).orElseThrow().equalsIgnoreCase("auto")
            ? OpenFiles.upstreamConnections(OpenFiles.limit()) : positive(ConfigKey.UPSTREAM_MAX_CONNECTIONS, problems);
        if (maxConnections > Integer.MAX_VALUE)
            problems.add(ConfigKey.UPSTREAM_MAX_CONNECTIONS + " is too large");
        warnIfShort(ConfigKey.DS_KEY, dsKey);
        warnIfShort(ConfigKey.LITELLM_API_KEY, liteLlmApiKey);
        if (dsKey != null && !headerValueIsSafe(dsKey))
            problems.add(ConfigKey.DS_KEY + " contains control characters");
        if (liteLlmApiKey != null && !headerValueIsSafe(liteLlmApiKey))
            problems.add(ConfigKey.LITELLM_API_KEY + " contains control characters");
        String http2 = value(ConfigKey.UPSTREAM_HTTP2).orElseThrow().toLowerCase(Locale.ROOT);
        if (!http2.equals("auto") && !http2.equals("off"))
            problems.add(ConfigKey.UPSTREAM_HTTP2 + " must be auto or off");
        ClientKeys clientKeys = clientKeys(problems);
        List<Cidr> allowedClients = allowedClients(problems);
        long maxRequestBytes = positive(ConfigKey.MAX_REQUEST_BYTES, problems);
        long maxHeaderBytes = positive(ConfigKey.MAX_HEADER_BYTES, problems);
        long maxTargetBytes = positive(ConfigKey.MAX_REQUEST_TARGET_BYTES, problems);
        long maxConcurrent = nonNegative(ConfigKey.MAX_CONCURRENT_REQUESTS, problems);
        long sseKeepAlive = nonNegative(ConfigKey.SSE_KEEPALIVE_MS, problems);
        String logFormat = value(ConfigKey.LOG_FORMAT).orElseThrow().toLowerCase(Locale.ROOT);
        if (!logFormat.equals("text") && !logFormat.equals("json"))
            problems.add(ConfigKey.LOG_FORMAT + " must be text or json");
        boolean metrics = trueOrFalse(ConfigKey.METRICS_ENABLED, problems);
        String metricsToken = value(ConfigKey.METRICS_TOKEN).orElse(null);
        long realtimeIdle = positive(ConfigKey.REALTIME_IDLE_TIMEOUT_MS, problems);
        long realtimeMax = positive(ConfigKey.REALTIME_MAX_MESSAGE_BYTES, problems);
        if (realtimeMax > Integer.MAX_VALUE - 8)
            problems.add(ConfigKey.REALTIME_MAX_MESSAGE_BYTES + " is too large");
        boolean forwardClientAddress = trueOrFalse(ConfigKey.FORWARD_CLIENT_ADDRESS, problems);
        URI upstreamProxy = baseUrl == null ? null : upstreamProxy(baseUrl, problems);
        List<X509Certificate> trustAnchors = trustAnchors(problems);
        RedisSettings rateLimitRedis = rateLimitRedis(trustAnchors, problems);
        if (!problems.isEmpty())
            throw new ConfigException(problems, sources.stream().map(ConfigSource::name).toList());
        if (!baseUrl.getRawPath().replaceAll("/+$", "").endsWith("/v1"))
            warnings.add(ConfigKey.LITELLM_BASE_URL + "'s path does not end in /v1: clients' /v1/models goes to <base>/models. "
                + "OpenAI-compatible APIs (LiteLLM included) expect the base URL to end in /v1.");

        return new ProxyConfig(baseUrl, appId, dsKey, liteLlmApiKey, keyHeader, logLevel, logFile,
            connectTimeout, idleTimeout, (int)maxConnections, upstreamProxy, trustAnchors, http2.equals("auto"),
            clientKeys, allowedClients, maxRequestBytes, (int)Math.min(maxConcurrent, Integer.MAX_VALUE), sseKeepAlive,
            logFormat.equals("json"), metrics, metricsToken, realtimeIdle, (int)Math.min(realtimeMax, Integer.MAX_VALUE - 8),
            forwardClientAddress, (int)Math.min(maxHeaderBytes, Integer.MAX_VALUE),
            (int)Math.min(maxTargetBytes, Integer.MAX_VALUE), clientIdHeader, rateLimits, rateLimitRedis);
    }

    private RedisSettings rateLimitRedis(List<X509Certificate> trustAnchors, List<String> problems)
    {
        long timeout = positive(ConfigKey.RATE_LIMIT_REDIS_TIMEOUT_MS, problems);
        boolean failOpen = trueOrFalse(ConfigKey.RATE_LIMIT_FAIL_OPEN, problems);
        Optional<String> url = value(ConfigKey.RATE_LIMIT_REDIS_URL);
        if (url.isEmpty())
            return RedisSettings.NONE;
        try
        {
            URI redis = new URI(url.get());
            if (!("redis".equals(redis.getScheme()) || "rediss".equals(redis.getScheme())) || redis.getHost() == null)
                throw new URISyntaxException(url.get(), "not a Redis URL");
            return new RedisSettings(redis, java.time.Duration.ofMillis(timeout), failOpen, trustAnchors);
        }
        catch (URISyntaxException x)
        {
            // The URL may hold a password: never repeat it.
            problems.add(ConfigKey.RATE_LIMIT_REDIS_URL + " is not redis://[user:password@]host:port[/db] or rediss://...");
            return RedisSettings.NONE;
        }
    }

    /** RATE_LIMITS, or the same rules from RATE_LIMITS_FILE; not both. */
    private RateLimits rateLimits(List<String> problems)
    {
        Optional<String> inline = value(ConfigKey.RATE_LIMITS);
        Optional<String> file = value(ConfigKey.RATE_LIMITS_FILE);
        if (inline.isPresent() && file.isPresent())
        {
            problems.add(ConfigKey.RATE_LIMITS + " and " + ConfigKey.RATE_LIMITS_FILE + " are both set: use one");
            return RateLimits.NONE;
        }
        if (inline.isPresent())
            return RateLimits.parse(inline.get(), ConfigKey.RATE_LIMITS.name(), problems);
        if (file.isEmpty())
            return RateLimits.NONE;
        try
        {
            return RateLimits.parse(Files.readString(Path.of(file.get())), ConfigKey.RATE_LIMITS_FILE.name(), problems);
        }
        catch (IOException | java.nio.file.InvalidPathException x)
        {
            problems.add(ConfigKey.RATE_LIMITS_FILE + " cannot be read");
            return RateLimits.NONE;
        }
    }

    /** Decided once: the upstream is a single base URL, so every call takes the same route. */
    private URI upstreamProxy(URI baseUrl, List<String> problems)
    {
        Optional<String> explicit = value(ConfigKey.UPSTREAM_PROXY);
        ConfigKey key = explicit.isPresent() ? ConfigKey.UPSTREAM_PROXY
            : baseUrl.getScheme().equalsIgnoreCase("https") ? ConfigKey.HTTPS_PROXY : ConfigKey.HTTP_PROXY;
        Optional<String> raw = explicit.isPresent() ? explicit : value(key);
        if (raw.isEmpty() || raw.get().equalsIgnoreCase("none"))
            return null;
        if (explicit.isEmpty() && NoProxy.parse(value(ConfigKey.NO_PROXY).orElse("")).matches(baseUrl))
            return null;
        try
        {
            String text = raw.get().contains("://") ? raw.get() : "http://" + raw.get();
            URI proxy = new URI(text);
            String scheme = proxy.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && proxy.getHost() != null && proxy.getPort() > 0)
                return proxy;
        }
        catch (URISyntaxException ignored)
        {
            // Reported below, without echoing the value (it may hold a password).
        }
        problems.add(key.names().get(0) + " must be http://[user:password@]host:port");
        return null;
    }

    private List<X509Certificate> trustAnchors(List<String> problems)
    {
        Optional<String> file = value(ConfigKey.UPSTREAM_CA_FILE);
        if (file.isEmpty())
            return List.of();
        try (InputStream in = Files.newInputStream(Path.of(file.get())))
        {
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in))
                certificates.add((X509Certificate)certificate);
            if (!certificates.isEmpty())
                return List.copyOf(certificates);
        }
        catch (IOException | CertificateException | ClassCastException | java.nio.file.InvalidPathException x)
        {
            // Reported below.
        }
        problems.add(ConfigKey.UPSTREAM_CA_FILE + " must name a readable PEM file of CA certificates");
        return List.of();
    }

    private ClientKeys clientKeys(List<String> problems)
    {
        List<ClientKeys.Entry> fixed = new ArrayList<>();
        for (String key : value(ConfigKey.PROXY_API_KEYS).orElse("").split(","))
        {
            if (!key.isBlank())
                fixed.add(new ClientKeys.Entry(ClientKeys.sha256(key.trim()), null));
        }
        Optional<String> file = value(ConfigKey.PROXY_API_KEYS_FILE);
        if (file.isEmpty())
            return fixed.isEmpty() ? ClientKeys.NONE : new ClientKeys(fixed);
        try
        {
            List<ClientKeys.Entry> fromFile = new ArrayList<>();
            KeyFile watched = KeyFile.read(Path.of(file.get()), fromFile, problems);
            return new ClientKeys(fixed, fromFile, watched);
        }
        catch (IOException | java.nio.file.InvalidPathException x)
        {
            problems.add(ConfigKey.PROXY_API_KEYS_FILE + " cannot be read");
            return ClientKeys.NONE;
        }
    }

    /** Lines {@code sha256:<64 hex> [name]}; problems name the line, never its digest. */
    static List<ClientKeys.Entry> keyFileEntries(List<String> lines, List<String> problems)
    {
        List<ClientKeys.Entry> entries = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        int lineNumber = 0;
        for (String line : lines)
        {
            lineNumber++;
            String entry = line.strip();
            if (entry.isEmpty() || entry.startsWith("#"))
                continue;
            String[] parts = entry.split("\\s+");
            String where = ConfigKey.PROXY_API_KEYS_FILE + " line " + lineNumber;
            if (parts.length > 2 || !parts[0].matches("sha256:[0-9a-fA-F]{64}"))
            {
                problems.add(where + " is not sha256:<64 hex digits> [name] (plain keys are not allowed there)");
                continue;
            }
            String name = parts.length == 2 ? parts[1] : null;
            if (name != null && !ClientKeys.NAME.matcher(name).matches())
            {
                problems.add(where + ": a client name is 1 to 64 of A-Z a-z 0-9 . _ -");
                continue;
            }
            if (name != null && !names.add(name))
            {
                problems.add(where + ": the client name '" + name + "' is already taken");
                continue;
            }
            entries.add(new ClientKeys.Entry(HexFormat.of().parseHex(parts[0].substring(7)), name));
        }
        return entries;
    }

    private List<Cidr> allowedClients(List<String> problems)
    {
        List<Cidr> ranges = new ArrayList<>();
        for (String entry : value(ConfigKey.ALLOWED_CLIENT_CIDRS).orElse("").split(","))
        {
            if (entry.isBlank())
                continue;
            try
            {
                ranges.add(Cidr.parse(entry));
            }
            catch (IllegalArgumentException x)
            {
                problems.add(ConfigKey.ALLOWED_CLIENT_CIDRS + " has an entry that is not an IP address or CIDR: " + entry.strip());
            }
        }
        return List.copyOf(ranges);
    }

    private String logFile()
    {
        // An explicitly empty LOG_FILE turns the file off; value() would read it as "unset".
        for (ConfigSource source : sources)
        {
            Optional<String> raw = source.get(ConfigKey.LOG_FILE.name());
            if (raw.isPresent())
                return raw.get().trim();
        }
        return ConfigKey.LOG_FILE.defaultValue();
    }

    private String required(ConfigKey key, List<String> problems)
    {
        Optional<String> value = value(key);
        if (value.isEmpty())
            problems.add(key + " is missing");
        return value.orElse(null);
    }

    private URI baseUrl(List<String> problems)
    {
        String raw = required(ConfigKey.LITELLM_BASE_URL, problems);
        if (raw == null)
            return null;
        String invalid = ConfigKey.LITELLM_BASE_URL + " must be an absolute http:// or https:// URL with a host and no query";
        try
        {
            URI uri = new URI(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean valid = (scheme.equals("http") || scheme.equals("https"))
                && uri.getHost() != null
                && uri.getRawQuery() == null
                && uri.getRawFragment() == null
                && uri.getRawUserInfo() == null;
            if (!valid)
            {
                problems.add(invalid);
                return null;
            }
            return uri;
        }
        catch (URISyntaxException x)
        {
            problems.add(invalid);
            return null;
        }
    }

    private boolean trueOrFalse(ConfigKey key, List<String> problems)
    {
        String value = value(key).orElseThrow().toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false"))
            problems.add(key + " must be true or false");
        return value.equals("true");
    }

    private long positive(ConfigKey key, List<String> problems)
    {
        return wholeNumber(key, 1, "a positive whole number", problems);
    }

    private long nonNegative(ConfigKey key, List<String> problems)
    {
        return wholeNumber(key, 0, "a whole number, 0 or more", problems);
    }

    private long wholeNumber(ConfigKey key, long minimum, String expected, List<String> problems)
    {
        try
        {
            long value = Long.parseLong(value(key).orElseThrow());
            if (value >= minimum)
                return value;
        }
        catch (NumberFormatException ignored)
        {
            // Reported below, without echoing the value.
        }
        problems.add(key + " must be " + expected);
        return 0;
    }

    private static boolean headerValueIsSafe(String value)
    {
        return value.chars().allMatch(c -> c >= 0x20 && c != 0x7f);
    }
}
