package dev.proxylitellm.containers;

import java.util.Map;

/**
 * One deployment of the WAR into a container: its context path ("" for the root) and the
 * context parameters its container-specific context file sets.
 *
 * @param contextPath "" or "/name"
 * @param parameters context parameters, as an operator would set them in the context file
 */
public record Deployment(String contextPath, Map<String, String> parameters)
{
    /** The name containers use for the context: ROOT for the root, else the path without its slash. */
    public String name()
    {
        return contextPath.isEmpty() ? "ROOT" : contextPath.substring(1);
    }
}
