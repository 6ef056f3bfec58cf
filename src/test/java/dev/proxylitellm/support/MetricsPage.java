package dev.proxylitellm.support;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus text-format page, parsed into samples keyed by name and labels in name order,
 * such as {@code proxy_litellm_tokens_total{client="-",model="m",type="total"}}.
 */
public final class MetricsPage
{
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)( \\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String text;
    private final Map<String, Double> samples = new HashMap<>();

    public MetricsPage(String text)
    {
        this.text = text;
        for (String line : text.split("\n"))
        {
            if (line.isBlank() || line.startsWith("#"))
                continue;
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches())
                throw new IllegalArgumentException("not a sample line: " + line);
            samples.put(key(sample.group(1), sample.group(3)), Double.parseDouble(sample.group(4)));
        }
    }

    private static String key(String name, String labels)
    {
        if (labels == null || labels.isEmpty())
            return name;
        Map<String, String> sorted = new TreeMap<>();
        Matcher label = LABEL.matcher(labels);
        while (label.find())
            sorted.put(label.group(1), label.group(2));
        StringBuilder key = new StringBuilder(name).append('{');
        sorted.forEach((k, v) -> key.append(k).append("=\"").append(v).append("\","));
        key.setLength(key.length() - 1);
        return key.append('}').toString();
    }

    /** The value of the sample, or null when the page has none; labels as {@code name, value} pairs in any order. */
    public Double value(String name, String... labels)
    {
        StringBuilder given = new StringBuilder();
        for (int i = 0; i < labels.length; i += 2)
            given.append(labels[i]).append("=\"").append(labels[i + 1]).append("\",");
        return samples.get(key(name, given.toString()));
    }

    /** The sum of every sample of {@code name}, whatever its labels; 0 when there is none. */
    public double sum(String name)
    {
        return samples.entrySet().stream().filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
            .mapToDouble(Map.Entry::getValue).sum();
    }

    public boolean has(String name)
    {
        return samples.keySet().stream().anyMatch(key -> key.equals(name) || key.startsWith(name + "{"));
    }

    public String text()
    {
        return text;
    }
}
