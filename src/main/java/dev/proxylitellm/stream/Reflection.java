package dev.proxylitellm.stream;

import java.lang.reflect.Field;

/**
 * The two reflective steps {@link BrokenResponses} takes into a container's insides: a private
 * field, and a no-argument method called through the public interface that declares it (the
 * implementing classes are often not public, so their own {@code Method} cannot be invoked).
 */
final class Reflection
{
    private Reflection()
    {
    }

    /** The value of the field {@code name} declared by {@code target}'s class or one of its superclasses. */
    static Object field(Object target, String name) throws ReflectiveOperationException
    {
        for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass())
        {
            try
            {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(target);
            }
            catch (NoSuchFieldException notHere)
            {
                // look further up
            }
        }
        throw new NoSuchFieldException(name);
    }

    /** Calls {@code method()} on {@code target} as declared by the interface {@code declaringType}, loaded where {@code target}'s class was. */
    static Object call(Object target, String declaringType, String method) throws ReflectiveOperationException
    {
        Class<?> type = Class.forName(declaringType, false, target.getClass().getClassLoader());
        return type.getMethod(method).invoke(target);
    }
}
