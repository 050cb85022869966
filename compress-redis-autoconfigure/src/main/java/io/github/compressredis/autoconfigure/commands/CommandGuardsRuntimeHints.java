package io.github.compressredis.autoconfigure.commands;

import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.data.redis.core.ReactiveHashOperations;
import org.springframework.data.redis.core.ReactiveValueOperations;
import org.springframework.util.ClassUtils;

/**
 * Runtime hints for the JDK proxies that guard the connections and reactive operations of
 * the templates compress-redis wraps: a native image can only create a proxy whose
 * interfaces were declared at build time. For each client on the classpath (Lettuce,
 * Jedis), the proxy of its standalone and cluster connection and of every command
 * interface those hand out; with Reactor, the reactive value and hash operations.
 *
 * @author compress-redis contributors
 */
class CommandGuardsRuntimeHints implements RuntimeHintsRegistrar {

	/** The connection classes of each client, Lettuce and Jedis. */
	static final List<Client> CLIENTS = List.of(
			new Client("io.lettuce.core.RedisClient",
					List.of("org.springframework.data.redis.connection.lettuce.LettuceConnection",
							"org.springframework.data.redis.connection.lettuce.LettuceClusterConnection")),
			new Client("redis.clients.jedis.Jedis",
					List.of("org.springframework.data.redis.connection.jedis.JedisConnection",
							"org.springframework.data.redis.connection.jedis.JedisClusterConnection")));

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		for (Client client : CLIENTS) {
			if (ClassUtils.isPresent(client.library(), classLoader)) {
				for (String connection : client.connections()) {
					if (ClassUtils.isPresent(connection, classLoader)) {
						registerConnection(hints, ClassUtils.resolveClassName(connection, classLoader));
					}
				}
			}
		}
		if (ClassUtils.isPresent("reactor.core.publisher.Flux", classLoader)) {
			hints.proxies().registerJdkProxy(ReactiveValueOperations.class);
			hints.proxies().registerJdkProxy(ReactiveHashOperations.class);
		}
	}

	private static void registerConnection(RuntimeHints hints, Class<?> connectionClass) {
		Class<?>[] interfaces = CommandInterceptor.proxiedInterfaces(connectionClass);
		hints.proxies().registerJdkProxy(interfaces);
		Set<Class<?>> commands = new LinkedHashSet<>();
		for (Class<?> type : interfaces) {
			for (Method method : type.getMethods()) {
				if (CommandInterceptor.handsOutCommands(method)) {
					commands.add(method.getReturnType());
				}
			}
		}
		commands.forEach((type) -> hints.proxies().registerJdkProxy(type));
	}

	/**
	 * A Redis client and the classes of the connections Spring Data Redis builds on it.
	 *
	 * @param library a class of the client library itself
	 * @param connections the connection classes
	 * @author compress-redis contributors
	 */
	record Client(String library, List<String> connections) {
	}

}
