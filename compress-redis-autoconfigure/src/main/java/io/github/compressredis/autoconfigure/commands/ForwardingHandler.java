package io.github.compressredis.autoconfigure.commands;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

/**
 * A proxy handler that forwards every call to its target unless {@link #handle} answers
 * it, with the proxy's own identity for {@code equals} and {@code hashCode}.
 *
 * @author compress-redis contributors
 */
abstract class ForwardingHandler implements InvocationHandler {

	private static final Object[] NO_ARGUMENTS = {};

	private final Object target;

	ForwardingHandler(Object target) {
		this.target = target;
	}

	@Override
	public final @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
		Object[] arguments = (args != null) ? args : NO_ARGUMENTS;
		if (method.getDeclaringClass() == Object.class) {
			return switch (method.getName()) {
				case "equals" -> proxy == arguments[0];
				case "hashCode" -> System.identityHashCode(proxy);
				default -> "Guarded " + this.target;
			};
		}
		return handle(method.getName(), method, arguments);
	}

	/**
	 * Answer a call, usually by {@link #forward forwarding} it.
	 * @param name the method name
	 * @param method the method
	 * @param args its arguments, empty for none
	 * @return the result
	 * @throws Throwable what the call throws
	 */
	abstract @Nullable Object handle(String name, Method method, Object[] args) throws Throwable;

	final @Nullable Object forward(Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(this.target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

}
