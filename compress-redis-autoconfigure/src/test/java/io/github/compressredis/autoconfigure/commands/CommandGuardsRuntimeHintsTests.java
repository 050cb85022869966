package io.github.compressredis.autoconfigure.commands;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import io.github.compressredis.embedded.RedisServerProcess;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.jedis.JedisClusterConnection;
import org.springframework.data.redis.connection.lettuce.LettuceClusterConnection;
import org.springframework.data.redis.core.ReactiveHashOperations;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.ReactiveValueOperations;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CommandGuardsRuntimeHints}: the proxies the hints declare are the ones
 * the guards create on real connections.
 *
 * @author compress-redis contributors
 */
class CommandGuardsRuntimeHintsTests {

	@AutoClose
	private static final RedisServerProcess redis = RedisServerProcess.start();

	private final RuntimeHints hints = registered(getClass().getClassLoader());

	@Test
	void isRegisteredInAotFactories() {
		assertThat(AotServices.factories(getClass().getClassLoader()).load(RuntimeHintsRegistrar.class))
			.hasAtLeastOneElementOfType(CommandGuardsRuntimeHints.class);
	}

	@ParameterizedTest
	@ValueSource(strings = { "lettuce", "jedis" })
	void proxiesOfAGuardedConnectionAndItsCommandInterfacesAreDeclared(String client) {
		RedisContexts.standalone(RedisContexts.contextRunner(), redis, client).run((context) -> {
			List<Class<?>[]> created = new ArrayList<>();
			context.getBean(StringRedisTemplate.class).execute((RedisCallback<Void>) (connection) -> {
				created.add(connection.getClass().getInterfaces());
				for (Method method : RedisConnection.class.getMethods()) {
					if (CommandInterceptor.handsOutCommands(method)) {
						Object commands = ReflectionUtils.invokeMethod(method, connection);
						assertThat(commands).as(method.getName()).isNotNull();
						created.add(commands.getClass().getInterfaces());
					}
				}
				assertThat(Proxy.isProxyClass(connection.getClass())).isTrue();
				return null;
			}, true);
			assertThat(created).hasSizeGreaterThan(10);
			for (Class<?>[] interfaces : created) {
				assertThat(RuntimeHintsPredicates.proxies().forInterfaces(interfaces))
					.as(List.of(interfaces).toString())
					.accepts(this.hints);
			}
		});
	}

	@Test
	void proxiesOfClusterConnectionsAreDeclared() {
		for (Class<?> connection : List.of(LettuceClusterConnection.class, JedisClusterConnection.class)) {
			assertThat(RuntimeHintsPredicates.proxies().forInterfaces(CommandInterceptor.proxiedInterfaces(connection)))
				.as(connection.getName())
				.accepts(this.hints);
		}
	}

	@Test
	void proxiesOfReactiveOperationsAreDeclared() {
		RedisContexts.standalone(RedisContexts.contextRunner(), redis, "lettuce").run((context) -> {
			ReactiveRedisTemplate<?, ?> template = context.getBean("reactiveRedisTemplate",
					ReactiveRedisTemplate.class);
			for (Object operations : List.of(template.opsForValue(), template.opsForHash())) {
				assertThat(Proxy.isProxyClass(operations.getClass())).isTrue();
				assertThat(RuntimeHintsPredicates.proxies().forInterfaces(operations.getClass().getInterfaces()))
					.accepts(this.hints);
			}
		});
		assertThat(RuntimeHintsPredicates.proxies().forInterfaces(ReactiveValueOperations.class)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.proxies().forInterfaces(ReactiveHashOperations.class)).accepts(this.hints);
	}

	@Test
	void aClientThatIsNotOnTheClasspathGetsNoHints() {
		RuntimeHints withoutJedis = registered(new FilteredClassLoader("redis.clients.jedis."));
		assertThat(RuntimeHintsPredicates.proxies()
			.forInterfaces(CommandInterceptor.proxiedInterfaces(JedisClusterConnection.class))).rejects(withoutJedis);
		assertThat(RuntimeHintsPredicates.proxies()
			.forInterfaces(CommandInterceptor.proxiedInterfaces(LettuceClusterConnection.class))).accepts(withoutJedis);
		RuntimeHints withoutReactor = registered(new FilteredClassLoader("reactor.core."));
		assertThat(RuntimeHintsPredicates.proxies().forInterfaces(ReactiveValueOperations.class))
			.rejects(withoutReactor);
	}

	private static RuntimeHints registered(ClassLoader classLoader) {
		RuntimeHints hints = new RuntimeHints();
		new CommandGuardsRuntimeHints().registerHints(hints, classLoader);
		return hints;
	}

}
